/// What `mlresnet analyze` measures on a level archive: per level and stage the per-step norms,
/// the lesion study and the continuous-depth evaluation, plus the power law of ‖G‖ across levels.
///
/// Everything is measured on the test set in evaluation mode (running batch-norm statistics).
/// Reference: Chang et al., ICLR 2018, §4.1, Fig. 4 (‖G‖ against depth) and the lesion study.
public struct AnalysisReport: Sendable, Codable, Hashable {
    /// The dataset name stored in the archive.
    public var dataset: String
    /// Test images evaluated.
    public var testCount: Int
    /// The analysis of each archived level, by ascending index ℓ (0 = finest).
    public var levels: [LevelAnalysis]
    /// The fit of `log mean‖G‖` on `log N` across levels; `nil` when unavailable.
    public var powerLaw: PowerLawFit?
    /// Why ``powerLaw`` is `nil` (fewer than 2 levels, equal `N`, a zero mean ‖G‖), else `nil`.
    public var powerLawUnavailableReason: String?

    /// Creates a report.
    public init(dataset: String, testCount: Int, levels: [LevelAnalysis], powerLaw: PowerLawFit?,
                powerLawUnavailableReason: String?) {
        self.dataset = dataset
        self.testCount = testCount
        self.levels = levels
        self.powerLaw = powerLaw
        self.powerLawUnavailableReason = powerLawUnavailableReason
    }

    /// Every per-step row of every level, in level, stage, step order.
    public var stepRows: [StepNormRow] { levels.flatMap(\.steps) }
}

/// One ODE step's norms on the test set, averaged over batches weighted by batch size.
///
/// ```
/// stateNorm    = ‖Y_n‖,   residualNorm = ‖G(Y_n)‖ = ‖Y_{n+1} − Y_n‖   (RMS per example)
/// ```
public struct StepNormRow: Sendable, Codable, Hashable {
    /// The archive level ℓ.
    public var level: Int
    /// Steps per stage `N` of that level.
    public var stepCount: Int
    /// The stage index `s`.
    public var stage: Int
    /// The step index `n` within the stage.
    public var step: Int
    /// `t_n = n h`.
    public var time: Double
    /// `‖Y_n‖`.
    public var stateNorm: Double
    /// `‖G(Y_n)‖`.
    public var residualNorm: Double
    /// Test accuracy of the network with this step deleted (same `h`), in `[0, 1]`.
    public var lesionAccuracy: Double

    /// Creates a row.
    public init(level: Int, stepCount: Int, stage: Int, step: Int, time: Double, stateNorm: Double,
                residualNorm: Double, lesionAccuracy: Double) {
        self.level = level
        self.stepCount = stepCount
        self.stage = stage
        self.step = step
        self.time = time
        self.stateNorm = stateNorm
        self.residualNorm = residualNorm
        self.lesionAccuracy = lesionAccuracy
    }

    /// The CSV header matching ``csvLine``.
    public static let csvHeader = "level,N,stage,step,t,state_norm,residual_norm,lesion_accuracy"

    /// This row as one CSV line (no trailing newline), columns as in ``csvHeader``.
    public var csvLine: String {
        "\(level),\(stepCount),\(stage),\(step),\(time),\(stateNorm),\(residualNorm),\(lesionAccuracy)"
    }
}

/// One level's analysis.
public struct LevelAnalysis: Sendable, Codable, Hashable {
    /// The level index ℓ.
    public var level: Int
    /// The training cycle that produced it.
    public var cycle: Int
    /// Steps per stage `N`.
    public var stepCount: Int
    /// `T`.
    public var finalTime: Double
    /// The test accuracy stored in the archive (`nil` when not stored).
    public var archivedTestAccuracy: Double?
    /// Accuracy of the full network on the test set, measured here.
    public var accuracy: Double
    /// Mean loss of the full network on the test set.
    public var loss: Double
    /// Per-step rows, stage by stage (`Σ_s N` rows).
    public var steps: [StepNormRow]
    /// Mean ‖G‖ over the steps of each stage, by stage index.
    public var stageMeanResidualNorms: [Double]
    /// Mean ‖G‖ over every step of every stage (the quantity fitted against `N`).
    public var meanResidualNorm: Double
    /// Deleting `k` random steps per stage, over several seeds (`nil` when `k ≥ N`).
    public var randomLesion: RandomLesionSummary?
    /// Accuracy at other depths (`N/2` when `N` is even, and `2N`), by `resampled(toStepCount:)`.
    public var resampled: [ResampledAccuracy]

    /// Creates a level analysis.
    public init(level: Int, cycle: Int, stepCount: Int, finalTime: Double, archivedTestAccuracy: Double?,
                accuracy: Double, loss: Double, steps: [StepNormRow], stageMeanResidualNorms: [Double],
                meanResidualNorm: Double, randomLesion: RandomLesionSummary?, resampled: [ResampledAccuracy]) {
        self.level = level
        self.cycle = cycle
        self.stepCount = stepCount
        self.finalTime = finalTime
        self.archivedTestAccuracy = archivedTestAccuracy
        self.accuracy = accuracy
        self.loss = loss
        self.steps = steps
        self.stageMeanResidualNorms = stageMeanResidualNorms
        self.meanResidualNorm = meanResidualNorm
        self.randomLesion = randomLesion
        self.resampled = resampled
    }
}

/// The network re-discretized at `N'` steps per stage without retraining (halve rule: `T` kept).
public struct ResampledAccuracy: Sendable, Codable, Hashable {
    /// `N'`.
    public var stepCount: Int
    /// Test accuracy at `N'`.
    public var accuracy: Double

    /// Creates an entry.
    public init(stepCount: Int, accuracy: Double) {
        self.stepCount = stepCount
        self.accuracy = accuracy
    }
}
