/// Errors thrown when a network is specified, built, transferred between depths or evaluated.
public enum ODENetError: Error, Equatable, CustomStringConvertible {
    /// `N`, the steps per stage, is outside `1…ODENetSpec.maximumStepCount`.
    case invalidStepCount(Int)
    /// `T`, the final time of each ODE block, is not finite and positive.
    case invalidFinalTime(Double)
    /// The list of stage channel counts is empty.
    case emptyChannelList
    /// A stage's channel count is outside `1…ODENetSpec.maximumChannelCount`.
    case invalidChannelCount(stage: Int, channels: Int)
    /// The input shape `[height, width, channels]` has a non-positive extent.
    case invalidInputShape([Int])
    /// The input shape does not have the three extents `[height, width, channels]` of one image
    /// (e.g. `[8, 8]`, a grey image without its channel extent, or `[batch, height, width, channels]`).
    case invalidInputRank([Int])
    /// Fewer than 2 classes.
    case invalidClassCount(Int)
    /// The number of per-stage integrators differs from the number of stages.
    case integratorCountMismatch(stages: Int, integrators: Int)
    /// Downsampling would shrink a stage's feature map below 1 × 1.
    case featureMapTooSmall(stage: Int, height: Int, width: Int)
    /// The batch-norm momentum is outside `[0, 1]` or ε is not positive.
    case invalidBatchNormalization(momentum: Float, epsilon: Float)
    /// An input batch whose shape differs from `[batch, height, width, channels]` of the spec.
    case inputShapeMismatch(expected: [Int], got: [Int])
    /// Labels whose count differs from the batch, or a label outside `0..<classCount`.
    case invalidLabels(String)
    /// A per-step state (e.g. a momentum buffer) missing or of the wrong shape for a transfer.
    case stateMismatch(name: String, message: String)
    /// A part given to `ODENetwork.init(spec:stem:stages:headNorm:classifierWeight:classifierBias:)`
    /// that does not match the spec (`part` names it, e.g. `stage1.step0.conv1.weight`).
    case assemblyMismatch(part: String, message: String)
    /// The step size `h = T / N` is not a normal `Float` (the residual blocks compute in `Float`:
    /// `h` would round to 0, a subnormal or ∞).
    case invalidStepSize(stepSize: Double, finalTime: Double, stepCount: Int)
    /// `resampled(toStepCount:)` cannot reach `N' = target` from `N = source` by factors of `cf`.
    case unreachableStepCount(source: Int, target: Int, coarseningFactor: Int)
    /// An input batch holding NaN or ±∞; `index` is the flat (row-major) index of the first one.
    case nonFiniteInput(index: Int)
    /// Batch-norm recalibration was given no batch (`batches == 0`).
    case emptyRecalibration
    /// Batch-norm recalibration produced a NaN or infinite running statistic (`name`: its path,
    /// e.g. `stage0.step3.bn2.running_var`); the network's statistics were restored.
    case nonFiniteRunningStatistic(name: String)

    /// A one-line explanation naming the offending values.

    public var description: String {
        switch self {
        case .invalidStepCount(let n):
            return "steps per stage N must be in 1…\(ODENetSpec.maximumStepCount), got \(n)"
        case .invalidFinalTime(let t): return "final time T must be finite and > 0, got \(t)"
        case .emptyChannelList: return "the list of stage channels is empty: give at least one stage"
        case .invalidChannelCount(let s, let c):
            return "stage \(s): channel count must be in 1…\(ODENetSpec.maximumChannelCount), got \(c)"
        case .invalidInputShape(let shape):
            return "input shape [height, width, channels] must be positive, got \(shape)"
        case .invalidInputRank(let shape):
            let hint = shape.count == 2 ? " (a grey image is [height, width, 1])"
                : shape.count == 4 ? " (the shape of one image, without the batch extent)" : ""
            return "input shape must be [height, width, channels] (3 extents), got \(shape) "
                + "(\(shape.count) extent\(shape.count == 1 ? "" : "s"))\(hint)"
        case .invalidClassCount(let k): return "class count must be ≥ 2, got \(k)"
        case .integratorCountMismatch(let s, let i):
            return "\(i) integrators given for \(s) stages: give one, or one per stage"
        case .featureMapTooSmall(let s, let h, let w):
            return "stage \(s): downsampling a \(h)×\(w) feature map by 2 leaves nothing; use fewer stages"
        case .invalidBatchNormalization(let m, let e):
            return "batch norm needs momentum in [0, 1] and a finite ε > 0, got momentum \(m), ε \(e)"
        case .inputShapeMismatch(let expected, let got):
            return "input batch has shape \(got), expected \(expected) ([batch, height, width, channels])"
        case .invalidLabels(let message): return "invalid labels: \(message)"
        case .stateMismatch(let name, let message): return "state '\(name)': \(message)"
        case .assemblyMismatch(let part, let message): return "network part '\(part)': \(message)"
        case .invalidStepSize(let h, let t, let n):
            return "step size h = T / N = \(t) / \(n) = \(h) is not a normal Float "
                + "(expected about 1e-37 < h < 3e38); change T or N"
        case .unreachableStepCount(let source, let target, let cf):
            return "cannot resample from N = \(source) to N' = \(target) steps per stage: N' must be "
                + "N · cf^k or N / cf^k with cf = \(cf)"
        case .nonFiniteInput(let index):
            return "input batch holds a NaN or infinite value at flat index \(index)"
        case .emptyRecalibration:
            return "batch-norm recalibration needs at least one batch, got none"
        case .nonFiniteRunningStatistic(let name):
            return "batch-norm recalibration gave a NaN or infinite running statistic \(name); "
                + "the previous statistics were kept"
        }
    }
}
