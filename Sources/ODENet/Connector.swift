public import Autodiff
public import TensorCore

/// The block that opens a stage after the first: it changes the resolution (stride 2) and the
/// channels, so it cannot be "copied after itself" and lives outside the ODE block.
/// ```
/// z = ReLU(BN1(Y));   out = conv2(ReLU(BN2(conv1_{stride 2}(z)))) + shortcut_{1×1, stride 2}(z)
/// ```
/// Shape: `[batch, H, W, C_in]` → `[batch, ⌈H/2⌉, ⌈W/2⌉, C_out]`; conv1 `[C_out, C_in, 3, 3]`,
/// conv2 `[C_out, C_out, 3, 3]`, shortcut `[C_out, C_in, 1, 1]`.
///
/// Reference: He, Zhang, Ren, Sun, *Identity Mappings in Deep Residual Networks*, ECCV 2016
/// (pre-activation unit with projection shortcut). Connectors change the resolution and channels
/// between stages and are not ODE steps, so depth transfers copy them instead of refining them.
public final class Connector {
    /// BN before the block (its output feeds both branches).
    public let bn1: BatchNormParameters
    /// The strided 3×3 convolution.
    public let conv1: Parameter
    /// BN between the convolutions.
    public let bn2: BatchNormParameters
    /// The second 3×3 convolution.
    public let conv2: Parameter
    /// The 1×1 strided projection shortcut.
    public let shortcut: Parameter

    /// Fresh parameters (He-normal convolutions; BN γ = 1, β = 0).
    ///
    /// - Parameters:
    ///   - inputChannels: `C_in`.
    ///   - outputChannels: `C_out`.
    ///   - stage: the stage it opens (`≥ 1`; the paths are `stage<s>.connector.…`).
    ///   - generator: the seeded generator, advanced by the draws.
    /// - Throws: `TensorError` for non-positive channel counts; `ParameterPathError` for `stage < 1`.
    public init(inputChannels: Int, outputChannels: Int, stage: Int,
                generator: inout Xoshiro256StarStar) throws {
        let location = ParameterPath.Location.connector(stage: stage)
        bn1 = try BatchNormParameters(channels: inputChannels, paths: .bn1(at: location))
        conv1 = Parameter(try .heNormal(shape: [outputChannels, inputChannels, 3, 3], fanIn: 9 * inputChannels,
                                        generator: &generator), path: try ParameterPath(location, .conv1Weight))
        bn2 = try BatchNormParameters(channels: outputChannels, paths: .bn2(at: location))
        conv2 = Parameter(try .heNormal(shape: [outputChannels, outputChannels, 3, 3], fanIn: 9 * outputChannels,
                                        generator: &generator), path: try ParameterPath(location, .conv2Weight))
        shortcut = Parameter(try .heNormal(shape: [outputChannels, inputChannels, 1, 1], fanIn: inputChannels,
                                           generator: &generator), path: try ParameterPath(location, .shortcutWeight))
    }

    /// A connector from given values (a file loader, e.g. the level archive or a checkpoint).
    ///
    /// Shape: conv1 `[C_out, C_in, 3, 3]`, conv2 `[C_out, C_out, 3, 3]`, shortcut `[C_out, C_in, 1, 1]`
    /// with `C_in = bn1.channels`, `C_out = bn2.channels`.
    ///
    /// - Parameters:
    ///   - bn1: the batch norm before the block (`C_in` channels).
    ///   - conv1: the strided 3×3 weight.
    ///   - bn2: the batch norm between the convolutions (`C_out` channels).
    ///   - conv2: the second 3×3 weight.
    ///   - shortcut: the 1×1 projection weight.
    ///   - stage: the stage it opens (`≥ 1`; the paths are `stage<s>.connector.…`).
    /// - Throws: `TensorError.shapeMismatch` for a weight whose shape differs from the above;
    ///   `ParameterPathError` for `stage < 1`.
    public init(bn1: BatchNormParameters, conv1: Tensor, bn2: BatchNormParameters, conv2: Tensor,
                shortcut: Tensor, stage: Int) throws {
        let location = ParameterPath.Location.connector(stage: stage)
        let (conv1Path, conv2Path, shortcutPath) = (try ParameterPath(location, .conv1Weight),
                                                    try ParameterPath(location, .conv2Weight),
                                                    try ParameterPath(location, .shortcutWeight))
        let (input, output) = (bn1.channels, bn2.channels)
        try conv1.checkShape([output, input, 3, 3], operation: conv1Path.name)
        try conv2.checkShape([output, output, 3, 3], operation: conv2Path.name)
        try shortcut.checkShape([output, input, 1, 1], operation: shortcutPath.name)
        self.bn1 = bn1
        self.conv1 = Parameter(conv1, path: conv1Path)
        self.bn2 = bn2
        self.conv2 = Parameter(conv2, path: conv2Path)
        self.shortcut = Parameter(shortcut, path: shortcutPath)
    }

    /// A copy with new parameter objects holding the same values.
    public init(copying other: Connector) throws {
        bn1 = try other.bn1.copy()
        conv1 = other.conv1.copy()
        bn2 = try other.bn2.copy()
        conv2 = other.conv2.copy()
        shortcut = other.shortcut.copy()
    }

    /// The trainable parameters.
    public var parameters: [Parameter] { [bn1.scale, bn1.shift, conv1, bn2.scale, bn2.shift, conv2, shortcut] }

    /// Applies the block.
    ///
    /// - Throws: kernel and autodiff errors.
    public func apply(_ y: Variable, mode: NetworkMode, spec: ODENetSpec) throws -> Variable {
        let (m, e) = (spec.batchNormMomentum, spec.batchNormEpsilon)
        let z = try bn1.apply(y, mode: mode, momentum: m, epsilon: e, fuseReLU: true)
        let a = try z.conv2d(weight: conv1, stride: 2, padding: 1)
        let b = try bn2.apply(a, mode: mode, momentum: m, epsilon: e, fuseReLU: true)
        let main = try b.conv2d(weight: conv2, stride: 1, padding: 1)
        return try main + z.conv2d(weight: shortcut, stride: 2, padding: 0)
    }
}
