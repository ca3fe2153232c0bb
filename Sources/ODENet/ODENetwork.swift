public import Autodiff
public import TensorCore

/// A residual network whose stages are ODE blocks (see ``ODENetSpec`` for the architecture).
///
/// A network owns its parameters (`Parameter` objects, trained in place by an optimizer) and the
/// batch-norm running statistics. Depth transfers (``refined(by:rule:grid:coarseningFactor:)``,
/// ``coarsened(by:rule:coarseningFactor:)``) return new networks and leave this one unchanged.
///
/// Shape: inputs `[batch, height, width, channels]` (NHWC); logits `[batch, classCount]`.
public final class ODENetwork {
    /// The architecture.
    public let spec: ODENetSpec
    /// The stem convolution `[C_0, inputChannels, 3, 3]`.
    public let stem: Parameter
    /// The stages, in forward order.
    public let stages: [ODEStage]
    /// The head's batch norm over `C_last` channels (followed by ReLU).
    public let headNorm: BatchNormParameters
    /// The classifier weight `[classCount, C_last]`.
    public let classifierWeight: Parameter
    /// The classifier bias `[classCount]`.
    public let classifierBias: Parameter

    /// Builds a freshly initialized network.
    ///
    /// Initialization: He-normal convolutions, BN γ = 1, β = 0, running μ = 0, σ² = 1; the
    /// classifier weight is uniform in `±1/√C_last` and its bias 0 (PyTorch's `Linear` rule for the
    /// weight). The draws come from one `Xoshiro256StarStar(seed:)` in parameter order.
    ///
    /// - Parameters:
    ///   - spec: the architecture; re-checked with ``ODENetSpec/validate()`` (its fields are `var`s).
    ///   - seed: the seed of the initialization.
    /// - Throws: the `ODENetError`s of ``ODENetSpec/validate()``; `TensorError` (e.g. out of memory
    ///   checks of the tensor library).
    public init(spec: ODENetSpec, seed: UInt64) throws {
        try spec.validate()
        var generator = Xoshiro256StarStar(seed: seed)
        let c0 = spec.stageChannels[0]
        stem = Parameter(try .heNormal(shape: [c0, spec.inputChannels, 3, 3], fanIn: 9 * spec.inputChannels,
                                       generator: &generator), path: try ParameterPath(.stem, .weight))
        var stages: [ODEStage] = []
        var channels = c0
        for (s, c) in spec.stageChannels.enumerated() {
            let connector = s == 0 ? nil : try Connector(inputChannels: channels, outputChannels: c,
                                                         stage: s, generator: &generator)
            let steps = try (0..<spec.stepCount).map { n in
                try ResidualStep(channels: c, stage: s, step: n, generator: &generator)
            }
            stages.append(ODEStage(index: s, connector: connector, steps: steps,
                                   integrator: spec.integrators[s], finalTime: spec.finalTime))
            channels = c
        }
        self.stages = stages
        headNorm = try BatchNormParameters(channels: channels, paths: .head())
        let bound = Float(1 / Double(channels).squareRoot())
        classifierWeight = Parameter(try .randomUniform(shape: [spec.classCount, channels], lower: -bound,
                                                        upper: bound, generator: &generator),
                                     path: try ParameterPath(.head, .linearWeight))
        classifierBias = Parameter(try Tensor(zeros: [spec.classCount]), path: try ParameterPath(.head, .linearBias))
        self.spec = spec
    }

    /// Assembles a network from parts (the depth transfers and file loaders such as the level
    /// archive), checking every part against `spec`.
    ///
    /// Shape: stem `[C_0, inputChannels, 3, 3]`; stage `s` has index `s`, `N` steps of `C_s`
    /// channels, a connector `C_{s−1} → C_s` exactly when `s > 0`, the spec's integrator and `T`;
    /// head norm over `C_last`; classifier weight `[classCount, C_last]`, bias `[classCount]`.
    ///
    /// - Parameters:
    ///   - spec: the architecture the parts must match.
    ///   - stem: the stem convolution.
    ///   - stages: one stage per entry of `spec.stageChannels`, in order.
    ///   - headNorm: the head's batch norm.
    ///   - classifierWeight: the classifier weight.
    ///   - classifierBias: the classifier bias.
    /// - Throws: the `ODENetError`s of ``ODENetSpec/validate()``; `ODENetError.assemblyMismatch`
    ///   naming the first part that does not match `spec`.
    public init(spec: ODENetSpec, stem: Parameter, stages: [ODEStage], headNorm: BatchNormParameters,
                classifierWeight: Parameter, classifierBias: Parameter) throws {
        try spec.validate()
        try Self.validateAssembly(spec: spec, stem: stem, stages: stages, headNorm: headNorm,
                                  classifierWeight: classifierWeight, classifierBias: classifierBias)
        self.spec = spec
        self.stem = stem
        self.stages = stages
        self.headNorm = headNorm
        self.classifierWeight = classifierWeight
        self.classifierBias = classifierBias
    }

