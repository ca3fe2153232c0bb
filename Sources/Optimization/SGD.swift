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
    public var buffers: [String: Tensor]

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
    }

    /// Applies one update to every parameter from its accumulated gradient, then zeroes the
    /// gradients (ready for the next backward pass).
    ///
    /// - Parameters:
    ///   - parameters: the parameters to update (their names must be distinct).
    ///   - learningRate: η > 0 for this step (from a schedule), a normal Float, with `η·λ < 1` (so
    ///   the decay factor `1 − ηλ` of the weights stays positive).
    /// - Throws: `OptimizationError.invalidHyperparameter` for η that is not positive, not a normal
    ///   Float (non-finite, overflowing to ∞, or so small it rounds to 0 or a subnormal), or with
    ///   `η·λ ≥ 1`; `.duplicateParameterName`; `.stateShapeMismatch` for a buffer of another shape
    ///   (e.g. state loaded for another network) or a gradient whose shape differs from its value's.
    ///   Nothing is updated when it throws.
    public mutating func step(_ parameters: [Parameter], learningRate: Double) throws {
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
    }
}
