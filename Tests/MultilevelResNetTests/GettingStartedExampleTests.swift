// docs-example begins: getting-started
import MultilevelResNet
// docs-example ends: getting-started
import Foundation
import Testing

/// The main.swift of the "Getting Started" article (scripts/client-check runs the same text as a client's).
@Suite struct GettingStartedExampleTests {
    @Test("the Getting Started example trains two epochs on the bundled digits")
    func trainsOnTheEmbeddedDigits() throws {
        // docs-example begins: getting-started
        // The embedded digits: 1797 images [8, 8, 1] (NHWC), 10 classes; no path needed.
        let digits = try Dataset.digits()
        // A seeded stratified split; every part is normalized with the training part's statistics.
        let data = try TrainingData.split(digits, testFraction: 0.2, seed: 0)

        // Two stages of 8 and 16 channels, N = 2 forward-Euler steps per stage, T = 2 (h = 1).
        let spec = try ODENetSpec(inputShape: [8, 8, 1], classCount: 10, stageChannels: [8, 16], stepCount: 2)
        let network = try ODENetwork(spec: spec, seed: 0)

        // Two epochs of SGD (momentum 0.9), the learning rate falling from 0.1 to 0.001 along a cosine.
        let trainer = try Trainer(network: network, data: data, configuration: TrainingConfiguration(batchSize: 32))
        let records = try trainer.train(epochs: 2, schedule: .cosine(maximum: 0.1, minimum: 0.001, totalEpochs: 2))
        for record in records {
            print("epoch \(record.epoch): loss \(record.loss), test accuracy \(record.testAccuracy ?? .nan)")
        }
        // docs-example ends: getting-started

        #expect(digits.count == 1797)
        #expect(records.count == 2 && records.allSatisfy { $0.loss.isFinite })
        #expect(try #require(records.last?.testAccuracy) > 0.5)
    }
}
