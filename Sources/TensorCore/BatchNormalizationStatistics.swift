/// Per-channel batch statistics of an NHWC tensor.
///
/// Shape: `mean` and `variance` are `[C]`.
/// Invariants: `variance` is the *biased* (population) variance, divided by `count`, as used in the
/// normalization; an unbiased running estimate multiplies it by `count / (count − 1)`.
public struct BatchNormalizationStatistics: Sendable {
    /// `μ_c = (1/M) Σ x`, over batch, height and width.
    public var mean: Tensor
    /// `σ²_c = (1/M) Σ (x − μ_c)²`.
    public var variance: Tensor
    /// `M = batch · height · width`, the number of values per channel.
    public var count: Int

    /// Creates statistics (e.g. running averages used as fixed statistics).
    ///
    /// - Parameters:
    ///   - mean: μ, `[C]`.
    ///   - variance: σ², `[C]`.
    ///   - count: values per channel behind them (1 when not meaningful).
    public init(mean: Tensor, variance: Tensor, count: Int) {
        self.mean = mean
        self.variance = variance
        self.count = count
    }

    /// Exponential running averages, the rule PyTorch uses:
    /// ```
    /// μ_run  ← (1 − m) μ_run  + m μ_B
    /// σ²_run ← (1 − m) σ²_run + m σ²_B · M/(M − 1)      (unbiased batch variance)
    /// ```
    /// - Parameters:
    ///   - runningMean: μ_run, `[C]`, updated in place.
    ///   - runningVariance: σ²_run, `[C]`, updated in place.
    ///   - momentum: m in [0, 1].
    /// - Throws: `TensorError.shapeMismatch` when the running tensors are not `[C]`.
    public func updateRunningAverages(mean runningMean: inout Tensor, variance runningVariance: inout Tensor,
                                      momentum: Float) throws(TensorError) {
        try runningMean.checkShape(mean.shape, operation: "updateRunningAverages (mean)")
        try runningVariance.checkShape(variance.shape, operation: "updateRunningAverages (variance)")
        let unbias = count > 1 ? Float(count) / Float(count - 1) : 1
        let (mu, sigma) = (mean.pointer, variance.pointer)
        let (rm, rv) = (runningMean.mutablePointer(), runningVariance.mutablePointer())
        for c in 0..<mean.count {
            rm[c] = (1 - momentum) * rm[c] + momentum * mu[c]
            rv[c] = (1 - momentum) * rv[c] + momentum * sigma[c] * unbias
        }
    }
}
