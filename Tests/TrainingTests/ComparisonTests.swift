import Foundation
import Testing
@testable import Training

@Suite("Comparison: plan, runner, report", .serialized)
struct ComparisonTests {
    @Test("The paper's split and the theory's savings")
    func splitAndTheory() {
        #expect(ComparisonPlan.paperSplit(epochs: 160, cycles: 3) == [60, 50, 50])
        #expect(ComparisonPlan.paperSplit(epochs: 16, cycles: 3) == [6, 5, 5])
        #expect(ComparisonPlan.paperSplit(epochs: 7, cycles: 1) == [7])
        for (epochs, cycles) in [(3, 3), (10, 2), (17, 4), (100, 3)] {
            let split = ComparisonPlan.paperSplit(epochs: epochs, cycles: cycles)
            #expect(split.reduce(0, +) == epochs && split.count == cycles && split.allSatisfy { $0 >= 1 })
        }
        // 0, 25, 41.7, 53.1 % for k = 0…3 (DESIGN.md §1).
        let expected = [0, 0.25, 5.0 / 12, 17.0 / 32]
        for k in 0...3 { #expect(abs(ComparisonPlan.theoreticalTimeSaved(interpolations: k) - expected[k]) < 1e-12) }
        // Equal cycles through the split formula agree with the closed form.
        #expect(abs(ComparisonPlan.theoreticalTimeSaved(cycleEpochs: [5, 5, 5], stepCounts: [2, 4, 8]) - 5.0 / 12) < 1e-12)
        // 60/50/50 of 2→4→8: 1 − (60·2 + 50·4 + 50·8)/(160·8) = 1 − 720/1280.
        #expect(abs(ComparisonPlan.theoreticalTimeSaved(cycleEpochs: [60, 50, 50], stepCounts: [2, 4, 8]) - 0.4375) < 1e-12)
    }

    @Test("A tiny compare run end to end: every run, the logs and results.json")
    func tinyComparison() throws {
        let folder = TrainingFixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let configuration = ComparisonConfiguration(
            stageChannels: [4], stepCounts: [1, 2], epochs: 3, maximumLearningRate: 0.05, minimumLearningRate: 0.001,
            training: TrainingFixture.configuration, networkSeed: 3, runs: [.full, .multilevel, .naive, .shallow])
        let plan = try ComparisonPlan(configuration: configuration)
        #expect(plan.cycleEpochs == [2, 1])
        let result = try ComparisonRunner(plan: plan).run(data: TrainingFixture.data(), outputFolder: folder)
        #expect(result.runs.map(\.kind) == [.full, .multilevel, .naive, .shallow])
        let full = try #require(result.run(.full))
        let multilevel = try #require(result.run(.multilevel))
        let naive = try #require(result.run(.naive))
        #expect(full.levels.map(\.stepCount) == [2] && full.levels[0].finalTime == 1)
        #expect(multilevel.levels.map(\.stepCount) == [1, 2] && multilevel.levels.map(\.epochs) == [2, 1])
        #expect(multilevel.levels.last?.stepSize == 0.5 && naive.levels.last?.stepSize == 1)
        #expect(full.timeSavedVersusFull == nil && multilevel.timeSavedVersusFull != nil)
        // Forward Euler, one stage: F per image = N; training = Σ epochs · N.
        #expect(full.functionEvaluationsPerImage == 2 && full.trainingFunctionEvaluationsPerImage == 3 * 2)
        #expect(multilevel.functionEvaluationsPerImage == 2 && multilevel.trainingFunctionEvaluationsPerImage == 2 * 1 + 1 * 2)
        #expect(result.run(.shallow)?.trainingFunctionEvaluationsPerImage == 3 * 1)
        for run in result.runs {
            #expect((0...1).contains(run.testAccuracy))
            let log = folder.appendingPathComponent(try #require(run.logFile))
            #expect(try TrainingLog.records(at: log).count == 3)
        }
        #expect(abs(result.theory.equalCycles - 0.25) < 1e-12)
        #expect(abs(result.theory.plannedSplit - (1 - (2.0 * 1 + 1 * 2) / (3 * 2))) < 1e-12)
        let url = folder.appendingPathComponent("results.json")
        try result.write(to: url)
        let bytes = try Data(contentsOf: url)
        let decoded = try JSONDecoder().decode(ComparisonReport.self, from: bytes)
        #expect(decoded == result)
        let table = result.table
        for kind in ComparisonRunKind.allCases { #expect(table.contains(kind.summary)) }
    }

    @Test("With a plateau rule the multilevel cycles stop early; without validation it is refused")
    func plateauComparison() throws {
        var configuration = ComparisonConfiguration(
            stageChannels: [4], stepCounts: [1, 2], epochs: 6, maximumLearningRate: 0.05, minimumLearningRate: 0.001,
            training: TrainingFixture.configuration, networkSeed: 3)
        configuration.plateau = (minimumImprovement: 1, patience: 1)
        let comparison = ComparisonRunner(plan: try ComparisonPlan(configuration: configuration))
        let result = try comparison.run(data: TrainingFixture.data())
        let multilevel = try #require(result.run(.multilevel))
        #expect(multilevel.levels.map(\.epochs) == [2, 2] && multilevel.levels.allSatisfy(\.stoppedOnPlateau))
        #expect(result.run(.full)?.levels.first?.epochs == 6)
        #expect(throws: TrainingError.plateauNeedsValidation(cycle: 0)) {
            _ = try comparison.run(data: TrainingFixture.data(validation: false))
        }
    }

    @Test("Equal evaluations: N·s is kept per cycle; a schedule that does not divide is refused")
    func equalEvaluations() throws {
        #expect(try ComparisonPlan.equalEvaluationStepCounts([4, 8, 16], referenceStageCount: 1, integrators: [.method(.rk4Classic)]) == [1, 2, 4])
        #expect(try ComparisonPlan.equalEvaluationStepCounts([4, 8, 16], referenceStageCount: 1, integrators: [.method(.heun)]) == [2, 4, 8])
        #expect(try ComparisonPlan.equalEvaluationStepCounts([2, 4], referenceStageCount: 2, integrators: [.method(.heun)]) == [2, 4])
        // Per stage: RK4 on stage 0 and Euler on two more make 4 + 1 + 1 = 6 evaluations per step
        // against 3 for Euler everywhere, so N halves.
        #expect(try ComparisonPlan.equalEvaluationStepCounts(
            [4, 8, 16], referenceStageCount: 1,
            integrators: [.method(.rk4Classic), .method(.forwardEuler), .method(.forwardEuler)]) == [2, 4, 8])
        #expect(throws: TrainingError.self) {
            try ComparisonPlan.equalEvaluationStepCounts([2, 4, 8], referenceStageCount: 1, integrators: [.method(.rk4Classic)])
        }
    }

    @Test("A schedule whose N·s_ref overflows Int is refused, not trapped")
    func equalEvaluationsOverflow() {
        #expect(throws: TrainingError.self) {
            try ComparisonPlan.equalEvaluationStepCounts([2, Int.max], referenceStageCount: 2, integrators: [.method(.rk4Classic)])
        }
    }

    @Test("Budgets that do not fit the cycles are rejected")
    func invalidBudget() {
        #expect(throws: TrainingError.self) {
            _ = try ComparisonPlan(configuration: ComparisonConfiguration(stepCounts: [2, 4, 8], epochs: 2))
        }
        #expect(throws: TrainingError.self) {
            _ = try ComparisonPlan(configuration: ComparisonConfiguration(stepCounts: [2, 4], epochs: 5, cycleEpochs: [2, 2]))
        }
    }
}
