import Foundation
import Multilevel
import ODENet
import Optimization
import TensorCore
import Testing
@testable import Training

@Suite("MultilevelTrainer", .serialized)
struct MultilevelTrainerTests {
    static func schedule(_ cycles: [TrainingCycle], rule: StepSizeRule = .halve,
                         policy: StateTransferPolicy = .transfer) throws -> MultilevelSchedule {
        try MultilevelSchedule(cycles: cycles, stepSizeRule: rule, momentumPolicy: policy,
                               maximumLearningRate: 0.1, minimumLearningRate: 0.001)
    }

    @Test("A one-level multilevel run equals plain training bit for bit")
    func oneLevelEqualsPlain() throws {
        let data = try TrainingFixture.data()
        let plain = try Trainer(network: TrainingFixture.network(stepCount: 2), data: data,
                                configuration: TrainingFixture.configuration)
        try plain.train(epochs: 3, schedule: .cosine(maximum: 0.1, minimum: 0.001, totalEpochs: 3))
        let multilevel = try MultilevelTrainer(
            network: TrainingFixture.network(stepCount: 2), data: data, configuration: TrainingFixture.configuration,
            schedule: Self.schedule([TrainingCycle(stepCount: 2, length: .epochs(3))]))
        let result = try multilevel.run()
        #expect(TrainingFixture.identical(plain.network, result.network))
        #expect(result.records.map(\.loss) == plain.state.records.map(\.loss))
        #expect(result.levels.count == 1 && result.levels[0].level == 0 && result.levels[0].epochs == 3)
    }

    @Test("The cosine restarts at every cycle's start and anneals to its end, as the trainer uses it")
    func cosineRestartsThroughTrainer() throws {
        let data = try TrainingFixture.data()
        let epochs = [3, 2]
        let trainer = try MultilevelTrainer(
            network: TrainingFixture.network(stepCount: 1), data: data, configuration: TrainingFixture.configuration,
            schedule: Self.schedule(zip([1, 2], epochs).map { TrainingCycle(stepCount: $0, length: .epochs($1)) }))
        let result = try trainer.run()
        let batches = Double(trainer.trainer.batchesPerEpoch)
        // η(x) = η_min + ½(η_max − η_min)(1 + cos(π x / E_c)), x = epochs into the cycle.
        func expected(_ x: Double, _ total: Int) -> Double { 0.001 + 0.5 * 0.099 * (1 + cos(Double.pi * x / Double(total))) }
        #expect(result.records.count == 5)
        for record in result.records {
            let total = epochs[record.cycle]
            #expect(abs(record.learningRateStart - expected(Double(record.epoch), total)) < 1e-12)
            #expect(abs(record.learningRateEnd - expected(Double(record.epoch) + (batches - 1) / batches, total)) < 1e-12)
            if record.epoch == 0 { #expect(record.learningRateStart == 0.1) }
        }
        // The last step of each cycle is near η_min, and the next cycle restarts at η_max.
        #expect(result.records[2].learningRateEnd < 0.02 && result.records[3].learningRateStart == 0.1)
        // The levels: N and h as the rule says (T kept, h halved), level 0 the finest.
        #expect(result.levels.map(\.stepCount) == [1, 2])
        #expect(result.levels.map(\.stepSize) == [1, 0.5])
        #expect(result.levels.map(\.level) == [1, 0])
        #expect(result.network.spec.stepCount == 2)
    }

    @Test("The naive rule keeps h and doubles T; a reset policy drops per-step momentum")
    func naiveRuleAndReset() throws {
        let trainer = try MultilevelTrainer(
            network: TrainingFixture.network(stepCount: 1), data: TrainingFixture.data(),
            configuration: TrainingFixture.configuration,
            schedule: Self.schedule([TrainingCycle(stepCount: 1, length: .epochs(1)),
                                     TrainingCycle(stepCount: 4, length: .epochs(1))], rule: .keep, policy: .reset))
        let result = try trainer.run()
        #expect(result.levels.map(\.stepSize) == [1, 1])
        #expect(result.levels.map(\.finalTime) == [1, 4])
    }

    @Test("A plateau rule stops a cycle; it needs a validation part")
    func plateauStopsCycle() throws {
        // δ = 1 can never be met: the first epoch counts as an improvement, the second is a plateau.
        let rule = try PlateauRule(minimumImprovement: 1, patience: 1, minEpochs: 1, maxEpochs: 10)
        let schedule = try Self.schedule([TrainingCycle(stepCount: 1, length: .plateau(rule)),
                                          TrainingCycle(stepCount: 2, length: .epochs(1))])
        let trainer = try MultilevelTrainer(network: TrainingFixture.network(stepCount: 1),
                                            data: TrainingFixture.data(), configuration: TrainingFixture.configuration,
                                            schedule: schedule)
        let result = try trainer.run()
        #expect(result.levels.map(\.epochs) == [2, 1])
        #expect(result.levels.map(\.stoppedOnPlateau) == [true, false])
        // The second cycle's rate restarts where the schedule puts it: after the first cycle's maximum length.
        #expect(result.records[2].learningRateStart == 0.1)

        #expect(throws: TrainingError.plateauNeedsValidation(cycle: 0)) {
            _ = try MultilevelTrainer(network: TrainingFixture.network(stepCount: 1),
                                      data: TrainingFixture.data(validation: false),
                                      configuration: TrainingFixture.configuration, schedule: schedule)
        }
    }

