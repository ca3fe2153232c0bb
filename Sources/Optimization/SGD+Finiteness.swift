public import Autodiff
import TensorCore

extension SGD {
    /// The first parameter whose gradient is not finite, or whose value after
    /// ``step(_:learningRate:depth:)`` with the same `learningRate` would not be finite; `nil` when the
    /// step is safe. Nothing is changed.
    ///
    /// One read-only pass per parameter over `θ`, `g` and `v`, computing the update exactly as
    /// ``step(_:learningRate:depth:)`` does and OR-reducing whether the new `θ`'s exponent bits are
    /// all ones (exactly NaN and ±∞; vectorizable, no allocation). A non-finite gradient, weight or
    /// momentum makes the new `θ` non-finite, so one flag catches all; after a hit the gradient is
    /// scanned to tell which. Calling this before the step keeps
    /// every non-finite value out of the weights and buffers: the trainer's guard against divergence.
    ///
    /// - Parameters:
    ///   - parameters: the parameters about to be updated, in the order to report them.
    ///   - learningRate: η of the coming step.
    /// - Returns: the parameter and quantity (`.gradient` before `.weight` within a parameter) of the
    ///   first non-finite value, with its index and value; `nil` when all are finite. A parameter whose
    ///   gradient or buffer shape differs from its value's is skipped (the step itself refuses it).
    public func firstNonFiniteUpdate(of parameters: [Parameter], learningRate: Double) -> NonFiniteValue? {
        for parameter in parameters {
            let coefficients = UpdateCoefficients(eta: Float(learningRate), mu: Float(momentum),
                                                  lambda: Float(weightDecay(for: parameter)), nesterov: nesterov)
            let buffer = parameter.path.flatMap { buffers[$0] }
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

/// The arithmetic of `SGD.step` for one element, with `d = g + λθ` and `v' = μ v + d` (or `d`
/// without history): `θ − η v'`, or `θ − η (d + μ v')` with Nesterov momentum.
private struct UpdateCoefficients {
    let eta: Float
    let mu: Float
    let lambda: Float
    let nesterov: Bool

    /// The first non-finite gradient or new weight of one parameter, gradient first.
    ///
    /// One loop per case (history or not, Nesterov or not), each the exact expression of the step;
    /// the flag is an OR-reduction of integer operations on the exponent bits, which vectorizes with SSE2.
    func screen(theta: UnsafeBufferPointer<Float>, g: UnsafeBufferPointer<Float>, v: UnsafeBufferPointer<Float>?)
        -> (NonFiniteValue.Quantity, Int, Float)?
    {
        // A non-finite g (or θ, or v) makes the new θ non-finite, so one flag over the new θ detects
        // every case; the gradient is told apart only after a hit.
        var weightFlag: UInt32 = 0
        // Adding 1 to the exponent field carries into the sign bit exactly when it is all ones: an
        // and, an add and an or per element (SSE2), and the sign bit of the OR tells.
        let mask = Float.exponentMask
        @inline(__always) func flag(_ x: Float) -> UInt32 { (x.bitPattern & mask) &+ 0x0080_0000 }
        let n = theta.count
        switch (v, nesterov) {
        case let (v?, false):
            for i in 0..<n {
                let d = g[i] + lambda * theta[i]
                weightFlag |= flag(theta[i] - eta * (mu * v[i] + d))
            }
        case let (v?, true):
            for i in 0..<n {
                let d = g[i] + lambda * theta[i]
                weightFlag |= flag(theta[i] - eta * (d + mu * (mu * v[i] + d)))
            }
        case (nil, false):
            for i in 0..<n {
                weightFlag |= flag(theta[i] - eta * (g[i] + lambda * theta[i]))
            }
        case (nil, true):
            for i in 0..<n {
                let d = g[i] + lambda * theta[i]
                weightFlag |= flag(theta[i] - eta * (d + mu * d))
            }
        }
        guard weightFlag & 0x8000_0000 != 0 else { return nil }
        if let i = Tensor.firstNonFiniteIndex(in: g) { return (.gradient, i, g[i]) }
        // Rare: locate the element with the same arithmetic, element by element.
        for i in 0..<n {
            let d = g[i] + lambda * theta[i]
            let next = v.map { mu * $0[i] + d } ?? d
            let new = theta[i] - eta * (nesterov ? d + mu * next : next)
            if !new.isFinite { return (.weight, i, new) }
        }
        return nil
    }
}
