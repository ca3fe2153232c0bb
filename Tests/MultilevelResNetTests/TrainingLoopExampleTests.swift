// docs-example begins: training-loop
import MultilevelResNet
// docs-example ends: training-loop
import Foundation
import Testing

/// The loop of the "A Training Loop with Trainer" article.
@Suite struct TrainingLoopExampleTests {
    @Test("the Training Loop example runs one epoch of Trainer.step(batch:learningRate:)")
    func aLoopOfSteps() throws {
        // docs-example begins: training-loop
        let data = try TrainingData.split(try Dataset.digits(), testFraction: 0.2, seed: 0)
        let spec = try ODENetSpec(inputShape: [8, 8, 1], classCount: 10, stageChannels: [8, 16], stepCount: 2)
        let network = try ODENetwork(spec: spec, seed: 0)
        let trainer = try Trainer(network: network, data: data,
                                  configuration: TrainingConfiguration(batchSize: 32, momentum: 0.9, weightDecay: 2e-4))

        // A gradient hook runs after backward, before the update: here it clips every gradient to [−1, 1].
        trainer.gradientHooks.append { parameters in
            for parameter in parameters {
                parameter.updateGradient { g in for i in g.indices { g[i] = min(max(g[i], -1), 1) } }
            }
        }

        // One epoch by hand: shuffled batches of [32, 8, 8, 1], the rate from a cosine over the epoch.
        let batcher = try MiniBatcher(dataset: data.training, statistics: data.statistics, batchSize: 32)
        let schedule = LearningRateSchedule.cosine(maximum: 0.1, minimum: 0.001, totalEpochs: 1)
        var generator = SplitMix64(seed: 1)
        let batches = batcher.shuffledBatches(using: &generator)
        for (b, indices) in batches.enumerated() {
            let (images, labels) = try batcher.batch(indices, augmented: false, generator: &generator)
            let rate = schedule.rate(atEpoch: Double(b) / Double(batches.count))
            let result = try trainer.step(batch: TrainingBatch(input: images, labels: labels), learningRate: rate)
            if b % 10 == 0 { print("batch \(b): loss \(result.loss), accuracy \(result.accuracy)") }
        }
        if let test = data.test {
            print("test accuracy:", try trainer.evaluate(test).accuracy)
        }
        // docs-example ends: training-loop

        #expect(trainer.state.step == batches.count)
        #expect(try trainer.evaluate(try #require(data.test)).accuracy > 0.3)
    }
}
