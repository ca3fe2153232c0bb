public import TensorCore

extension Variable {
    /// Training-mode batch normalization with batch statistics, optionally fused with ReLU.
    ///
    /// ```
    /// y = γ · (x − μ_B) / √(σ²_B + ε) + β        (then max(y, 0) if fuseReLU)
    /// ```
    /// VJP: oneDNN's batch-norm backward (through μ_B and σ²_B) giving dx, and dγ, dβ accumulated
    /// into the parameters' gradients. The batch statistics are returned so that the caller
    /// updates its running averages with its own rule (e.g.
    /// `BatchNormalizationStatistics.updateRunningAverages`).
    ///
    /// Shape: `[batch, height, width, C]` → same; γ, β `[C]`.
    ///
    /// - Parameters:
    ///   - scale: γ.
    ///   - shift: β.
    ///   - epsilon: ε > 0.
    ///   - fuseReLU: apply ReLU in the same kernel.
    /// - Returns: the output and the batch statistics `(μ_B, σ²_B)`.
    /// - Throws: `AutodiffError` for a stale variable; `TensorError`/`DNNLError` from the kernel.
    public func batchNorm(scale: Parameter, shift: Parameter, epsilon: Float = 1e-5, fuseReLU: Bool = false)
        throws -> (output: Variable, statistics: BatchNormalizationStatistics)
    {
        try tape.validate(self, "batchNorm")
        let input = value
        let gamma = scale.value
        let beta = shift.value
        tape.use(scale)
        tape.use(shift)
        let result = try BatchNormalization.forwardTraining(input, scale: gamma, shift: beta, epsilon: epsilon,
                                                            fuseReLU: fuseReLU)
        let statistics = result.statistics
        let workspace = result.workspace
        let node = index
        let output = tape.record(result.output, differentiable: true) { tape, gradient in
            let grads = try BatchNormalization.backward(
                input: input, outputGradient: gradient, scale: gamma, shift: beta, statistics: statistics,
                workspace: workspace, epsilon: epsilon, fuseReLU: fuseReLU, globalStatistics: false)
            try tape.accumulate(grads.input, into: node)
            try scale.accumulateGradient(grads.scale)
            try shift.accumulateGradient(grads.shift)
        }
        return (output, statistics)
    }

    /// Inference-mode batch normalization with fixed (running) statistics.
    ///
    /// ```
    /// y = γ · (x − μ) / √(σ² + ε) + β        (then max(y, 0) if fuseReLU)
    /// ```
    /// VJP (statistics held fixed): `dx = dy · γ/√(σ²+ε)`, `dγ += Σ dy · x̂`, `dβ += Σ dy`.
    /// On a recording tape with `fuseReLU`, the ReLU is recorded as a separate op (oneDNN's fused
    /// backward needs a training-mode workspace).
    ///
    /// - Parameters:
    ///   - scale: γ.
    ///   - shift: β.
    ///   - mean: the running mean μ, `[C]`.
    ///   - variance: the running variance σ², `[C]`.
    ///   - epsilon: ε > 0.
    ///   - fuseReLU: apply ReLU after the normalization.
    /// - Returns: the output.
    /// - Throws: `AutodiffError` for a stale variable; `TensorError`/`DNNLError` from the kernel.
    public func batchNormInference(scale: Parameter, shift: Parameter, mean: Tensor, variance: Tensor,
                                   epsilon: Float = 1e-5, fuseReLU: Bool = false) throws -> Variable {
        try tape.validate(self, "batchNormInference")
        let input = value
        let gamma = scale.value
        let beta = shift.value
        tape.use(scale)
        tape.use(shift)
        let fuseInKernel = fuseReLU && !tape.isRecording
        let normalized = try BatchNormalization.forwardInference(
            input, scale: gamma, shift: beta, mean: mean, variance: variance, epsilon: epsilon,
            fuseReLU: fuseInKernel)
        let statistics = BatchNormalizationStatistics(mean: mean, variance: variance, count: 1)
        let node = index
        let output = tape.record(normalized, differentiable: true) { tape, gradient in
            let grads = try BatchNormalization.backward(
                input: input, outputGradient: gradient, scale: gamma, shift: beta, statistics: statistics,
                workspace: nil, epsilon: epsilon, fuseReLU: false, globalStatistics: true)
            try tape.accumulate(grads.input, into: node)
            try scale.accumulateGradient(grads.scale)
            try shift.accumulateGradient(grads.shift)
        }
        return fuseReLU && !fuseInKernel ? try output.relu() : output
    }
}