    /// Every trainable parameter, in a fixed order: stem, stages (connector, then steps), head.
    public var parameters: [Parameter] {
        [stem] + stages.flatMap(\.parameters) + [headNorm.scale, headNorm.shift, classifierWeight, classifierBias]
    }

    /// The number of trainable scalars.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.value.count } }

    /// Runs the network on a batch and returns the logits.
    ///
    /// - Parameters:
    ///   - input: images `[batch, height, width, channels]` matching the spec.
    ///   - tape: the tape to record on (a non-recording tape for evaluation only).
    ///   - mode: `training` uses batch statistics and updates the running averages; `evaluation`
    ///     uses the running averages.
    ///   - recorder: collects `F` evaluation counts and per-step norms, if given.
    /// - Returns: the logits `[batch, classCount]`.
    /// - Throws: `ODENetError.inputShapeMismatch` for a wrong input shape; `.nonFiniteInput` naming
    ///   the first NaN or infinite input value (ReLU would otherwise turn NaN into silent zeros);
    ///   kernel, autodiff and integrator errors.
    public func forward(_ input: Tensor, on tape: Tape, mode: NetworkMode,
                        recorder: ForwardRecorder? = nil) throws -> Variable {
        try forward(input, on: tape, mode: mode, recorder: recorder, spec: spec)
    }

    /// ``forward(_:on:mode:recorder:)`` with the batch-norm settings of `spec` (the batch-norm
    /// recalibration's momentum 1/k); every other field of `spec` must be this network's.
    func forward(_ input: Tensor, on tape: Tape, mode: NetworkMode, recorder: ForwardRecorder?,
                 spec: ODENetSpec) throws -> Variable {
        let expected = [input.shape.first ?? 0, spec.inputHeight, spec.inputWidth, spec.inputChannels]
        guard input.shape == expected, expected[0] > 0 else {
            throw ODENetError.inputShapeMismatch(expected: [max(expected[0], 1)] + expected.dropFirst(), got: input.shape)
        }
        if let index = input.firstNonFiniteIndex() { throw ODENetError.nonFiniteInput(index: index) }
        var y = try tape.input(input).conv2d(weight: stem, stride: 1, padding: 1)
        for stage in stages {
            y = try stage.forward(y, mode: mode, spec: spec, recorder: recorder)
        }
        let z = try headNorm.apply(y, mode: mode, momentum: spec.batchNormMomentum,
                                   epsilon: spec.batchNormEpsilon, fuseReLU: true)
        return try z.globalAveragePool().linear(weight: classifierWeight, bias: classifierBias)
    }

    /// The mean softmax cross-entropy loss and the accuracy of a batch.
    ///
    /// - Parameters:
    ///   - input: images `[batch, height, width, channels]`.
    ///   - labels: one class index in `0..<classCount` per image.
    ///   - tape: the tape to record on.
    ///   - mode: training or evaluation.
    ///   - recorder: see ``forward(_:on:mode:recorder:)``.
    /// - Returns: the scalar loss variable (call `backward()` on it) and the accuracy in `[0, 1]`.
    /// - Throws: `ODENetError.invalidLabels`, `.inputShapeMismatch`, `.nonFiniteInput`; kernel and
    ///   autodiff errors.
    public func loss(_ input: Tensor, labels: [Int], on tape: Tape, mode: NetworkMode,
                     recorder: ForwardRecorder? = nil) throws -> (loss: Variable, accuracy: Double) {
        guard labels.count == input.shape.first else {
            throw ODENetError.invalidLabels("\(labels.count) labels for a batch of \(input.shape.first ?? 0)")
        }
        if let bad = labels.first(where: { !(0..<spec.classCount).contains($0) }) {
            throw ODENetError.invalidLabels("label \(bad) outside 0..<\(spec.classCount)")
        }
        return try forward(input, on: tape, mode: mode, recorder: recorder).softmaxCrossEntropy(labels: labels)
    }
}
