import TensorCore

extension Variable {
    /// Global average pooling over height and width (see `TensorCore.GlobalAveragePooling`).
    ///
    /// VJP: `dx[n, h, w, c] = dy[n, c] / (H·W)`.
    ///
    /// Shape: `[batch, H, W, C]` → `[batch, C]`.
    ///
    /// - Returns: the pooled variable.
    /// - Throws: `AutodiffError` for a stale variable; `TensorError` for a bad shape.
    public func globalAveragePool() throws -> Variable {
        try tape.validate(self, "globalAveragePool")
        let inputShape = shape
        let node = index
        return tape.record(try GlobalAveragePooling.forward(value), differentiable: requiresGradient) { tape, gradient in
            try tape.accumulate(GlobalAveragePooling.backward(outputGradient: gradient, inputShape: inputShape),
                                into: node)
        }
    }

    /// A fully connected layer `y = x Wᵀ + b`.
    ///
    /// VJP: `dx = dy W`, `dW += dyᵀ x`, `db += Σ_batch dy`.
    ///
    /// Shape: `[batch, in]` → `[batch, out]`; W `[out, in]`, b `[out]`.
    ///
    /// - Parameters:
    ///   - weight: W.
    ///   - bias: b, or `nil`.
    /// - Returns: the output variable.
    /// - Throws: `AutodiffError` for a stale variable; `TensorError` for mismatched shapes.
    public func linear(weight: Parameter, bias: Parameter?) throws -> Variable {
        try tape.validate(self, "linear")
        let input = value
        let weights = weight.value
        tape.use(weight)
        if let bias { tape.use(bias) }
        let output = try Linear.forward(input, weight: weights, bias: bias?.value)
        let node = index
        return tape.record(output, differentiable: true) { tape, gradient in
            let grads = try Linear.backward(input: input, weight: weights, outputGradient: gradient)
            try tape.accumulate(grads.input, into: node)
            try weight.accumulateGradient(grads.weight)
            try bias?.accumulateGradient(grads.bias)
        }
    }

    /// The same values with another shape (e.g. `[batch, 1, 1, C]` ↔ `[batch, C]`).
    ///
    /// - Parameter newShape: a shape with the same element count.
    /// - Returns: the reshaped variable; its gradient is reshaped back.
    /// - Throws: `AutodiffError` for a stale variable; `TensorError.shapeMismatch`.
    public func reshaped(to newShape: [Int]) throws -> Variable {
        try tape.validate(self, "reshaped")
        let oldShape = shape
        let node = index
        return tape.record(try value.reshaped(to: newShape), differentiable: requiresGradient) { tape, gradient in
            try tape.accumulate(gradient.reshaped(to: oldShape), into: node)
        }
    }
}
