import Dispatch
import Foundation
import ODENet
import Synchronization
import Testing
import Training

/// Training on several threads one after another: oneDNN primitives must run on the thread that
/// created them (TensorCore's per-thread primitive cache).
@Suite("Training on successive threads")
struct PrimitiveThreadTrainingTests {
    /// One epoch of the divergence test's setting (digits 80/20, channels 8, 16, 32, batch 32, standard
    /// augmentation) on a new thread; the trained weights.
    private static func epochOnNewThread() throws -> [[UInt32]] {
        let result = Mutex<Result<[[UInt32]], any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        Thread {
            let outcome = Result { () throws -> [[UInt32]] in
                let (training, test) = try TrainingFixture.digits().split(validationFraction: 0.2, seed: 1)
                var settings = TrainingConfiguration(batchSize: 32, seed: 1)
                settings.augmentation = .standard(for: training)
                let network = try ODENetwork(spec: TrainingFixture.spec(stepCount: 2, channels: [8, 16, 32]), seed: 1)
                let trainer = try Trainer(network: network, data: TrainingData(training: training, test: test),
                                          configuration: settings)
                try trainer.train(epochs: 1, schedule: .constant(0.05))
                return trainer.network.parameters.map { $0.value.elements.map(\.bitPattern) }
            }
            result.withLock { $0 = outcome }
            done.signal()
        }.start()
        #expect(done.wait(timeout: .now() + 300) == .success)
        return try #require(result.withLock { $0 }).get()
    }

    @Test("the same epoch on a second thread runs and gives the same bits (it crashed in oneDNN before)")
    func secondThreadTrainsLikeTheFirst() throws {
        let first = try Self.epochOnNewThread()
        let second = try Self.epochOnNewThread()
        #expect(!first.isEmpty && first == second)
    }
}
