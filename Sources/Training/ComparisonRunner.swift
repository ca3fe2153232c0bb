public import Archiving
public import Foundation
import Autodiff
import Optimization
import Datasets
import ODENet

/// Trains the runs of a ``ComparisonPlan``: a warm-up of every batch shape, then each run of
/// ``ComparisonPlan/runs`` in order, as a ``TrainingRun`` in an output folder (checkpoints, logs,
/// level archives, exact resume) or in memory.
///
/// ```swift
/// let plan = try ComparisonPlan(configuration: configuration)
/// let report = try ComparisonRunner(plan: plan).run(data: data, outputFolder: folder)
/// ```
///
/// Reference: Chang, Meng, Haber, Tung, Begert, *Multi-level Residual Networks from Dynamical
/// Systems View*, ICLR 2018, §4 (the runs of Tables 1–2, trained on one budget).
public struct ComparisonRunner: Sendable {
    /// One trained run: its kind, the trainer's result and its files (relative to the output folder).
    public struct Outcome {
        /// Which run.
        public var kind: ComparisonRunKind
        /// The multilevel trainer's result (levels, records, final network, wall seconds).
        public var result: MultilevelResult
        /// The JSON-lines log, relative to the output folder; `nil` without a folder.
        public var logFile: String?
        /// The level archive (HDF5), relative to the output folder; `nil` without a folder or
        /// without archive metadata.
        public var archiveFile: String?

        /// Wraps a run's result.
        public init(kind: ComparisonRunKind, result: MultilevelResult, logFile: String? = nil, archiveFile: String? = nil) {
            self.kind = kind
            self.result = result
            self.logFile = logFile
            self.archiveFile = archiveFile
        }
    }

    /// What is trained.
    public let plan: ComparisonPlan

    /// A runner of `plan`; nothing is trained yet.
    ///
    /// - Parameter plan: the checked plan.
    public init(plan: ComparisonPlan) {
        self.plan = plan
    }

    /// The multilevel trainer of one run: from its first level's fresh network (seed
    /// `networkSeed`, `T_0` for every run, so (a) is the finest level of (b) with the same N and h),
    /// or from `network` and `state` when resuming; with its log and progress display.
    ///
    /// - Parameters:
    ///   - kind: the run.
    ///   - data: the data.
    ///   - network: the network to continue, or `nil` for a fresh one.
    ///   - state: the state to continue from, or `nil`.
    ///   - log: the JSON-lines log, or `nil`.
    ///   - appendToLog: keep the log's existing lines (a resumed run).
    ///   - progress: the progress display.
    /// - Throws: ``TrainingError`` and the errors of building the network and the log.
    func makeTrainer(kind: ComparisonRunKind, data: TrainingData, network: ODENetwork? = nil,
                     state: TrainingState? = nil, log: URL?, appendToLog: Bool = false,
                     progress: ProgressReporter.Style) throws -> MultilevelTrainer {
        let schedule = try plan.schedule(for: kind)
        let start = try network ?? ODENetwork(
            spec: plan.spec(stepCount: schedule.cycles[0].stepCount, finalTime: plan.coarseFinalTime, data: data),
            seed: plan.configuration.networkSeed)
        let trainer = try MultilevelTrainer(network: start, data: data, configuration: plan.configuration.training,
                                            schedule: schedule, state: state)
        if let log { trainer.trainer.log = try TrainingLog(url: log, append: appendToLog) }
        if progress != .silent {
            trainer.trainer.progress = ProgressReporter(style: progress, label: "[\(kind.rawValue)] ",
                                                        plannedEpochs: schedule.maxEpochs)
        }
        return trainer
    }

    /// Runs every batch shape of the comparison once on throw-away networks, so that no run pays
    /// for creating (JIT-compiling) the oneDNN primitives that the others then reuse: without it
    /// the first run's seconds include all of that and the savings look larger than they are.
    ///
    /// - Parameter data: the datasets of the runs.
    /// - Throws: kernel and data errors.
    public func warmUp(data: TrainingData) throws {
        let c = plan.configuration
        var batchSizes = Set([min(c.training.batchSize, data.training.count)])
        if data.training.count % c.training.batchSize != 0 { batchSizes.insert(data.training.count % c.training.batchSize) }
        for stepCount in Set(c.stepCounts) {
            let network = try ODENetwork(spec: plan.spec(stepCount: stepCount, finalTime: plan.coarseFinalTime, data: data),
                                         seed: c.networkSeed &+ 1)
            let batcher = try MiniBatcher(dataset: data.training, statistics: data.statistics,
                                          batchSize: c.training.batchSize)
            var generator = SplitMix64(seed: 0)
            // The training step's forward and backward passes (its update would only change this
            // throw-away network).
            let step = try TrainingStep(network: network, optimizer: SGD(momentum: c.training.momentum,
                                                                          weightDecay: c.training.weightDecay))
            for size in batchSizes {
                let (input, labels) = try batcher.batch(Array(0..<size), augmented: false, generator: &generator)
                try step.gradients(of: TrainingBatch(input: input, labels: labels))
            }
            for part in [data.validation, data.test].compactMap({ $0 }) {
                _ = try Evaluation.of(network, on: part, statistics: data.statistics,
                                      batchSize: c.training.evaluationBatchSize)
            }
        }
    }

