public import Archiving
import Foundation
import Autodiff
import Optimization
import Datasets
import ODENet
public import Integrators

/// The paper's experiment on one dataset and one epoch budget: the finest depth trained from
/// scratch (a), multi-level training (b), the naive rule that doubles depth but keeps `h` (c)
/// and, optionally, the shallow first-cycle network (d); with the theory's time saving.
///
/// Every run starts from `ODENetwork(spec:seed: networkSeed)` and the same data seed, with the
/// cosine learning rate (restarted per cycle in (b) and (c)); the single-level runs are one-cycle
/// multilevel runs, so all four share one code path.
///
/// Reference: Chang, Meng, Haber, Tung, Begert, *Multi-level Residual Networks from Dynamical
/// Systems View*, ICLR 2018, §4 (Tables 1–2; budget split 60/50/50 epochs, theory §3.3).
public struct Comparison: Sendable {
    /// The settings, checked.
    public let configuration: ComparisonConfiguration
    /// The epochs of each multilevel cycle.
    public let cycleEpochs: [Int]

    /// Checks the settings.
    ///
    /// - Throws: ``TrainingError/invalidConfiguration(name:value:expected:)`` for a budget smaller
    ///   than the cycle count, explicit cycle epochs that do not sum to the budget or do not match
    ///   the cycles, or an empty channel list; the schedule's errors.
    public init(configuration: ComparisonConfiguration) throws {
        let c = configuration
        guard !c.stepCounts.isEmpty, c.epochs >= c.stepCounts.count else {
            throw TrainingError.invalidConfiguration(name: "epochs", value: "\(c.epochs)",
                                                     expected: "≥ the number of cycles (\(c.stepCounts.count))")
        }
        let split = c.cycleEpochs ?? Comparison.paperSplit(epochs: c.epochs, cycles: c.stepCounts.count)
        guard split.count == c.stepCounts.count, split.allSatisfy({ $0 >= 1 }), split.reduce(0, +) == c.epochs else {
            throw TrainingError.invalidConfiguration(
                name: "cycle epochs", value: "\(split)",
                expected: "\(c.stepCounts.count) values ≥ 1 summing to the budget \(c.epochs)")
        }
        try c.training.validate()
        guard c.maximumLearningRate.isFinite, c.maximumLearningRate > 0, Float(c.maximumLearningRate).isNormal else {
            throw TrainingError.invalidConfiguration(name: "maximum learning rate", value: "\(c.maximumLearningRate)",
                                                     expected: "a finite value > 0")
        }
        guard c.minimumLearningRate.isFinite, c.minimumLearningRate > 0, Float(c.minimumLearningRate).isNormal,
              c.minimumLearningRate <= c.maximumLearningRate else {
            throw TrainingError.invalidConfiguration(name: "minimum learning rate", value: "\(c.minimumLearningRate)",
                                                     expected: "a finite value > 0 and ≤ the maximum \(c.maximumLearningRate)")
        }
        guard c.maximumLearningRate * c.training.weightDecay < 1 else {
            throw TrainingError.invalidConfiguration(
                name: "weight decay", value: "\(c.training.weightDecay)",
                expected: "learning rate × weight decay < 1 (maximum learning rate \(c.maximumLearningRate))")
        }
        self.configuration = c
        cycleEpochs = split
        _ = try schedule(for: .multilevel)
    }

    /// The paper's split of a budget over cycles: weights `1.2 : 1 : … : 1` (60/50/50 for three
    /// cycles, i.e. 37.5 % / 31.25 % / 31.25 %), rounded to whole epochs by largest remainder
    /// (ties to the earlier cycle), each cycle at least one epoch.
    ///
    /// - Parameters:
    ///   - epochs: the budget `E ≥ cycles`.
    ///   - cycles: the cycle count `C ≥ 1`.
    /// - Returns: `C` epoch counts summing to `E`.
    public static func paperSplit(epochs: Int, cycles: Int) -> [Int] {
        guard cycles > 1 else { return [epochs] }
        let weights = [1.2] + Array(repeating: 1.0, count: cycles - 1)
        let total = weights.reduce(0, +)
        let exact = weights.map { Double(epochs) * $0 / total }
        var split = exact.map { max(1, Int($0.rounded(.down))) }
        var left = epochs - split.reduce(0, +)
        let order = exact.indices.sorted { (exact[$0] - exact[$0].rounded(.down), -$0) > (exact[$1] - exact[$1].rounded(.down), -$1) }
        var i = 0
        while left > 0 { split[order[i % cycles]] += 1; left -= 1; i += 1 }
        while left < 0, let j = split.indices.max(by: { split[$0] < split[$1] }) { split[j] -= 1; left += 1 }
        return split
    }

    /// The theory's saving for `k` interpolations with equal cycles:
    /// ```
    /// 1 − (2^{k+1} − 1) / (2^k (k + 1))          (0, 25, 41.7, 53.1 % for k = 0…3)
    /// ```
    ///
    /// Reference: Chang et al., ICLR 2018, §3.3.
    public static func theoreticalTimeSaved(interpolations k: Int) -> Double {
        let p = pow(2.0, Double(k))
        return 1 - (2 * p - 1) / (p * Double(k + 1))
    }

