public import Autodiff
public import TensorCore

/// Stochastic gradient descent with momentum, weight decay and optional Nesterov momentum.
///
/// For each parameter θ with gradient g (PyTorch's formulation, momentum buffer `v` starting at
/// `v = d` on the first step):
/// ```
/// d = g + λ θ                      (weight decay λ)
/// v ← μ v + d                      (momentum μ)
/// d ← d + μ v   (Nesterov)   or   d ← v
/// θ ← θ − η d                      (learning rate η)
/// ```
/// The momentum buffers are kept by parameter path (`Parameter.path`), the key that
/// `ODENetwork.transferredState` uses to prolongate or reset them when the network changes depth.
/// Because a path names the step's position (`stage1.step3.conv1.weight`), buffers of a
/// network with `N` steps per stage would line up by position with the first `N` steps of a deeper
/// network; the buffers therefore carry the ``depth`` they belong to, and a step or a hand-over for
/// another depth throws ``OptimizationError/depthMismatch(buffers:parameters:)``.
///
/// Parameter groups: λ applies to every parameter except those whose kind is in ``noDecay``
/// (batch-norm γ/β, biases), decided per parameter from its path at every step, so the groups
/// follow the network through every change of depth. The default (`noDecay = []`) decays every
/// parameter, the behaviour of every run before the option existed.
///
/// Reference: Sutskever, Martens, Dahl, Hinton, *On the importance of initialization and momentum
/// in deep learning*, ICML 2013; `torch.optim.SGD`. The paper's settings: μ = 0.9, λ = 2e-4.
public struct SGD: Optimizer {
    /// The momentum μ in `[0, 1)`.
    public let momentum: Double
    /// The weight decay λ in `[0, 1]` (an L2 penalty `λ/2 ‖θ‖²` on every parameter not excluded by
    /// ``noDecay``); 0 or a normal Float.
    public let weightDecay: Double
    /// Whether to use Nesterov's momentum.
    public let nesterov: Bool
    /// The parameter groups without weight decay (empty: every parameter is decayed).
    public let noDecay: Set<DecayExclusion>
    /// The momentum buffers `v`, by parameter path (absent = not yet started, i.e. zero history).
    /// Set them with ``setState(_:depth:)``, which tags them with their depth.
    public private(set) var buffers: [ParameterPath: Tensor]
    /// The depth of the model whose parameters ``buffers`` belong to (for an ODE network: its steps
    /// per stage `N`), or `nil` when untagged (no step with a depth has run, and none was given).
    public private(set) var depth: Int?

    /// Creates the optimizer with empty momentum buffers.
    ///
    /// - Parameters:
    ///   - momentum: μ in `[0, 1)`.
    ///   - weightDecay: λ in `[0, 1]`.
    ///   - nesterov: Nesterov's momentum (needs μ > 0).
    ///   - noDecay: the parameter groups λ does not apply to (default none: today's behaviour).
    /// - Throws: `OptimizationError.invalidHyperparameter` for μ outside `[0, 1)`, λ outside `[0, 1]`
    ///   or a non-zero λ that is subnormal as a Float (it would round to no decay), a non-finite
    ///   value, or Nesterov with μ = 0.
    public init(momentum: Double = 0.9, weightDecay: Double = 2e-4, nesterov: Bool = false,
                noDecay: Set<DecayExclusion> = []) throws {
        guard momentum.isFinite, (0..<1).contains(momentum) else {
            throw OptimizationError.invalidHyperparameter(name: "momentum", value: momentum, expected: "0 ≤ μ < 1")
        }
        guard weightDecay.isFinite, (0...1).contains(weightDecay), weightDecay == 0 || Float(weightDecay).isNormal
        else {
            throw OptimizationError.invalidHyperparameter(
                name: "weight decay", value: weightDecay, expected: "0 ≤ λ ≤ 1, zero or a normal Float (≥ 1.2e-38)")
        }
        guard !nesterov || momentum > 0 else {
            throw OptimizationError.invalidHyperparameter(name: "momentum", value: momentum,
                                                          expected: "μ > 0 with Nesterov momentum")
        }
        self.momentum = momentum
        self.weightDecay = weightDecay
        self.nesterov = nesterov
        self.noDecay = noDecay
        self.buffers = [:]
        self.depth = nil
    }

    /// The momentum buffers (``buffers``).
    public var state: [ParameterPath: Tensor] { buffers }

    /// Replaces the momentum buffers, tagged with the depth of the model they belong to (e.g. buffers
    /// restored from a checkpoint, or moved to a refined network by `ODENetwork.transferredState`).
    ///
    /// - Parameters:
    ///   - state: momentum tensors by parameter path.
    ///   - depth: the depth of their model (an ODE network's steps per stage `N`), or `nil` when
    ///     unknown (e.g. a checkpoint written before buffers were tagged): the next step with a depth
    ///     adopts its depth.
    public mutating func setState(_ state: [ParameterPath: Tensor], depth: Int?) {
        self.buffers = state
        self.depth = depth
    }

