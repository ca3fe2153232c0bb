import Datasets
import Foundation
import ODENet
import Optimization
import TensorCore
import Testing
@testable import Training

/// The trainers take a `ComputeContext`, record it and apply it on the thread that drives them.
@Suite("Compute context in training", .serialized)
struct ComputeContextTrainingTests {
    /// FNV-1a (64 bits) over every named tensor's name and element bit patterns, names sorted.
    static func checksum(_ network: ODENetwork) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for (name, tensor) in network.namedTensors().sorted(by: { $0.key < $1.key }) {
            for byte in name.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
            for x in tensor.elements { hash = (hash ^ UInt64(x.bitPattern)) &* 0x100_0000_01b3 }
        }
        return hash
    }

    /// Two epochs of the fixture's data on a two-stage network (4, 8 channels: a connector too).
    static func trainedChecksum(compute: ComputeContext) throws -> UInt64 {
        let network = try ODENetwork(spec: TrainingFixture.spec(stepCount: 2, channels: [4, 8]), seed: 3)
        let trainer = try Trainer(network: network, data: TrainingFixture.data(),
                                  configuration: TrainingFixture.configuration, compute: compute)
        #expect(trainer.compute == compute)
        try trainer.train(epochs: 2, schedule: .cosine(maximum: 0.1, minimum: 0.001, totalEpochs: 2))
        return checksum(trainer.network)
    }

    /// The checksums the code before compute contexts (9696f3f: `ThreadControl.setThreadCount`,
    /// re-applied before every oneDNN execution) gave for `trainedChecksum`, by thread count,
    /// measured with oneDNN 2.6.3 on avx512_core and (ONEDNN_MAX_CPU_ISA=AVX2) avx2 alike.
    static let checksumsBeforeContexts: [Int: UInt64] = [1: 0xa8d1_27cf_1538_35ea, 2: 0x5f69_3aac_97cf_b597]

    static var measuredVersion: Bool {
        ComputeEnvironment.current(context: .default).oneDNNVersion == "2.6.3"
    }

    @Test("a trainer's context, not the calling thread's count, decides the weights: bit for bit as before",
          .enabled(if: ComputeContextTrainingTests.measuredVersion))
    func weightsAsBeforeContexts() throws {
        // The calling thread runs at the other count, so a context that was not applied would show.
        let one = try ComputeContext(threadCount: 1)
        let two = try ComputeContext(threadCount: 2)
        #expect(try two.run { try Self.trainedChecksum(compute: one) } == Self.checksumsBeforeContexts[1])
        #expect(try one.run { try Self.trainedChecksum(compute: two) } == Self.checksumsBeforeContexts[2])
    }

    @Test("a step driven from another thread applies its context there and restores that thread's count")
    func stepOnAnotherThread() async throws {
        let data = try TrainingFixture.data()
        let batcher = try MiniBatcher(dataset: data.training, statistics: data.statistics, batchSize: 8)
        var generator = SplitMix64(seed: 0)
        let (input, labels) = try batcher.batch(Array(0..<8), augmented: false, generator: &generator)
        let step = try TrainingStep(network: TrainingFixture.network(stepCount: 2),
                                    optimizer: SGD(momentum: 0.9, weightDecay: 0), compute: .singleThreaded)
        final class Seen: @unchecked Sendable { var counts: [Int?] = [] }  // written on one thread at a time
        let seen = Seen()
        step.gradientHooks = [{ _ in seen.counts.append(ThreadControl.threadCount) }]
        nonisolated(unsafe) let unsafeStep = step
        let batch = TrainingBatch(input: input, labels: labels)
        let after = try await Task.detached {
            try ComputeContext(threadCount: 2).run {
                try unsafeStep.step(batch, learningRate: 0.05)
                return ThreadControl.threadCount
            }
        }.value
        #expect(seen.counts == [1])
        #expect(after == 2)
    }

    @Test("the default context is the enclosing run's, else one thread; every trainer records it")
    func defaultIsCurrent() throws {
        let data = try TrainingFixture.data()
        let make = { try Trainer(network: TrainingFixture.network(stepCount: 2), data: data,
                                 configuration: TrainingFixture.configuration) }
        #expect(try make().compute == .default)
        #expect(ComputeContext.default.threadCount == 1)
        let three = try ComputeContext(threadCount: 3)
        #expect(try three.run { try make() }.compute == three)
        let schedule = try MultilevelSchedule(cycles: [TrainingCycle(stepCount: 2, length: .epochs(1))],
                                              maximumLearningRate: 0.1, minimumLearningRate: 0.001)
        let multilevel = try MultilevelTrainer(network: TrainingFixture.network(stepCount: 2), data: data,
                                               configuration: TrainingFixture.configuration, schedule: schedule,
                                               compute: three)
        #expect(multilevel.compute == three && multilevel.trainer.compute == three)
    }

    @Test("an evaluation given a context inside another equals the trainer's evaluation")
    func evaluationUnderContext() throws {
        let data = try TrainingFixture.data()
        let network = try TrainingFixture.network(stepCount: 2)
        let trainer = try Trainer(network: network, data: data, configuration: TrainingFixture.configuration,
                                  compute: .singleThreaded)
        let direct = try ComputeContext(threadCount: 2).run {
            try Evaluation.of(network, on: data.test!, statistics: data.statistics, batchSize: 32,
                              compute: .singleThreaded)
        }
        #expect(direct == (try trainer.evaluate(data.test!)))
    }
}