    /// The theory's saving for a given split, each epoch costing `cost(N)`:
    /// `1 − Σ_c e_c cost(N_c) / (Σ_c e_c · cost(N_last))`.
    ///
    /// - Parameters:
    ///   - cycleEpochs: `e_c`.
    ///   - stepCounts: `N_c`, the last being the full baseline's depth.
    ///   - cost: the cost of an epoch at depth `N` (default `N`).
    /// - Returns: the saving as a fraction.
    public static func theoreticalTimeSaved(cycleEpochs: [Int], stepCounts: [Int],
                                            cost: (Int) -> Double = { Double($0) }) -> Double {
        guard let last = stepCounts.last else { return 0 }
        let multilevel = zip(cycleEpochs, stepCounts).reduce(0.0) { $0 + Double($1.0) * cost($1.1) }
        return 1 - multilevel / (Double(cycleEpochs.reduce(0, +)) * cost(last))
    }

    /// Steps per stage that give an integrator the same residual-function evaluations per step
    /// grid as a reference method: `N' = N · s_ref / s` for every cycle, with `s` the stage counts.
    ///
    /// With `T` kept, `h' = h · s / s_ref`: e.g. forward Euler at `N = 4, 8, 16` (reference) and the
    /// classic RK4 at `N = 1, 2, 4`, both `4 + 8 + 16` evaluations per stage over the cycles.
    ///
    /// - Parameters:
    ///   - stepCounts: the reference method's `N` per cycle.
    ///   - referenceStageCount: `s_ref`.
    ///   - integrator: the method to rescale.
    /// - Returns: `N'` per cycle.
    /// - Throws: ``TrainingError/invalidConfiguration(name:value:expected:)`` when some `N · s_ref`
    ///   is not a multiple of `s` or exceeds `Int.max`.
    public static func equalEvaluationStepCounts(_ stepCounts: [Int], referenceStageCount: Int,
                                                 integrator: IntegratorKind) throws -> [Int] {
        let s = integrator.integrator.stageCount
        // N·s_ref in Int (a huge --schedule must not trap).
        let evaluations = stepCounts.map { $0.multipliedReportingOverflow(by: referenceStageCount) }
        if let n = zip(stepCounts, evaluations).first(where: { $0.1.overflow })?.0 {
            throw TrainingError.invalidConfiguration(
                name: "reference --schedule (\(integrator.rawValue) at equal evaluations)", value: "\(n)",
                expected: "steps per stage N with N·\(referenceStageCount) ≤ \(Int.max)")
        }
        guard evaluations.allSatisfy({ $0.partialValue % s == 0 }) else {
            throw TrainingError.invalidConfiguration(
                name: "reference --schedule (\(integrator.rawValue) at equal evaluations)",
                value: stepCounts.map(String.init).joined(separator: ","),
                expected: "steps per stage N with N·\(referenceStageCount) divisible by its \(s) stages "
                    + "(e.g. multiply the schedule by \(s / gcd(s, referenceStageCount)))")
        }
        return evaluations.map { $0.partialValue / s }
    }

