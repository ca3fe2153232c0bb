import Datasets
import Foundation
import ODENet
import Optimization
import TensorCore
import Testing
@testable import Training

@Suite("Trainer", .serialized)
struct TrainerTests {
    @Test("Resuming from a saved state equals the uninterrupted run, bit for bit")
    func resumeEqualsUninterrupted() throws {
        let data = try TrainingFixture.data()
        let schedule = LearningRateSchedule.cosine(maximum: 0.1, minimum: 0.001, totalEpochs: 4)

        let whole = try Trainer(network: TrainingFixture.network(stepCount: 2), data: data,
                                configuration: TrainingFixture.configuration)
        try whole.train(epochs: 4, schedule: schedule)

        let first = try Trainer(network: TrainingFixture.network(stepCount: 2), data: data,
                                configuration: TrainingFixture.configuration)
        try first.train(epochs: 2, schedule: schedule)
        let saved = first.state
        let savedNetwork = try first.network.copy()
        #expect(saved.epoch == 2 && saved.records.count == 2 && saved.step == 4)
        #expect(!saved.optimizerBuffers.isEmpty)

        // Through the checkpoint form: the scalars as JSON, the tensors as they are.
        let json = try JSONEncoder().encode(saved.scalars)
        let restored = TrainingState(scalars: try JSONDecoder().decode(TrainingState.Scalars.self, from: json),
                                     optimizerBuffers: saved.optimizerBuffers)
        let resumed = try Trainer(network: savedNetwork, data: data, configuration: TrainingFixture.configuration,
                                  state: restored)
        let more = try resumed.train(epochs: 4, schedule: schedule)
        #expect(more.map(\.globalEpoch) == [2, 3])
        #expect(TrainingFixture.identical(resumed.network, whole.network))
        #expect(resumed.state.records.map(\.loss) == whole.state.records.map(\.loss))
        // The half-way network differs from the final one, so the comparison above is not vacuous.
        #expect(!TrainingFixture.identical(first.network, whole.network))
    }

    @Test("A huge learning rate stops the run with the typed error naming epoch and batch")
    func divergenceStops() throws {
        // λ = 0 so that SGD accepts a huge η (it refuses η·λ ≥ 1); 1e20 overflows Float32 within a step.
        var configuration = TrainingFixture.configuration
        configuration.weightDecay = 0
        let trainer = try Trainer(network: TrainingFixture.network(stepCount: 1), data: TrainingFixture.data(),
                                  configuration: configuration)
        var caught: TrainingError?
        do {
            try trainer.train(epochs: 3, schedule: .constant(1e20))
        } catch let error as TrainingError {
            caught = error
        }
        let error = try #require(caught)
        guard case .nonFiniteLoss(let cycle, let epoch, let batch, let loss) = error else {
            Issue.record("unexpected error \(error)")
            return
        }
        #expect(cycle == 0)
        #expect(!loss.isFinite)
        // The first batch sees the initial weights (finite loss); the blow-up shows afterwards.
        #expect(epoch * trainer.batchesPerEpoch + batch >= 1)
        #expect(trainer.state.epoch == epoch)
        #expect(error.description.contains("epoch \(epoch), batch \(batch)"))
    }

    @Test("The JSON-lines log holds one parsable record per epoch")
    func jsonLinesParse() throws {
        let folder = TrainingFixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("run.jsonl")
        let trainer = try Trainer(network: TrainingFixture.network(stepCount: 1), data: TrainingFixture.data(),
                                  configuration: TrainingFixture.configuration)
        trainer.log = try TrainingLog(url: url)
        let records = try trainer.train(epochs: 2, schedule: .constant(0.05))
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(text.split(separator: "\n").count == 2)
        let parsed = try TrainingLog.records(at: url)
        #expect(parsed == records)
        for (e, record) in parsed.enumerated() {
            #expect(record.globalEpoch == e && record.images == 64 && record.batches == 2)
            #expect(record.loss.isFinite && record.loss > 0)
            #expect((0...1).contains(record.trainAccuracy))
            #expect(record.validationAccuracy != nil && record.testAccuracy != nil)
            #expect(record.trainSeconds > 0 && record.imagesPerSecond > 0)
            #expect(record.learningRateStart == 0.05)
        }
        // Every line is a JSON object with the documented keys.
        let first = try #require(text.split(separator: "\n").first)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any])
        for key in ["loss", "trainAccuracy", "testAccuracy", "learningRateEnd", "trainSeconds", "imagesPerSecond"] {
            #expect(object[key] != nil, "missing \(key)")
        }
    }

    @Test("Evaluation leaves the network unchanged and counts every image")
    func evaluationIsPure() throws {
        let data = try TrainingFixture.data()
        let network = try TrainingFixture.network(stepCount: 2)
        let before = try network.copy()
        let evaluation = try Evaluation.of(network, on: data.training, statistics: data.statistics, batchSize: 24)
        #expect(evaluation.count == 64)
        #expect(evaluation.loss.isFinite)
        #expect(TrainingFixture.identical(network, before))
        // Batch size does not change the result beyond rounding.
        let other = try Evaluation.of(network, on: data.training, statistics: data.statistics, batchSize: 64)
        #expect(abs(other.accuracy - evaluation.accuracy) < 1e-12)
        #expect(abs(other.loss - evaluation.loss) < 1e-4)
    }

    @Test("Mini-batches cover every image once per epoch, shuffled by the seed")
    func batching() throws {
        let data = try TrainingFixture.data()
        let batcher = try MiniBatcher(dataset: data.training, statistics: data.statistics, batchSize: 20)
        var generator = SplitMix64(seed: 5)
        let batches = batcher.shuffledBatches(using: &generator)
        #expect(batches.map(\.count) == [20, 20, 20, 4])
        #expect(batches.flatMap { $0 }.sorted() == Array(0..<64))
        #expect(batches.flatMap { $0 } != Array(0..<64))
        var again = SplitMix64(seed: 5)
        #expect(batcher.shuffledBatches(using: &again) == batches)
        let (input, labels) = try batcher.batch(batches[3], augmented: true, generator: &generator)
        #expect(input.shape == [4, 8, 8, 1])
        #expect(labels == batches[3].map { Int(data.training.labels[$0]) })
    }

    @Test("A last mini-batch of one image trains through the 1×1 stride-2 shortcut (IC 4)")
    func oneImageLastBatch() throws {
        // 1 thread: the count is process-wide and other suites compare bit patterns at 1 thread
        // (2 threads are covered kernel by kernel in TensorCoreTests' child processes).
        let all = try TrainingFixture.digits()
        // 65 images in batches of 32: 32, 32, 1. Two stages (4 → 8 channels): the connector's
        // projection shortcut is the 1×1 stride-2 convolution with fewer input channels than
        // oneDNN's channel block, whose backward weights corrupted the heap.
        let data = try TrainingData(training: all.subset(indices: Array(0..<65)),
                                    test: all.subset(indices: Array(65..<97)))
        let network = try ODENetwork(spec: TrainingFixture.spec(stepCount: 1, channels: [4, 8]), seed: 3)
        let trainer = try Trainer(network: network, data: data, configuration: TrainingFixture.configuration)
        #expect(trainer.batchesPerEpoch == 3)
        let records = try trainer.train(epochs: 2, schedule: .constant(0.05))
        #expect(records.allSatisfy { $0.loss.isFinite && $0.images == 65 })
        #expect(trainer.network.parameters.allSatisfy { $0.value.elements.allSatisfy(\.isFinite) })
    }
}
