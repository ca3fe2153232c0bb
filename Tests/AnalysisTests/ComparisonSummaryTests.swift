import Analysis
import Foundation
import Testing
@testable import Training

@Suite("Comparison summary over seeds and integrators")
struct ComparisonSummaryTests {
    /// A one-level run with the given error and seconds (`N = 8`, forward Euler, 3 stages).
    static func run(_ kind: ComparisonRunKind, error: Double, seconds: Double, saved: Double?,
                    evaluations: Int = 24) -> ComparisonRun {
        let level = LevelReport(cycle: 0, level: 0, stepCount: 8, stepSize: 0.25, finalTime: 2, epochs: 4,
                                stoppedOnPlateau: false, trainAccuracy: 1 - error, validationAccuracy: nil,
                                testAccuracy: 1 - error, trainSeconds: seconds, wallSeconds: seconds + 1,
                                parameterCount: 100)
        return ComparisonRun(kind: kind, levels: [level], testAccuracy: 1 - error, trainSeconds: seconds,
                             wallSeconds: seconds + 1, timeSavedVersusFull: saved, logFile: nil,
                             functionEvaluationsPerImage: evaluations, trainingFunctionEvaluationsPerImage: 4 * evaluations)
    }

    static func result(integrator: String, runs: [ComparisonRun]) -> ComparisonReport {
        ComparisonReport(dataset: "digits", trainingImages: 10, validationImages: 0, testImages: 5,
                         stageChannels: [4, 8, 16], stepCounts: [2, 4, 8], cycleEpochs: [2, 1, 1], epochs: 4,
                         integrator: integrator, prolongation: "piecewiseConstant", batchSize: 2,
                         learningRates: [0.1, 0.001], seeds: [1, 1], threads: 1, runs: runs,
                         theory: TheoreticalSaving(interpolations: 2, equalCycles: 5.0 / 12, plannedSplit: 0.5,
                                                   plannedSplitMultiplyAccumulates: 0.45))
    }

    @Test("Mean, sd and the 95 % interval match hand values; settings are grouped in order")
    func handValues() throws {
        // Multi-level errors 0.10, 0.12, 0.14; full seconds 10, 20, 30; multi-level 6, 12, 15 → saved 0.4, 0.4, 0.5.
        let seconds: [(Double, Double)] = [(10, 6), (20, 12), (30, 15)]
        var results: [(seed: UInt64, result: ComparisonReport)] = []
        for (i, (full, multilevel)) in seconds.enumerated() {
            results.append((UInt64(i + 1), Self.result(integrator: "forwardEuler", runs: [
                Self.run(.full, error: 0.1, seconds: full, saved: nil),
                Self.run(.multilevel, error: 0.10 + 0.02 * Double(i), seconds: multilevel, saved: 1 - multilevel / full),
            ])))
        }
        results.insert((7, Self.result(integrator: "rk4Classic", runs: [
            Self.run(.full, error: 0.2, seconds: 40, saved: nil, evaluations: 96),
            Self.run(.multilevel, error: 0.3, seconds: 20, saved: 0.5, evaluations: 96),
        ])), at: 1)
        let summary = try ComparisonSummary(results)
        #expect(summary.groups.map(\.integrator) == ["forwardEuler", "rk4Classic"])
        let euler = summary.groups[0]
        #expect(euler.seeds == [1, 2, 3] && summary.groups[1].seeds == [7])
        #expect(euler.rows.map(\.kind) == [.full, .multilevel] && euler.finalTime == 2)
        let multilevel = euler.rows[1]
        #expect(abs(multilevel.testError.mean - 0.12) < 1e-12)
        #expect(abs(try #require(multilevel.testError.standardDeviation) - 0.02) < 1e-12)
        // t_{0.975, 2} = 4.302652729749464: half width 4.3027 · 0.02 / √3.
        let halfWidth = 4.302652729749464 * 0.02 / 3.0.squareRoot()
        #expect(abs(try #require(multilevel.testError.upper95) - (0.12 + halfWidth)) < 1e-9)
        #expect(abs(try #require(multilevel.testError.lower95) - (0.12 - halfWidth)) < 1e-9)
        let saved = try #require(multilevel.timeSavedVersusFull)
        #expect(abs(saved.mean - 1.3 / 3) < 1e-12)
        #expect(abs(try #require(saved.standardDeviation) - (1.0 / 300).squareRoot()) < 1e-12)
        #expect(euler.rows[0].timeSavedVersusFull == nil)
        #expect(abs(euler.rows[0].trainSeconds.mean - 20) < 1e-12)
        // One seed: no sd, no interval; the F counts come through.
        let rk4 = summary.groups[1].rows[1]
        #expect(rk4.testError.standardDeviation == nil && rk4.testError.lower95 == nil)
        #expect(rk4.functionEvaluationsPerImage == 96 && rk4.trainingFunctionEvaluationsPerImage == 384)

        #expect(summary.table.contains("12.00 ± 2.00") && summary.table.contains("rk4Classic"))
        let fields = ComparisonSummary.csvHeader.split(separator: ",", omittingEmptySubsequences: false).count
        #expect(summary.csvLines.count == 4)
        #expect(summary.csvLines.allSatisfy { $0.split(separator: ",", omittingEmptySubsequences: false).count == fields })
        let decoded = try JSONDecoder().decode(ComparisonSummary.self, from: JSONEncoder().encode(summary))
        #expect(decoded == summary)
    }

    @Test("No results, or repeats that trained different runs, are refused")
    func refused() throws {
        #expect(throws: AnalysisError.self) { try ComparisonSummary([]) }
        let a = Self.result(integrator: "heun", runs: [Self.run(.full, error: 0.1, seconds: 1, saved: nil)])
        let b = Self.result(integrator: "heun", runs: [Self.run(.full, error: 0.1, seconds: 1, saved: nil),
                                                       Self.run(.naive, error: 0.1, seconds: 1, saved: 0)])
        #expect(throws: AnalysisError.self) { try ComparisonSummary([(1, a), (2, b)]) }
    }

    @Test("A sweep plans integrator-major members, rescales N at equal evaluations, keeps one T")
    func sweepPlan() throws {
        let sweep = try ComparisonSweep(integrators: [.forwardEuler, .rk4Classic], seeds: [5, 6], stepCounts: [4, 8],
                                        equalEvaluations: true)
        #expect(sweep.members.map(\.folderName) == ["forwardEuler-seed5", "forwardEuler-seed6", "rk4Classic-seed5",
                                                    "rk4Classic-seed6"])
        #expect(sweep.members.map(\.stepCounts) == [[4, 8], [4, 8], [1, 2], [1, 2]])
        #expect(sweep.finalTime == 4)
        let plain = try ComparisonSweep(integrators: [.heun], seeds: [1], stepCounts: [2, 4], equalEvaluations: false)
        #expect(plain.members.map(\.stepCounts) == [[2, 4]])
        #expect(throws: AnalysisError.self) {
            try ComparisonSweep(integrators: [.heun, .heun], seeds: [1], stepCounts: [2], equalEvaluations: false)
        }
        #expect(throws: AnalysisError.self) {
            try ComparisonSweep(integrators: [.heun], seeds: [1, 1], stepCounts: [2], equalEvaluations: false)
        }
        #expect(throws: AnalysisError.self) {
            try ComparisonSweep(integrators: [], seeds: [1], stepCounts: [2], equalEvaluations: false)
        }
        #expect(throws: TrainingError.self) {
            try ComparisonSweep(integrators: [.forwardEuler, .rk4Classic], seeds: [1], stepCounts: [2, 4],
                                equalEvaluations: true)
        }
    }
}
