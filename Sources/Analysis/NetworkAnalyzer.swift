public import Archiving
public import Datasets
public import ODENet
import Autodiff
import TensorCore
public import Training

/// Runs the analysis of `mlresnet analyze` on a test set: per-step norms, lesions, resampled depths.
///
/// Every evaluation is in evaluation mode (running batch-norm statistics), in batches of
/// ``batchSize`` images, on ``test`` normalized by ``statistics``; nothing in a network changes.
/// Reference: Chang et al., ICLR 2018, §4.1 (‖G‖ ∝ 1/N) and the lesion study (deleting steps).
public struct NetworkAnalyzer: Sendable {
    /// The test images.
    public var test: Dataset
    /// Their normalization (the training set's).
    public var statistics: ChannelStatistics
    /// Images per forward pass.
    public var batchSize: Int
    /// Seeds of the random lesions (one lesioned network per seed).
    public var lesionSeeds: [UInt64]
    /// Steps deleted per stage in a random lesion.
    public var lesionK: Int

    /// The most random-lesion seeds (each costs one test pass per level).
    public static let maximumLesionSeedCount = 10_000

    /// The random-lesion seeds `1 … count` of `mlresnet analyze --lesion-seeds K`.
    ///
    /// - Parameter count: `K` in `0 ... maximumLesionSeedCount` (0: no random lesion).
    /// - Returns: `[1, 2, …, K]`.
    /// - Throws: ``AnalysisError/invalidArgument(message:)`` for `K` outside that range.
    public static func lesionSeeds(count: Int) throws -> [UInt64] {
        guard count >= 0, count <= maximumLesionSeedCount else {
            throw AnalysisError.invalidArgument(
                message: "random lesions take 0 … \(maximumLesionSeedCount) seeds, got \(count)")
        }
        return (0..<UInt64(count)).map { $0 + 1 }
    }

    /// Creates an analyzer.
    ///
    /// - Parameters:
    ///   - test: the test images (non-empty).
    ///   - statistics: their normalization.
    ///   - batchSize: images per forward pass, ≥ 1.
    ///   - lesionSeeds: seeds of the random lesions (may be empty: no random lesion).
    ///   - lesionK: steps deleted per stage in a random lesion, ≥ 1.
    /// - Throws: ``AnalysisError/invalidArgument(message:)`` for an empty test set, `batchSize < 1`
    ///   or `lesionK < 1`.
    public init(test: Dataset, statistics: ChannelStatistics, batchSize: Int = 256, lesionSeeds: [UInt64] = [1, 2, 3],
                lesionK: Int = 2) throws {
        guard test.count > 0 else { throw AnalysisError.invalidArgument(message: "the test set is empty") }
        guard batchSize >= 1, lesionK >= 1 else {
            throw AnalysisError.invalidArgument(message: "batchSize (\(batchSize)) and k (\(lesionK)) must be ≥ 1")
        }
        self.test = test
        self.statistics = statistics
        self.batchSize = batchSize
        self.lesionSeeds = lesionSeeds
        self.lesionK = lesionK
    }

    /// Loss and accuracy of `network` on the test set.
    ///
    /// - Throws: as `Evaluation.of(_:on:statistics:batchSize:)`.
    public func evaluate(_ network: ODENetwork) throws -> Evaluation {
        try Evaluation.of(network, on: test, statistics: statistics, batchSize: batchSize)
    }

    /// The per-step ‖Y_n‖ and ‖G(Y_n)‖ on the test set, averaged over batches weighted by batch size.
    ///
    /// ```
    /// ‖·‖ = Σ_b |b| ‖·‖_b / Σ_b |b|
    /// ```
    /// Order: stage by stage, step by step (`Σ_s N` records).
    /// - Throws: `TrainingError`, `DatasetError`, `ODENetError` and kernel errors.
    public func stepNorms(of network: ODENetwork) throws -> [ForwardRecorder.StepRecord] {
        let batcher = try MiniBatcher(dataset: test, statistics: statistics, batchSize: batchSize)
        let tape = Tape(recording: false)
        var generator = SplitMix64(seed: 0)
        var sums: [ForwardRecorder.StepRecord] = []
        for indices in batcher.orderedBatches {
            tape.reset()
            let (input, _) = try batcher.batch(indices, augmented: false, generator: &generator)
            let recorder = ForwardRecorder(measuresNorms: true)
            _ = try network.forward(input, on: tape, mode: .evaluation, recorder: recorder)
            let weight = Double(indices.count)
            if sums.isEmpty {
                sums = recorder.steps.map { record in
                    var r = record
                    (r.stateNorm, r.residualNorm) = (0, 0)
                    return r
                }
            }
            for (i, record) in recorder.steps.enumerated() where i < sums.count {
                sums[i].stateNorm += weight * record.stateNorm
                sums[i].residualNorm += weight * record.residualNorm
            }
        }
        tape.reset()
        let total = Double(test.count)
        return sums.map { record in
            var r = record
            r.stateNorm /= total
            r.residualNorm /= total
            return r
        }
    }

