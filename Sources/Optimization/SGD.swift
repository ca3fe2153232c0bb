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
/// The momentum buffers are kept by parameter name (`Parameter.name`), the key that
/// `ODENetwork.transferredState` uses to prolongate or reset them when the network changes depth.
/// Because those names encode the step's position (`stage1.step3.conv1.weight`), buffers of a
/// network with `N` steps per stage would line up by position with the first `N` steps of a deeper
/// network; the buffers therefore carry the ``depth`` they belong to, and a step or a hand-over for
/// another depth throws ``OptimizationError/depthMismatch(buffers:parameters:)``.
///
/// Reference: Sutskever, Martens, Dahl, Hinton, *On the importance of initialization and momentum
/// in deep learning*, ICML 2013; `torch.optim.SGD`. The paper's settings: μ = 0.9, λ = 2e-4.
public struct SGD: Sendable {
    /// The momentum μ in `[0, 1)`.
    public let momentum: Double
    /// The weight decay λ in `[0, 1]` (an L2 penalty `λ/2 ‖θ‖²` on every parameter); 0 or a normal
    /// Float.
    public let weightDecay: Double
    /// Whether to use Nesterov's momentum.
    public let nesterov: Bool
    /// The momentum buffers `v`, by parameter name (absent = not yet started, i.e. zero history).
    /// Set them with ``setBuffers(_:depth:)``, which tags them with their depth.
    public private(set) var buffers: [String: Tensor]
    /// The depth of the model whose parameters ``buffers`` belong to (for an ODE network: its steps
    /// per stage `N`), or `nil` when untagged (no step with a depth has run, and none was given).
    public private(set) var depth: Int?

    /// Creates the optimizer with empty momentum buffers.
    ///
    /// - Throws: `OptimizationError.invalidHyperparameter` for μ outside `[0, 1)`, λ outside `[0, 1]`
    ///   or a non-zero λ that is subnormal as a Float (it would round to no decay), a non-finite
    ///   value, or Nesterov with μ = 0.
    public init(momentum: Double = 0.9, weightDecay: Double = 2e-4, nesterov: Bool = false) throws {
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
        self.buffers = [:]
        self.depth = nil
    }

    /// Replaces the momentum buffers, tagged with the depth of the model they belong to (e.g. buffers
    /// restored from a checkpoint, or moved to a refined network by `ODENetwork.transferredState`).
    ///
    /// - Parameters:
    ///   - buffers: momentum tensors by parameter name.
    ///   - depth: the depth of their model (an ODE network's steps per stage `N`), or `nil` when
    ///     unknown (e.g. a checkpoint written before buffers were tagged): the next step with a depth
    ///     adopts its depth.
    public mutating func setBuffers(_ buffers: [String: Tensor], depth: Int?) {
        self.buffers = buffers
        self.depth = depth
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
    ///   - parameters: the parameters to update (their names must be distinct).
    ///   - learningRate: η > 0 for this step (from a schedule), a normal Float, with `η·λ < 1` (so
    ///   the decay factor `1 − ηλ` of the weights stays positive).
    ///   - depth: the depth of the model the parameters belong to (an ODE network's steps per stage
    ///     `N`); checked against the buffers' ``depth``, which it then becomes. `nil` skips the check
    ///     (a model without a notion of depth).
    /// - Throws: `OptimizationError.invalidHyperparameter` for η that is not positive, not a normal
    ///   Float (non-finite, overflowing to ∞, or so small it rounds to 0 or a subnormal), or with
    ///   `η·λ ≥ 1`; `.duplicateParameterName`; `.depthMismatch` for buffers of another depth;
    ///   `.stateShapeMismatch` for a buffer of another shape (e.g. state loaded for another network)
    ///   or a gradient whose shape differs from its value's. Nothing is updated when it throws.
    public mutating func step(_ parameters: [Parameter], learningRate: Double, depth: Int? = nil) throws {
        if let depth { try requireDepth(depth) }
        guard learningRate > 0, Float(learningRate).isNormal else {
            throw OptimizationError.invalidHyperparameter(
                name: "learning rate", value: learningRate, expected: "η > 0 and a normal Float (1.2e-38 ≤ η ≤ 3.4e38)")
        }
        guard learningRate * weightDecay < 1 else {
            throw OptimizationError.invalidHyperparameter(
                name: "learning rate", value: learningRate, expected: "η·λ < 1 with weight decay λ = \(weightDecay)")
        }
        var seen = Set<String>()
        for parameter in parameters {
            guard seen.insert(parameter.name).inserted else {
                throw OptimizationError.duplicateParameterName(parameter.name)
            }
            if parameter.gradient.shape != parameter.shape {
                throw OptimizationError.stateShapeMismatch(name: "\(parameter.name) (gradient)",
                                                           expected: parameter.shape, got: parameter.gradient.shape)
            }
            if let buffer = buffers[parameter.name], buffer.shape != parameter.shape {
                throw OptimizationError.stateShapeMismatch(name: parameter.name, expected: parameter.shape,
                                                           got: buffer.shape)
            }
        }
        let (eta, mu, lambda) = (Float(learningRate), Float(momentum), Float(weightDecay))
        for parameter in parameters {
            var buffer = buffers.removeValue(forKey: parameter.name)
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
            buffers[parameter.name] = buffer
            parameter.zeroGradient()
        }
        if let depth { self.depth = depth }
    }
}
