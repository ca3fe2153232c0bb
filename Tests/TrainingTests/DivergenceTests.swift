import Archiving
import Foundation
import ODENet
import Optimization
import TensorCore
import Testing
@testable import Training

/// Issue 12, defect 2 (non-finite weights written, exit 0) and the momentum-depth item of defect 5.
@Suite("Divergence and momentum depth", .serialized)
struct DivergenceTests {
    /// Every float dataset of every `.h5` file in `folder` with NaN or ±∞ (read with our HDF5
    /// wrapper, not with the readers that refuse them).
    private func nonFiniteDatasets(in folder: URL) throws -> [String] {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".h5") }
        return try names.flatMap { name in
            try FileInspection.nonFiniteDatasets(in: folder.appendingPathComponent(name).path).map { "\(name): \($0)" }
        }
    }

    /// The run of `mlresnet train --schedule 2 --epochs 1 --threads 1 --lr-max η --weight-decay λ` at
    /// library level: all 1797 digits split 80/20 by class (seed 1), channels 8, 16, 32, batch 32,
    /// standard augmentation (the issue's reproduction; before the fix it ended normally with
    /// non-finite values in most datasets of both files).
    private func hugeLearningRateRun(in folder: URL, maximumLearningRate: Double, weightDecay: Double) throws
        -> TrainingRun
    {
        let (training, test) = try TrainingFixture.digits().split(validationFraction: 0.2, seed: 1)
        var settings = TrainingConfiguration(batchSize: 32, momentum: 0.9, weightDecay: weightDecay, seed: 1)
        settings.augmentation = .standard(for: training)
        let configuration = ComparisonConfiguration(
            stageChannels: [8, 16, 32], stepCounts: [2], epochs: 1, maximumLearningRate: maximumLearningRate,
            minimumLearningRate: 0.001, training: settings, networkSeed: 1)
        return TrainingRun(plan: try ComparisonPlan(configuration: configuration), kind: .multilevel,
                           data: try TrainingData(training: training, test: test), folder: folder,
                           metadata: ArchiveMetadata(dataset: "digits", seed: 1), dataDescription: "digits 80/20")
    }

    @Test("lr-max 1e3, and 1e30 without weight decay: the run stops at the first non-finite value; no .h5 file holds one",
          arguments: [(1e3, 5e-4), (1e30, 0)])
    func hugeLearningRateStopsWithFiniteFiles(maximumLearningRate: Double, weightDecay: Double) throws {
        let folder = TrainingFixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try hugeLearningRateRun(in: folder, maximumLearningRate: maximumLearningRate, weightDecay: weightDecay)
        var caught: (any Error)?
        do { _ = try run.run(resume: false) } catch { caught = error }
        let nonFinite = try nonFiniteDatasets(in: folder)
        #expect(nonFinite.isEmpty, "\(nonFinite.count) non-finite datasets, e.g. \(nonFinite.prefix(3))")
        let error = try #require(caught as? TrainingError, "the run must stop with a TrainingError, got \(String(describing: caught))")
        #expect(error.isDivergence)
        // Caught where the first NaN or ±∞ appears, before the loss shows it (if it ever does).
        guard case let .nonFiniteValue(cycle, epoch, batch, value) = error else {
            Issue.record("expected .nonFiniteValue, got \(error)")
            return
        }
        #expect(error.description.contains("cycle \(cycle), epoch \(epoch), batch \(batch)"))
        #expect(error.description.contains(value.name) && error.description.contains(value.quantity.rawValue))
        #expect(!value.value.isFinite)
        // Whatever checkpoint was written reads back (the last good epoch).
        let checkpoint = folder.appendingPathComponent("checkpoint.h5").path
        if FileManager.default.fileExists(atPath: checkpoint) {
            #expect(throws: Never.self) { try Checkpoint.read(from: checkpoint, expectedConfiguration: nil) }
        }
    }

    @Test("A non-finite running statistic (the loss stays finite) stops the first batch before any update")
    func nonFiniteRunningStatisticStops() throws {
        let trainer = try Trainer(network: TrainingFixture.network(stepCount: 1), data: TrainingFixture.data(),
                                  configuration: TrainingFixture.configuration)
        // Training-mode passes normalize with batch statistics, so the loss does not see this.
        let norm = trainer.network.headNorm
        var variance = norm.runningVariance
        variance.withUnsafeMutableBufferPointer { $0[1] = .infinity }
        norm.runningVariance = variance
        let before = trainer.network.parameters.map(\.value.elements)
        var caught: TrainingError?
        do {
            try trainer.train(epochs: 1, schedule: .constant(0.05))
        } catch let error as TrainingError {
            caught = error
        }
        let error = try #require(caught)
        #expect(error == .nonFiniteValue(cycle: 0, epoch: 0, batch: 0,
                                         value: NonFiniteValue(name: "head.bn.running_var", quantity: .runningStatistic,
                                                               index: 1, value: .infinity)))
        #expect(error.description.contains("running statistic of head.bn.running_var[1] = inf in cycle 0, epoch 0, batch 0"))
        #expect(trainer.network.parameters.map(\.value.elements) == before)
        #expect(trainer.state.step == 0)
    }

    @Test("Momentum buffers of N = 2 handed to a network of N = 4 throw, naming both depths")
    func momentumOfAnotherDepthIsRefused() throws {
        let data = try TrainingFixture.data()
        let coarse = try Trainer(network: TrainingFixture.network(stepCount: 2), data: data,
                                 configuration: TrainingFixture.configuration)
        try coarse.train(epochs: 1, schedule: .constant(0.05))
        let saved = coarse.state
        #expect(saved.optimizerDepth == 2)
        // The checkpoint form (scalars as JSON) keeps the tag.
        let json = try JSONEncoder().encode(saved.scalars)
        let restored = TrainingState(scalars: try JSONDecoder().decode(TrainingState.Scalars.self, from: json),
                                     optimizerBuffers: saved.optimizerBuffers)
        #expect(restored.optimizerDepth == 2)
        #expect(try TrainingState(counters: saved.counters, values: saved.values, randomStates: saved.randomStates,
                                  optimizerBuffers: saved.optimizerBuffers, records: saved.records).optimizerDepth == 2)
        // Before the tag, the N = 2 buffers of steps 0 and 1 were applied to steps 0 and 1 of N = 4.
        #expect(throws: OptimizationError.depthMismatch(buffers: 2, parameters: 4)) {
            _ = try Trainer(network: TrainingFixture.network(stepCount: 4), data: data,
                            configuration: TrainingFixture.configuration, state: restored)
        }
        #expect(OptimizationError.depthMismatch(buffers: 2, parameters: 4).description.contains("N = 2")
                && OptimizationError.depthMismatch(buffers: 2, parameters: 4).description.contains("N = 4"))
        // The same depth resumes.
        _ = try Trainer(network: coarse.network.copy(), data: data, configuration: TrainingFixture.configuration,
                        state: restored)
        // The multilevel hook refuses buffers tagged with another depth than the new network's.
        #expect(throws: OptimizationError.depthMismatch(buffers: 2, parameters: 4)) {
            try coarse.replaceNetwork(TrainingFixture.network(stepCount: 4), optimizerBuffers: saved.optimizerBuffers,
                                      depth: 2)
        }
    }

    @Test("A multilevel run tags the refined momentum with the new depth")
    func multilevelRunRetagsMomentum() throws {
        let schedule = try MultilevelSchedule(cycles: [.init(stepCount: 1, length: .epochs(1)),
                                                       .init(stepCount: 2, length: .epochs(1))],
                                              prolongation: .piecewiseConstant, stepSizeRule: .halve,
                                              momentumPolicy: .transfer, maximumLearningRate: 0.05,
                                              minimumLearningRate: 0.001)
        let trainer = try MultilevelTrainer(network: TrainingFixture.network(stepCount: 1), data: TrainingFixture.data(),
                                            configuration: TrainingFixture.configuration, schedule: schedule)
        try trainer.run()
        #expect(trainer.state.optimizerDepth == 2)
    }
}