    /// `k` distinct random steps in every stage, drawn with a seeded generator.
    ///
    /// - Parameters:
    ///   - stageCount: stages.
    ///   - stepCount: `N` (≥ `k`).
    ///   - k: steps per stage.
    ///   - seed: the generator's seed.
    /// - Returns: `(stage, step)` pairs, `k` per stage, steps ascending within a stage.
    public static func randomSteps(stageCount: Int, stepCount: Int, k: Int, seed: UInt64) -> [(stage: Int, step: Int)] {
        var generator = SplitMix64(seed: seed)
        var result: [(stage: Int, step: Int)] = []
        for s in 0..<stageCount {
            var steps = Array(0..<stepCount)
            generator.shuffle(&steps)
            result += steps.prefix(min(k, stepCount)).sorted().map { (stage: s, step: $0) }
        }
        return result
    }

    /// Analyzes one level: norms, single-step and random lesions, accuracy at `N/2` and `2N`.
    ///
    /// The random lesion is left out (`nil`) when `k ≥ N` or there are no seeds; `N/2` is left out
    /// for odd `N`.
    /// - Throws: evaluation, lesion and resampling errors; `StatisticsError` from the summary.
    public func analyze(_ level: ArchivedLevel) throws -> LevelAnalysis {
        let network = level.network
        let n = network.spec.stepCount
        let full = try evaluate(network)
        let norms = try stepNorms(of: network)
        var rows: [StepNormRow] = []
        for record in norms {
            let lesion = try evaluate(network.lesioned(deleting: [(stage: record.stage, step: record.step)]))
            rows.append(StepNormRow(level: level.index, stepCount: n, stage: record.stage, step: record.step,
                                    time: record.time, stateNorm: record.stateNorm,
                                    residualNorm: record.residualNorm, lesionAccuracy: lesion.accuracy))
        }
        let stageMeans = try network.stages.indices.map { s in
            try rows.filter { $0.stage == s }.map(\.residualNorm).mean()
        }
        var randomLesion: RandomLesionSummary?
        if lesionK < n, !lesionSeeds.isEmpty {
            let accuracies = try lesionSeeds.map { seed in
                let deleted = Self.randomSteps(stageCount: network.stages.count, stepCount: n, k: lesionK, seed: seed)
                return try evaluate(network.lesioned(deleting: deleted)).accuracy
            }
            randomLesion = RandomLesionSummary(k: lesionK, seeds: lesionSeeds, accuracy: try SeedSummary(accuracies))
        }
        var resampled: [ResampledAccuracy] = []
        for target in (n % 2 == 0 ? [n / 2] : []) + [2 * n] {
            let other = try network.resampled(toStepCount: target, rule: .halve)
            resampled.append(ResampledAccuracy(stepCount: target, accuracy: try evaluate(other).accuracy))
        }
        return LevelAnalysis(level: level.index, cycle: level.cycle, stepCount: n, finalTime: network.spec.finalTime,
                             archivedTestAccuracy: level.testAccuracy.isFinite ? level.testAccuracy : nil,
                             accuracy: full.accuracy, loss: full.loss, steps: rows, stageMeanResidualNorms: stageMeans,
                             meanResidualNorm: try rows.map(\.residualNorm).mean(), randomLesion: randomLesion,
                             resampled: resampled)
    }

    /// Analyzes every level of an archive and fits the power law of mean ‖G‖ against `N`.
    ///
    /// - Parameter archive: the archive.
    /// - Returns: the report; the power law is `nil` with a reason when it cannot be fitted.
    /// - Throws: as ``analyze(_:)``.
    public func analyze(_ archive: LevelArchive) throws -> AnalysisReport {
        let levels = try archive.levels.map { try analyze($0) }
        var fit: PowerLawFit?
        var reason: String?
        do {
            fit = try PowerLawFit(stepCounts: levels.map(\.stepCount), residualNorms: levels.map(\.meanResidualNorm))
        } catch let AnalysisError.powerLawUnavailable(why) {
            reason = why
        }
        return AnalysisReport(dataset: archive.metadata.dataset, testCount: test.count, levels: levels,
                              powerLaw: fit, powerLawUnavailableReason: reason)
    }
}
