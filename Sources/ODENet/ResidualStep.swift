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

    /// The names of the per-step tensors, in the order of ``fieldTensors``; also the dataset names
    /// of the HDF5 export (PyTorch's naming).
    public static let fieldNames = [
        "bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var", "conv1.weight",
        "bn2.weight", "bn2.bias", "bn2.running_mean", "bn2.running_var", "conv2.weight",
    ]

    /// Fresh parameters: He-normal convolutions (`fanIn = 9C`), BN γ = 1, β = 0.
    ///
    /// - Parameters:
    ///   - channels: `C`.
    ///   - name: the prefix of the parameter names (e.g. `"stage0.step3"`).
    ///   - generator: the seeded generator, advanced by the draws.
    /// - Throws: `TensorError` for a non-positive channel count.
    public init(channels: Int, name: String, generator: inout Xoshiro256StarStar) throws {
        bn1 = try BatchNormParameters(channels: channels, name: name + ".bn1")
        conv1 = Parameter(try .heNormal(shape: [channels, channels, 3, 3], fanIn: 9 * channels,
                                        generator: &generator), name: name + ".conv1.weight")
        bn2 = try BatchNormParameters(channels: channels, name: name + ".bn2")
        conv2 = Parameter(try .heNormal(shape: [channels, channels, 3, 3], fanIn: 9 * channels,
                                        generator: &generator), name: name + ".conv2.weight")
    }

    /// Parameters from the tensors of ``fieldNames``, in that order (a transfer or a file).
    ///
    /// - Throws: `ODENetError.stateMismatch` for a wrong count; `TensorError.shapeMismatch` for
    ///   inconsistent shapes.
    public init(fields: [Tensor], name: String) throws {
        guard fields.count == Self.fieldNames.count else {
            throw ODENetError.stateMismatch(name: name, message: "expected \(Self.fieldNames.count) tensors "
                                            + "(\(Self.fieldNames.joined(separator: ", "))), got \(fields.count)")
        }
        let channels = fields[0].count
        bn1 = try BatchNormParameters(scale: fields[0], shift: fields[1], runningMean: fields[2],
                                      runningVariance: fields[3], name: name + ".bn1")
        bn2 = try BatchNormParameters(scale: fields[5], shift: fields[6], runningMean: fields[7],
                                      runningVariance: fields[8], name: name + ".bn2")
        for index in [4, 9] {
            try fields[index].checkShape([channels, channels, 3, 3], operation: name + "." + Self.fieldNames[index])
        }
        conv1 = Parameter(fields[4], name: name + ".conv1.weight")
        conv2 = Parameter(fields[9], name: name + ".conv2.weight")
    }

    /// The per-step tensors in the order of ``fieldNames``.
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