    private static func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }

    /// The spec of a network with `N` steps per stage (final time `T` given) for `data`.
    ///
    /// - Throws: `ODENetError` for an invalid architecture.
    public func spec(stepCount: Int, finalTime: Double, data: TrainingData) throws -> ODENetSpec {
        try ODENetSpec(inputShape: [data.training.height, data.training.width, data.training.channels],
                       classCount: data.training.classCount, stageChannels: configuration.stageChannels,
                       stepCount: stepCount, finalTime: finalTime, integrators: [configuration.integrator.method])
    }

    /// `T` of the coarsest network.
    public var coarseFinalTime: Double { configuration.finalTime ?? Double(configuration.stepCounts[0]) }

    /// The schedule of a run.
    ///
    /// - Throws: ``TrainingError`` for an invalid schedule.
    public func schedule(for kind: ComparisonRunKind) throws -> MultilevelSchedule {
        let c = configuration
        let cycles: [TrainingCycle]
        switch kind {
        case .full: cycles = [TrainingCycle(stepCount: c.stepCounts.last!, length: .epochs(c.epochs))]
        case .shallow: cycles = [TrainingCycle(stepCount: c.stepCounts[0], length: .epochs(c.epochs))]
        case .multilevel, .naive:
            cycles = try zip(c.stepCounts, cycleEpochs).map { n, e in
                guard let plateau = c.plateau else { return TrainingCycle(stepCount: n, length: .epochs(e)) }
                return TrainingCycle(stepCount: n, length: .plateau(try PlateauRule(
                    minimumImprovement: plateau.minimumImprovement, patience: plateau.patience, maxEpochs: e)))
            }
        }
        return try MultilevelSchedule(cycles: cycles, prolongation: c.prolongation, grid: c.grid,
                                      stepSizeRule: kind == .naive ? .keep : .halve, momentumPolicy: c.momentumPolicy,
                                      maximumLearningRate: c.maximumLearningRate,
                                      minimumLearningRate: c.minimumLearningRate)
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
        let schedule = try schedule(for: kind)
        let start = try network ?? ODENetwork(
            spec: spec(stepCount: schedule.cycles[0].stepCount, finalTime: coarseFinalTime, data: data),
            seed: configuration.networkSeed)
        let trainer = try MultilevelTrainer(network: start, data: data, configuration: configuration.training,
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
        let c = configuration
        var batchSizes = Set([min(c.training.batchSize, data.training.count)])
        if data.training.count % c.training.batchSize != 0 { batchSizes.insert(data.training.count % c.training.batchSize) }
        for stepCount in Set(c.stepCounts) {
            let network = try ODENetwork(spec: spec(stepCount: stepCount, finalTime: coarseFinalTime, data: data),
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

    /// The runs trained, in order: (a), (b), (c), then (d) when asked for.
    public var kinds: [ComparisonRunKind] {
        [.full, .multilevel, .naive] + (configuration.includesShallowBaseline ? [.shallow] : [])
    }

    /// Trains every run and collects the table's numbers.
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
    /// - Returns: the result.
    /// - Throws: ``TrainingError/incompatibleData(dataset:message:)`` without a test part;
    ///   ``TrainingInterrupted``; `ArchiveError.configurationMismatch` when resuming with a
    ///   checkpoint of other settings; the trainers' errors
    ///   (``TrainingError/nonFiniteLoss(cycle:epoch:batch:loss:)`` …).
    public func run(data: TrainingData, outputFolder: URL? = nil, archiveMetadata: ArchiveMetadata? = nil,
                    resume: Bool = false, interruption: (any InterruptionSource)? = nil,
                    progress: ProgressReporter.Style = .silent,
                    observers: (ComparisonRunKind) throws -> [any TrainingObserver] = { _ in [] }) throws
        -> ComparisonReport {
        guard data.test != nil else {
            throw TrainingError.incompatibleData(dataset: data.training.name, message: "a comparison needs a test part")
        }
        let c = configuration
        try warmUp(data: data)
        var runs: [ComparisonRun] = []
        for kind in kinds {
            let schedule = try schedule(for: kind)
            let files = TrainingRun.Files.comparisonRun(kind)
            let result: MultilevelResult
            if let outputFolder {
                var metadata = archiveMetadata
                metadata?.stepRule = schedule.stepSizeRule
                let run = TrainingRun(comparison: self, kind: kind, data: data, folder: outputFolder, files: files,
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
            // F per forward pass at depth N: s·N per stage, every stage.
            let evaluations = { (n: Int) in c.stageChannels.count * c.integrator.integrator.stageCount * n }
            runs.append(ComparisonRun(kind: kind, levels: result.levels,
                                      testAccuracy: result.levels.last?.testAccuracy ?? 0,
                                      trainSeconds: result.trainSeconds, wallSeconds: result.wallSeconds,
                                      timeSavedVersusFull: nil, logFile: outputFolder.map { _ in files.log },
                                      archiveFile: outputFolder != nil && archiveMetadata != nil ? files.archive : nil,
                                      functionEvaluationsPerImage: result.levels.last.map { evaluations($0.stepCount) },
                                      trainingFunctionEvaluationsPerImage: result.levels.reduce(0) {
                                          $0 + $1.epochs * evaluations($1.stepCount)
                                      }))
        }
        if let full = runs.first(where: { $0.kind == .full }), full.trainSeconds > 0 {
            for i in runs.indices where runs[i].kind != .full {
                runs[i].timeSavedVersusFull = 1 - runs[i].trainSeconds / full.trainSeconds
            }
        }
        let macs = { (n: Int) -> Double in
            Double((try? self.spec(stepCount: n, finalTime: 1, data: data).forwardMultiplyAccumulates) ?? n)
        }
        let theory = TheoreticalSaving(
            interpolations: c.stepCounts.count - 1,
            equalCycles: Comparison.theoreticalTimeSaved(interpolations: c.stepCounts.count - 1),
            plannedSplit: Comparison.theoreticalTimeSaved(cycleEpochs: cycleEpochs, stepCounts: c.stepCounts),
            plannedSplitMultiplyAccumulates: Comparison.theoreticalTimeSaved(cycleEpochs: cycleEpochs,
                                                                             stepCounts: c.stepCounts, cost: macs))
        return ComparisonReport(
            dataset: data.training.name, trainingImages: data.training.count,
            validationImages: data.validation?.count ?? 0, testImages: data.test?.count ?? 0,
            stageChannels: c.stageChannels, stepCounts: c.stepCounts, cycleEpochs: cycleEpochs, epochs: c.epochs,
            integrator: c.integrator.rawValue, prolongation: c.prolongation.rawValue, batchSize: c.training.batchSize,
            learningRates: [c.maximumLearningRate, c.minimumLearningRate], seeds: [c.training.seed, c.networkSeed],
            threads: nil, runs: runs, theory: theory)
    }
}
