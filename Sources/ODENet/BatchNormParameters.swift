public import Autodiff
public import TensorCore

/// The parameters and running statistics of one batch normalization over `C` channels.
///
/// Training mode normalizes with the batch statistics and then updates the running averages,
/// once per application:
/// ```
/// μ_run ← (1 − m) μ_run + m μ_B,     σ²_run ← (1 − m) σ²_run + m σ²_B · M/(M − 1)
/// ```
/// Inside an ODE step every Runge–Kutta stage evaluation of `F` is a separate application of the
/// same θ_n, so an s-stage method updates θ_n's running averages s times per batch, each with the
/// statistics of that stage's input: the running averages estimate the statistics over all stage
/// inputs, which is exactly what evaluation mode then normalizes (every stage input) with.
///
/// Shape: γ, β, μ_run, σ²_run are `[C]`.
public final class BatchNormParameters {
    /// The scale γ (initialized to 1).
    public let scale: Parameter
    /// The shift β (initialized to 0).
    public let shift: Parameter
    /// The running mean μ_run (initialized to 0).
    public var runningMean: Tensor
    /// The running (unbiased) variance σ²_run (initialized to 1).
    public var runningVariance: Tensor
    /// The paths of γ, β and the running statistics.
    public let paths: BatchNormPaths

    /// Fresh parameters: γ = 1, β = 0, μ_run = 0, σ²_run = 1.
    ///
    /// - Parameters:
    ///   - channels: `C ≥ 1`.
    ///   - paths: the tensors' paths (e.g. `.bn1(at: .step(stage: 1, step: 0))`).
    /// - Throws: `TensorError` for a non-positive channel count.
    public convenience init(channels: Int, paths: BatchNormPaths) throws {
        try self.init(scale: Tensor(shape: [channels], repeating: 1), shift: Tensor(zeros: [channels]),
                      runningMean: Tensor(zeros: [channels]), runningVariance: Tensor(shape: [channels], repeating: 1),
                      paths: paths)
    }

    /// Parameters from given values (a transfer between levels or a file).
    ///
    /// - Parameters:
    ///   - scale: γ, `[C]`.
    ///   - shift: β, `[C]`.
    ///   - runningMean: μ_run, `[C]`.
    ///   - runningVariance: σ²_run, `[C]`.
    ///   - paths: the tensors' paths.
    /// - Throws: `TensorError.shapeMismatch` unless all four are `[C]` of the same `C`.
    public init(scale: Tensor, shift: Tensor, runningMean: Tensor, runningVariance: Tensor,
                paths: BatchNormPaths) throws {
        let name = paths.scale.name
        let shape = scale.shape
        guard shape.count == 1 else {
            throw TensorError.shapeMismatch(operation: "\(name) batch norm", expected: [scale.count], got: shape)
        }
        for tensor in [shift, runningMean, runningVariance] {
            try tensor.checkShape(shape, operation: "\(name) batch norm")
        }
        self.scale = Parameter(scale, path: paths.scale)
        self.shift = Parameter(shift, path: paths.shift)
        self.runningMean = runningMean
        self.runningVariance = runningVariance
        self.paths = paths
    }

    /// `C`, the number of channels.
    public var channels: Int { scale.shape[0] }

    /// Normalizes `x`, then applies ReLU when `fuseReLU` (in one oneDNN kernel where possible).
    ///
    /// Shape: `[batch, height, width, C]` → the same.
    ///
    /// - Parameters:
    ///   - x: the input.
    ///   - mode: `training` (batch statistics; running averages updated) or `evaluation`.
    ///   - momentum: `m` of the running-average update.
    ///   - epsilon: ε.
    ///   - fuseReLU: apply `max(·, 0)` after the normalization.
    /// - Returns: the normalized variable.
    /// - Throws: kernel errors (`TensorError`, `DNNLError`) and `AutodiffError`.
    public func apply(_ x: Variable, mode: NetworkMode, momentum: Float, epsilon: Float,
                      fuseReLU: Bool) throws -> Variable {
        switch mode {
        case .training:
            let (output, statistics) = try x.batchNorm(scale: scale, shift: shift, epsilon: epsilon,
                                                        fuseReLU: fuseReLU)
            try statistics.updateRunningAverages(mean: &runningMean, variance: &runningVariance,
                                                 momentum: momentum)
            return output
        case .evaluation:
            return try x.batchNormInference(scale: scale, shift: shift, mean: runningMean,
                                            variance: runningVariance, epsilon: epsilon, fuseReLU: fuseReLU)
        }
    }

    /// An independent copy (new parameters with the same values; gradients zero).
    public func copy() throws -> BatchNormParameters {
        try BatchNormParameters(scale: scale.value, shift: shift.value, runningMean: runningMean,
                                runningVariance: runningVariance, paths: paths)
    }
}

/// The paths of one batch normalization's four tensors.
public struct BatchNormPaths: Hashable, Sendable {
    /// γ's path.
    public let scale: ParameterPath
    /// β's path.
    public let shift: ParameterPath
    /// The running mean's path.
    public let runningMean: ParameterPath
    /// The running variance's path.
    public let runningVariance: ParameterPath

    /// The first batch norm of a step or connector at `location`.
    ///
    /// - Parameter location: a step or connector.
    /// - Returns: the paths of BN1's γ, β, running mean and variance.
    /// - Throws: `ParameterPathError.invalid` for the stem or the head, or a negative index.
    public static func bn1(at location: ParameterPath.Location) throws -> BatchNormPaths {
        try BatchNormPaths(location, .bn1Weight, .bn1Bias, .bn1RunningMean, .bn1RunningVariance)
    }

    /// The second batch norm of a step or connector at `location`.
    ///
    /// - Parameter location: a step or connector.
    /// - Returns: the paths of BN2's γ, β, running mean and variance.
    /// - Throws: `ParameterPathError.invalid` for the stem or the head, or a negative index.
    public static func bn2(at location: ParameterPath.Location) throws -> BatchNormPaths {
        try BatchNormPaths(location, .bn2Weight, .bn2Bias, .bn2RunningMean, .bn2RunningVariance)
    }

    /// The head's batch norm.
    ///
    /// - Returns: the paths of the head norm's γ, β, running mean and variance.
    /// - Throws: nothing in practice (the head holds these fields); `ParameterPathError` by signature.
    public static func head() throws -> BatchNormPaths {
        try BatchNormPaths(.head, .bnWeight, .bnBias, .bnRunningMean, .bnRunningVariance)
    }

    private init(_ location: ParameterPath.Location, _ scale: ParameterPath.Field, _ shift: ParameterPath.Field,
                 _ mean: ParameterPath.Field, _ variance: ParameterPath.Field) throws {
        self.scale = try ParameterPath(location, scale)
        self.shift = try ParameterPath(location, shift)
        runningMean = try ParameterPath(location, mean)
        runningVariance = try ParameterPath(location, variance)
    }
}