    /// The weight decay of `parameter`: λ, or 0 when its kind is in ``noDecay``.
    ///
    /// - Parameter parameter: a parameter (one without a path counts as a weight).
    /// - Returns: its λ.
    public func weightDecay(for parameter: Parameter) -> Double {
        guard !noDecay.isEmpty, let kind = parameter.path?.field.kind,
              noDecay.contains(where: { $0.kind == kind }) else { return weightDecay }
        return 0
    }

    /// Checks that the buffers may be applied to the parameters of a model of `depth`.
    ///
    /// - Parameter depth: the depth of the model about to be updated (steps per stage `N`).
    /// - Throws: ``OptimizationError/depthMismatch(buffers:parameters:)`` when buffers are held and
    ///   tagged with another depth.
    public func requireDepth(_ depth: Int) throws {
        if let tag = self.depth, tag != depth, !buffers.isEmpty {
            throw OptimizationError.depthMismatch(buffers: tag, parameters: depth)
        }
    }

    /// Applies one update to every parameter from its accumulated gradient, then zeroes the
    /// gradients (ready for the next backward pass).
    ///
    /// - Parameters:
    ///   - parameters: the parameters to update (each with a path, all distinct).
    ///   - learningRate: η > 0 for this step (from a schedule), a normal Float, with `η·λ < 1` (so
    ///   the decay factor `1 − ηλ` of the weights stays positive).
    ///   - depth: the depth of the model the parameters belong to (an ODE network's steps per stage
    ///     `N`); checked against the buffers' ``depth``, which it then becomes. `nil` skips the check
    ///     (a model without a notion of depth).
    /// - Throws: `OptimizationError.invalidHyperparameter` for η that is not positive, not a normal
    ///   Float (non-finite, overflowing to ∞, or so small it rounds to 0 or a subnormal), or with
    ///   `η·λ ≥ 1`; `.missingPath` for a parameter without a path; `.duplicateParameterName`;
    ///   `.depthMismatch` for buffers of another depth;
    ///   `.stateShapeMismatch` for a buffer of another shape (e.g. state loaded for another network)
    ///   or a gradient whose shape differs from its value's. Nothing is updated when it throws.
    public mutating func step(_ parameters: [Parameter], learningRate: Double, depth: Int? = nil) throws {
        let paths = try Self.paths(of: parameters)
        if let depth { try requireDepth(depth) }
        guard learningRate > 0, Float(learningRate).isNormal else {
            throw OptimizationError.invalidHyperparameter(
                name: "learning rate", value: learningRate, expected: "η > 0 and a normal Float (1.2e-38 ≤ η ≤ 3.4e38)")
        }
        guard learningRate * weightDecay < 1 else {
            throw OptimizationError.invalidHyperparameter(
                name: "learning rate", value: learningRate, expected: "η·λ < 1 with weight decay λ = \(weightDecay)")
        }
        var seen = Set<ParameterPath>()
        for (parameter, path) in zip(parameters, paths) {
            guard seen.insert(path).inserted else {
                throw OptimizationError.duplicateParameterName(parameter.name)
            }
            if parameter.gradient.shape != parameter.shape {
                throw OptimizationError.stateShapeMismatch(name: "\(parameter.name) (gradient)",
                                                           expected: parameter.shape, got: parameter.gradient.shape)
            }
            if let buffer = buffers[path], buffer.shape != parameter.shape {
                throw OptimizationError.stateShapeMismatch(name: parameter.name, expected: parameter.shape,
                                                           got: buffer.shape)
            }
        }
        let (eta, mu) = (Float(learningRate), Float(momentum))
        for (parameter, path) in zip(parameters, paths) {
            let lambda = Float(weightDecay(for: parameter))
            var buffer = buffers.removeValue(forKey: path)
            let started = buffer != nil
            if buffer == nil { buffer = try Tensor(zeros: parameter.shape) }
            buffer!.withUnsafeMutableBufferPointer { v in
                parameter.update { theta, g in
                    for i in 0..<theta.count {
                        let d = g[i] + lambda * theta[i]
                        v[i] = started ? mu * v[i] + d : d
                        theta[i] -= eta * (nesterov ? d + mu * v[i] : v[i])
                    }
                }
            }
            buffers[path] = buffer
            parameter.zeroGradient()
        }
        if let depth { self.depth = depth }
    }

    /// The parameters' paths, in order.
    ///
    /// - Throws: ``OptimizationError/missingPath(_:)`` naming the first parameter without one.
    static func paths(of parameters: [Parameter]) throws -> [ParameterPath] {
        try parameters.map { parameter in
            guard let path = parameter.path else { throw OptimizationError.missingPath(parameter.name) }
            return path
        }
    }
}
