public import Autodiff
public import TensorCore

/// The parameters θ_n of one ODE step and the residual function they define:
/// ```
/// F(Y; θ_n) = conv2(ReLU(BN2(conv1(ReLU(BN1(Y))))))
/// ```
/// (pre-activation; both convolutions 3×3, stride 1, padding 1, no bias).
///
/// Shape: `Y` is `[batch, height, width, C]`; conv weights `[C, C, 3, 3]` (OIHW); BN tensors `[C]`.
///
/// Reference: Chang et al., ICLR 2018, eq. (2)–(3); He et al., ECCV 2016 (pre-activation unit).
public final class ResidualStep {
    /// BN1 (before the first convolution).
    public let bn1: BatchNormParameters
    /// The first convolution's weight, `[C, C, 3, 3]`.
    public let conv1: Parameter
    /// BN2 (between the convolutions).
    public let bn2: BatchNormParameters
    /// The second convolution's weight, `[C, C, 3, 3]`.
    public let conv2: Parameter

    /// Where the step lives (`.step(stage:step:)`); its tensors' paths are this location's.
    public let location: ParameterPath.Location

    /// The per-step fields, in the order of ``fieldTensors`` (their raw values are the dataset names
    /// of the HDF5 export, PyTorch's naming).
    public static let fields = ParameterPath.Field.stepFields

    /// Fresh parameters: He-normal convolutions (`fanIn = 9C`), BN γ = 1, β = 0.
    ///
    /// - Parameters:
    ///   - channels: `C`.
    ///   - stage: the stage index `s ≥ 0`.
    ///   - step: the step index `n ≥ 0` (the paths are `stage<s>.step<n>.…`).
    ///   - generator: the seeded generator, advanced by the draws.
    /// - Throws: `TensorError` for a non-positive channel count; `ParameterPathError` for a negative index.
    public init(channels: Int, stage: Int, step: Int, generator: inout Xoshiro256StarStar) throws {
        let location = ParameterPath.Location.step(stage: stage, step: step)
        self.location = location
        bn1 = try BatchNormParameters(channels: channels, paths: .bn1(at: location))
        conv1 = Parameter(try .heNormal(shape: [channels, channels, 3, 3], fanIn: 9 * channels,
                                        generator: &generator), path: try ParameterPath(location, .conv1Weight))
        bn2 = try BatchNormParameters(channels: channels, paths: .bn2(at: location))
        conv2 = Parameter(try .heNormal(shape: [channels, channels, 3, 3], fanIn: 9 * channels,
                                        generator: &generator), path: try ParameterPath(location, .conv2Weight))
    }

    /// Parameters from the tensors of ``fields``, in that order (a transfer or a file).
    ///
    /// - Parameters:
    ///   - fields: one tensor per entry of ``fields``.
    ///   - stage: the stage index `s ≥ 0`.
    ///   - step: the step index `n ≥ 0`.
    /// - Throws: `ODENetError.stateMismatch` for a wrong count; `TensorError.shapeMismatch` for
    ///   inconsistent shapes; `ParameterPathError` for a negative index.
    public init(fields: [Tensor], stage: Int, step: Int) throws {
        let location = ParameterPath.Location.step(stage: stage, step: step)
        let byField = Dictionary(uniqueKeysWithValues: zip(Self.fields, fields))
        guard fields.count == Self.fields.count, let conv1Value = byField[.conv1Weight],
              let conv2Value = byField[.conv2Weight] else {
            throw ODENetError.stateMismatch(
                name: location.description,
                message: "expected \(Self.fields.count) tensors (\(Self.fields.map(\.rawValue).joined(separator: ", "))), "
                    + "got \(fields.count)")
        }
        func tensor(_ field: ParameterPath.Field) -> Tensor { byField[field] ?? conv1Value }
        self.location = location
        let channels = tensor(.bn1Weight).count
        bn1 = try BatchNormParameters(scale: tensor(.bn1Weight), shift: tensor(.bn1Bias),
                                      runningMean: tensor(.bn1RunningMean), runningVariance: tensor(.bn1RunningVariance),
                                      paths: .bn1(at: location))
        bn2 = try BatchNormParameters(scale: tensor(.bn2Weight), shift: tensor(.bn2Bias),
                                      runningMean: tensor(.bn2RunningMean), runningVariance: tensor(.bn2RunningVariance),
                                      paths: .bn2(at: location))
        let conv1Path = try ParameterPath(location, .conv1Weight)
        let conv2Path = try ParameterPath(location, .conv2Weight)
        try conv1Value.checkShape([channels, channels, 3, 3], operation: conv1Path.name)
        try conv2Value.checkShape([channels, channels, 3, 3], operation: conv2Path.name)
        conv1 = Parameter(conv1Value, path: conv1Path)
        conv2 = Parameter(conv2Value, path: conv2Path)
    }

    /// The per-step tensors in the order of ``fields``.
    public var fieldTensors: [Tensor] {
        [bn1.scale.value, bn1.shift.value, bn1.runningMean, bn1.runningVariance, conv1.value,
         bn2.scale.value, bn2.shift.value, bn2.runningMean, bn2.runningVariance, conv2.value]
    }

    /// The trainable parameters: BN1 γ, β, conv1, BN2 γ, β, conv2.
    public var parameters: [Parameter] { [bn1.scale, bn1.shift, conv1, bn2.scale, bn2.shift, conv2] }

    /// Evaluates `F(Y; θ_n)`.
    ///
    /// - Parameters:
    ///   - y: the stage input `Y_n + h Σ_j a_ij k_j`, `[batch, height, width, C]`.
    ///   - mode: training or evaluation (batch norm's statistics).
    ///   - spec: the network's spec (batch-norm momentum and ε).
    /// - Returns: `F`, of `y`'s shape.
    /// - Throws: kernel and autodiff errors.
    public func evaluate(_ y: Variable, mode: NetworkMode, spec: ODENetSpec) throws -> Variable {
        let (m, e) = (spec.batchNormMomentum, spec.batchNormEpsilon)
        let a = try bn1.apply(y, mode: mode, momentum: m, epsilon: e, fuseReLU: true)
        let b = try a.conv2d(weight: conv1, stride: 1, padding: 1)
        let c = try bn2.apply(b, mode: mode, momentum: m, epsilon: e, fuseReLU: true)
        return try c.conv2d(weight: conv2, stride: 1, padding: 1)
    }
}