    @Test("Resuming a multilevel run at a cycle boundary equals the uninterrupted run")
    func multilevelResume() throws {
        let data = try TrainingFixture.data()
        let schedule = try Self.schedule([TrainingCycle(stepCount: 1, length: .epochs(2)),
                                          TrainingCycle(stepCount: 2, length: .epochs(2))])
        let observer = SnapshotObserver(afterEpoch: 2)
        let whole = try MultilevelTrainer(network: TrainingFixture.network(stepCount: 1), data: data,
                                          configuration: TrainingFixture.configuration, schedule: schedule)
        whole.trainer.observers = [observer]
        let uninterrupted = try whole.run()
        #expect(observer.levels.map(\.stepCount) == [1, 2])

        let saved = try #require(observer.state)
        let network = try #require(observer.network)
        // Through the named parts a checkpoint file stores (counters, values, generator words).
        let state = try TrainingState(counters: saved.counters, values: saved.values, randomStates: saved.randomStates,
                                      optimizerBuffers: saved.optimizerBuffers, records: saved.records)
        #expect(throws: TrainingError.self) {
            _ = try TrainingState(counters: saved.counters, values: saved.values, randomStates: [:],
                                  optimizerBuffers: [:], records: saved.records)
        }
        #expect(state.cycle == 0 && state.epochInCycle == 2)
        let resumed = try MultilevelTrainer(network: network, data: data, configuration: TrainingFixture.configuration,
                                            schedule: schedule, state: state)
        let continued = try resumed.run()
        #expect(TrainingFixture.identical(continued.network, uninterrupted.network))
        func outcome(_ levels: [LevelReport]) -> [[Double]] {
            levels.map { [Double($0.cycle), Double($0.stepCount), Double($0.epochs), $0.trainAccuracy, $0.testAccuracy ?? -1] }
        }
        #expect(outcome(continued.levels) == outcome(uninterrupted.levels))
    }

    @Test("Schedules reject refinements that are not powers of the coarsening factor")
    func scheduleValidation() throws {
        #expect(throws: TrainingError.self) {
            _ = try Self.schedule([TrainingCycle(stepCount: 2, length: .epochs(1)),
                                   TrainingCycle(stepCount: 6, length: .epochs(1))])
        }
        #expect(throws: TrainingError.self) { _ = try Self.schedule([]) }
        let ok = try Self.schedule([TrainingCycle(stepCount: 2, length: .epochs(3)),
                                    TrainingCycle(stepCount: 8, length: .epochs(2))])
        #expect(ok.scheduleOffset(ofCycle: 1) == 3 && ok.maxEpochs == 5)
    }
}
