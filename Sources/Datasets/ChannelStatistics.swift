/// Per-channel mean and standard deviation of scaled pixel values, for normalization.
///
/// For channel `c` over all `M = count · height · width` pixels of a dataset, with scaled values
/// `u = x / pixelScale`:
///
/// ```
/// mean_c = (1/M) Σ u
/// std_c  = sqrt( (1/M) Σ u² − mean_c² )        (population standard deviation)
/// ```
///
/// The sums are accumulated exactly as integers and converted once to `Double`.
/// Compute it on the *training* part only and reuse it for validation and test data.
///
/// Shape: `mean` and `standardDeviation` are `[channels]`.
/// Invariants: `standardDeviation[c] ≥ 0`; `pixelScale > 0`.
public struct ChannelStatistics: Sendable, Equatable, Codable {
    /// The mean of `x / pixelScale` per channel.
    public var mean: [Double]
    /// The population standard deviation of `x / pixelScale` per channel.
    public var standardDeviation: [Double]
    /// The scale the statistics were computed with (255 for 8-bit images, 16 for digits).
    public var pixelScale: Double

    /// Creates statistics from given values (e.g. the usual published CIFAR-10 ones).
    ///
    /// - Parameters:
    ///   - mean: the per-channel mean of scaled values.
    ///   - standardDeviation: the per-channel standard deviation, same length as `mean`.
    ///   - pixelScale: the pixel value that scales to 1, > 0.
    /// - Throws: ``DatasetError/invalidArgument(operation:message:)`` when the lengths differ, a
    ///   value is not finite, a deviation is negative or the scale is not positive.
    public init(mean: [Double], standardDeviation: [Double], pixelScale: Double) throws {
        let operation = "ChannelStatistics(mean:standardDeviation:pixelScale:)"
        guard mean.count == standardDeviation.count, !mean.isEmpty else {
            throw DatasetError.invalidArgument(
                operation: operation,
                message: "mean has \(mean.count) channels, standardDeviation \(standardDeviation.count)")
        }
        guard mean.allSatisfy(\.isFinite), standardDeviation.allSatisfy({ $0.isFinite && $0 >= 0 }),
              pixelScale.isFinite, pixelScale > 0 else {
            throw DatasetError.invalidArgument(
                operation: operation,
                message: "values must be finite, deviations ≥ 0 and the scale > 0")
        }
        self.mean = mean
        self.standardDeviation = standardDeviation
        self.pixelScale = pixelScale
    }

    /// The number of channels.
    public var channels: Int { mean.count }
}
