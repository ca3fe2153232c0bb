import Datasets
import Foundation
import ODENet
import Optimization
import Testing
import Training

/// Batch-norm recalibration after a change of depth (issue 14, item 3), on digits.
@Suite("Batch-norm recalibration in training")
struct BatchNormRecalibrationTrainingTests {
    /// 1,200 training and 597 test digits.
    private func data() throws -> TrainingData {
        let all = try TrainingFixture.digits()
        return try TrainingData(training: all.subset(indices: Array(0..<1200)),
                                test: all.subset(indices: Array(1200..<all.count)))
    }

    private func testAccuracy(_ network: ODENetwork, _ data: TrainingData) throws -> Double {
        try Evaluation.of(network, on: try #require(data.test), statistics: data.statistics, batchSize: 300).accuracy
    }

    @Test("Recalibration restores the accuracy a cubic-spline refinement loses through its running statistics")
    func restoresAccuracyAfterRefinement() throws {
        let data = try data()
        let network = try ODENetwork(spec: TrainingFixture.spec(stepCount: 4, channels: [8, 16, 32]), seed: 3)
        let trainer = try Trainer(network: network, data: data,
                                  configuration: TrainingConfiguration(batchSize: 32, seed: 7))
        let rates = LearningRateSchedule.cosine(maximum: 0.1, minimum: 0.001, totalEpochs: 3)
        for _ in 0..<3 { _ = try trainer.trainEpoch(schedule: rates, scheduleOffset: 0) }
        let trained = try testAccuracy(trainer.network, data)
        let refined = try trainer.network.refined(by: .cubicSpline, rule: .halve)
        let interpolated = try testAccuracy(refined, data)
        // The first 20 mini-batches of a shuffle of the training set (no test image).
        let batcher = try MiniBatcher(dataset: data.training, statistics: data.statistics, batchSize: 32)
        var shuffle = SplitMix64(seed: 11), unused = SplitMix64(seed: 0)
        let batches = try batcher.shuffledBatches(using: &shuffle).prefix(20).map {
            try batcher.batch($0, augmented: false, generator: &unused).input
        }
        try refined.recalibrateBatchNorm(over: batches)
        let recalibrated = try testAccuracy(refined, data)
        print("recalibration: N = 4 trained \(trained), refined to N = 8 (cubic spline) \(interpolated), recalibrated \(recalibrated)")
        #expect(trained > 0.8, "the coarse network learned: \(trained)")
        #expect(recalibrated >= trained - 0.05, "recalibrated \(recalibrated) vs trained \(trained)")
        #expect(recalibrated >= interpolated, "recalibrated \(recalibrated) vs interpolated statistics \(interpolated)")
    }

    @Test("MultilevelTrainer with recalibration: the same run bit for bit twice; 0 batches equals the plain run")
    func multilevelTrainerRecalibrates() throws {
        let data = try TrainingFixture.data(validation: false)
        func run(_ batches: Int) throws -> ODENetwork {
            let schedule = try MultilevelSchedule(
                cycles: [TrainingCycle(stepCount: 1, length: .epochs(1)), TrainingCycle(stepCount: 2, length: .epochs(1))],
                prolongation: .linear, maximumLearningRate: 0.1, minimumLearningRate: 0.01,
                batchNormRecalibrationBatches: batches)
            let trainer = try MultilevelTrainer(network: TrainingFixture.network(stepCount: 1), data: data,
                                                configuration: TrainingFixture.configuration, schedule: schedule)
            return try trainer.run().network
        }
        let plain = try run(0), recalibrated = try run(2), again = try run(2)
        #expect(TrainingFixture.identical(recalibrated, again))
        #expect(!TrainingFixture.identical(plain, recalibrated), "recalibration changed the refined network's statistics")
        let reference = try MultilevelSchedule(
            cycles: [TrainingCycle(stepCount: 1, length: .epochs(1)), TrainingCycle(stepCount: 2, length: .epochs(1))],
            prolongation: .linear, maximumLearningRate: 0.1, minimumLearningRate: 0.01)
        let unchanged = try MultilevelTrainer(network: TrainingFixture.network(stepCount: 1), data: data,
                                              configuration: TrainingFixture.configuration, schedule: reference).run().network
        #expect(TrainingFixture.identical(plain, unchanged))
        #expect(throws: TrainingError.self) {
            try MultilevelSchedule(cycles: [TrainingCycle(stepCount: 1, length: .epochs(1))], maximumLearningRate: 0.1,
                                   minimumLearningRate: 0.01, batchNormRecalibrationBatches: -1)
        }
    }
}