    /// Trains every run of the plan, in order, after a ``warmUp(data:)``.
    ///
    /// With `outputFolder`, each run is a ``TrainingRun`` in that folder with the names of
    /// ``TrainingRun/Files/comparisonRun(_:)``: `<kind>.jsonl` (one ``EpochRecord`` per line),
    /// `<kind>.checkpoint.h5` (after every epoch, at an interruption and at the run's end) and, with
    /// `archiveMetadata`, `<kind>.h5`, the run's level archive (every level it trained, rewritten
    /// after each cycle); `results.json` is the caller's (``ComparisonReport/write(to:)``).
    /// With `resume`, a run whose checkpoint is complete is not trained again, the run in progress
    /// continues from its checkpoint (inside an epoch too) and the runs not started yet start; the
    /// numbers equal an uninterrupted comparison's at the same thread count (the seeds, the order
    /// and the warm-up are the same, every run restarts exactly where it stopped).
    ///
    /// - Parameters:
    ///   - data: the datasets (a test part is required).
    ///   - outputFolder: where the logs, checkpoints (and archives) go, or `nil` (nothing written,
    ///     no resume).
    ///   - archiveMetadata: the level archives' root metadata (its `dataset` also names the data in
    ///     the checkpoints' configuration fingerprint); `nil` writes no archive.
    ///   - resume: continue the comparison whose checkpoints are in `outputFolder`.
    ///   - interruption: polled after every batch; when it asks, the run in progress writes its
    ///     checkpoint and ``TrainingInterrupted`` is thrown.
    ///   - progress: the progress style of each run.
    ///   - observers: the observers of each run (e.g. a level archive per run).
    /// - Returns: one outcome per run, in the plan's order.
    /// - Throws: ``TrainingError/incompatibleData(dataset:message:)`` without a test part;
    ///   ``TrainingInterrupted``; `ArchiveError.configurationMismatch` when resuming with a
    ///   checkpoint of other settings; the trainers' errors
    ///   (``TrainingError/nonFiniteLoss(cycle:epoch:batch:loss:)`` …).
    public func train(data: TrainingData, outputFolder: URL? = nil, archiveMetadata: ArchiveMetadata? = nil,
                      resume: Bool = false, interruption: (any InterruptionSource)? = nil,
                      progress: ProgressReporter.Style = .silent,
                      observers: (ComparisonRunKind) throws -> [any TrainingObserver] = { _ in [] }) throws
        -> [Outcome] {
        guard data.test != nil else {
            throw TrainingError.incompatibleData(dataset: data.training.name, message: "a comparison needs a test part")
        }
        try warmUp(data: data)
        var outcomes: [Outcome] = []
        for kind in plan.runs {
            let files = TrainingRun.Files.comparisonRun(kind)
            let result: MultilevelResult
            if let outputFolder {
                var metadata = archiveMetadata
                metadata?.stepRule = try plan.schedule(for: kind).stepSizeRule
                let run = TrainingRun(plan: plan, kind: kind, data: data, folder: outputFolder, files: files,
                                      metadata: metadata, dataDescription: archiveMetadata?.dataset ?? data.training.name)
                run.progress = progress
                run.interruption = interruption
                result = try run.run(resume: resume && FileManager.default.fileExists(atPath: run.checkpointURL.path),
                                     observers: try observers(kind))
            } else {
                let trainer = try makeTrainer(kind: kind, data: data, log: nil, progress: progress)
                trainer.trainer.observers = try observers(kind)
                trainer.trainer.interruption = interruption
                result = try trainer.run()
            }
            outcomes.append(Outcome(kind: kind, result: result, logFile: outputFolder.map { _ in files.log },
                                    archiveFile: outputFolder != nil && archiveMetadata != nil ? files.archive : nil))
        }
        return outcomes
    }

    /// Trains every run (``train(data:outputFolder:archiveMetadata:resume:interruption:progress:observers:)``)
    /// and reports them (``ComparisonReport/init(plan:data:outcomes:)``).
    ///
    /// - Parameters: as ``train(data:outputFolder:archiveMetadata:resume:interruption:progress:observers:)``.
    /// - Returns: the report (its `threads` unset; `dataset` the training set's name).
    /// - Throws: as ``train(data:outputFolder:archiveMetadata:resume:interruption:progress:observers:)``.
    public func run(data: TrainingData, outputFolder: URL? = nil, archiveMetadata: ArchiveMetadata? = nil,
                    resume: Bool = false, interruption: (any InterruptionSource)? = nil,
                    progress: ProgressReporter.Style = .silent,
                    observers: (ComparisonRunKind) throws -> [any TrainingObserver] = { _ in [] }) throws
        -> ComparisonReport {
        let outcomes = try train(data: data, outputFolder: outputFolder, archiveMetadata: archiveMetadata,
                                 resume: resume, interruption: interruption, progress: progress, observers: observers)
        return ComparisonReport(plan: plan, data: data, outcomes: outcomes)
    }
}
