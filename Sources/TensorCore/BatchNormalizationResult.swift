/// The ReLU mask oneDNN keeps between a fused BN+ReLU training forward and its backward.
public final class BatchNormalizationWorkspace: @unchecked Sendable {
    // Safe to send: written once by the forward kernel, then only read.
    let buffer: RawBuffer
    init(buffer: RawBuffer) { self.buffer = buffer }
}

/// What a training-mode batch normalization forward returns.
public struct BatchNormalizationResult: Sendable {
    /// `y`, NHWC, the input's shape.
    public var output: Tensor
    /// The batch statistics used (for the running-statistics update and the backward pass).
    public var statistics: BatchNormalizationStatistics
    /// The ReLU mask when ReLU was fused (pass it to `backward`), else `nil`.
    public var workspace: BatchNormalizationWorkspace?
}
