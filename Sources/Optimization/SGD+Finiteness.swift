public import Autodiff
public import TensorCore

extension SGD {
    /// The first parameter whose gradient is not finite, or whose value after
    /// ``step(_:learningRate:depth:)`` with the same `learningRate` would not be finite; `nil` when the
    /// step is safe. Nothing is changed.
    ///
    /// One read-only pass per parameter over `θ`, `g` and `v`, computing the update exactly as
    /// ``step(_:learningRate:depth:)`` does and reducing the exponent bits of `g` and of the new `θ`
    /// with `max` (all ones exactly for NaN and ±∞; vectorizable, no allocation). A non-finite
    /// momentum makes the new `θ` non-finite, so it is caught too. Calling this before the step keeps
    /// every non-finite value out of the weights and buffers: the trainer's guard against divergence.
    ///
    /// - Parameters:
    ///   - parameters: the parameters about to be updated, in the order to report them.
    ///   - learningRate: η of the coming step.
    /// - Returns: the parameter and quantity (`.gradient` before `.weight` within a parameter) of the
    ///   first non-finite value, with its index and value; `nil` when all are finite. A parameter whose
    ///   gradient or buffer shape differs from its value's is skipped (the step itself refuses it).
    public func firstNonFiniteUpdate(of parameters: [Parameter], learningRate: Double) -> NonFiniteValue? {
        let coefficients = UpdateCoefficients(eta: Float(learningRate), mu: Float(momentum), lambda: Float(weightDecay),
                                              nesterov: nesterov)
        for parameter in parameters {
            let buffer = buffers[parameter.name]
            let found: (NonFiniteValue.Quantity, Int, Float)? = parameter.value.withUnsafeBufferPointer { theta in
                parameter.gradient.withUnsafeBufferPointer { g in
                    guard g.count == theta.count else { return nil }
                    guard let buffer else { return coefficients.screen(theta: theta, g: g, v: nil) }
                    return buffer.withUnsafeBufferPointer { v in
                        v.count == theta.count ? coefficients.screen(theta: theta, g: g, v: v) : nil
                    }
                }
            }
            if let (quantity, index, value) = found {
                return NonFiniteValue(name: parameter.name, quantity: quantity, index: index, value: value)
            }
        }
        return nil
    }
}

/// The update `θ − η (a d + b v')` with `d = g + λθ`, `v' = μ v + d` (or `d` without history),
/// `(a, b) = (1, μ)` for Nesterov and `(0, 1)` otherwise: the arithmetic of `SGD.step`.
private struct UpdateCoefficients {
    let eta: Float
    let mu: Float
    let lambda: Float
    let a: Float
    let b: Float

    init(eta: Float, mu: Float, lambda: Float, nesterov: Bool) {
        (self.eta, self.mu, self.lambda) = (eta, mu, lambda)
        (a, b) = nesterov ? (1, mu) : (0, 1)
    }

    /// The first non-finite gradient or new weight of one parameter, gradient first.
    func screen(theta: UnsafeBufferPointer<Float>, g: UnsafeBufferPointer<Float>, v: UnsafeBufferPointer<Float>?)
        -> (NonFiniteValue.Quantity, Int, Float)?
    {
        let mask = Float.exponentMask
        var (gradientBits, weightBits): (UInt32, UInt32) = (0, 0)
        if let v {
            for i in 0..<theta.count {
                let d = g[i] + lambda * theta[i]
                let next = theta[i] - eta * (a * d + b * (mu * v[i] + d))
                gradientBits = max(gradientBits, g[i].bitPattern & mask)
                weightBits = max(weightBits, next.bitPattern & mask)
            }
        } else {
            for i in 0..<theta.count {
                let d = g[i] + lambda * theta[i]
                let next = theta[i] - eta * (a * d + b * d)
                gradientBits = max(gradientBits, g[i].bitPattern & mask)
                weightBits = max(weightBits, next.bitPattern & mask)
            }
        }
        if gradientBits == mask, let i = Tensor.firstNonFiniteIndex(in: g) { return (.gradient, i, g[i]) }
        guard weightBits == mask else { return nil }
        // Rare: locate the element with the same arithmetic, element by element.
        for i in 0..<theta.count {
            let d = g[i] + lambda * theta[i]
            let next = theta[i] - eta * (a * d + b * (v.map { mu * $0[i] + d } ?? d))
            if !next.isFinite { return (.weight, i, next) }
        }
        return nil
    }
}
