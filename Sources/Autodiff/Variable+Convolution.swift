import TensorCore

extension Variable {
    /// 2-D convolution with a weight parameter (see `TensorCore.Convolution`).
    ///
    /// ```
    /// y = conv(x, W)        W: [out, in, kh, kw]
    /// ```
    /// VJP: `dx = convᵀ(dy, W)` (oneDNN backward data) if `x` needs a gradient;
    /// `dW += Σ_n x ⋆ dy` (oneDNN backward weights) into `weight.gradient`.
    ///
    /// Shape: `[batch, height, width, in]` → `[batch, outHeight, outWidth, out]`.
    ///
    /// - Parameters:
    ///   - weight: the OIHW weight parameter.
    ///   - stride: the stride, ≥ 1.
    ///   - padding: zero padding on each side.
    /// - Returns: the output variable.
    /// - Throws: `AutodiffError` for a stale variable; `TensorError`/`DNNLError` from the kernel.
    public func conv2d(weight: Parameter, stride: Int = 1, padding: Int = 0) throws -> Variable {
        try tape.validate(self, "conv2d")
        let input = value
        let weights = weight.value
        tape.use(weight)
        let output = try Convolution.forward(input, weight: weights, stride: stride, padding: padding)
        let node = index
        return tape.record(output, differentiable: true) { tape, gradient in
            if node >= 0 {
                let inputGradient = try Convolution.backwardData(
                    outputGradient: gradient, weight: weights, inputShape: input.shape, stride: stride,
                    padding: padding)
                try tape.accumulate(inputGradient, into: node)
            }
            let accumulate = !weight.gradientIsZero
            try Convolution.backwardWeights(input: input, outputGradient: gradient, into: &weight.gradient,
                                            accumulate: accumulate, stride: stride, padding: padding)
            weight.gradientIsZero = false
        }
    }
}
