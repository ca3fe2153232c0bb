internal import CDNNL

/// Batch normalization over NHWC activations with scale γ and shift β, through oneDNN.
///
/// ```
/// y = γ_c · (x − μ_c) / √(σ²_c + ε) + β_c        (then max(y, 0) when ReLU is fused)
/// ```
/// Training uses the batch statistics μ, σ² (biased) of `x`; inference uses given running ones.
///
/// Small batches: the statistics are taken over `M = batch · height · width` values per channel,
/// so a one-image batch still has `height · width` values per channel (the last mini-batch of an
/// epoch may hold a single image: it is trained on, as PyTorch's `drop_last = False`, with
/// statistics from that image's positions). `M = 1` (one image of 1 × 1 maps) has no variance and
/// would normalize every value to β: training mode refuses it, as PyTorch does ("expected more
/// than 1 value per channel when training").
///
/// Shape: input `[batch, height, width, C]`; γ, β, μ, σ² `[C]`.
///
/// Reference: Ioffe, Szegedy, "Batch Normalization", ICML 2015, Alg. 1; oneDNN 2.6
/// `dnnl_batch_normalization_{forward,backward}_desc_init` (`dnnl_use_scale | dnnl_use_shift`,
/// `dnnl_fuse_norm_relu`, `dnnl_use_global_stats`).
public enum BatchNormalization {
    /// Training-mode forward with batch statistics.
    ///
    /// - Parameters:
    ///   - input: `x`, NHWC.
    ///   - scale: γ, `[C]`.
    ///   - shift: β, `[C]`.
    ///   - epsilon: ε > 0.
    ///   - fuseReLU: apply ReLU in the same pass (keeps a workspace for the backward pass).
    /// - Returns: the output, the batch statistics and the workspace.
    /// - Throws: `TensorError` for bad shapes or a reference kernel; `TensorError.invalidArgument`
    ///   when `batch · height · width < 2` (no batch variance); `DNNLError` if oneDNN fails.
    public static func forwardTraining(_ input: Tensor, scale: Tensor, shift: Tensor, epsilon: Float = 1e-5,
                                       fuseReLU: Bool = false) throws -> BatchNormalizationResult {
        let problem = try BatchNormalizationProblem(inputShape: input.shape, epsilon: epsilon, fuseReLU: fuseReLU,
                                                    operation: "batch normalization forward (training)")
        guard problem.batch * problem.height * problem.width >= 2 else {
            throw TensorError.invalidArgument(
                operation: "batch normalization forward (training)",
                message: "batch statistics need ≥ 2 values per channel (batch · height · width), got input "
                    + "\(input.shape): one image of 1 × 1 maps has no variance")
        }
        try checkChannels([scale, shift], problem, names: ["scale", "shift"])
        let runtime = try DNNLRuntime.get()
        let primitive = try problem.forwardPrimitive(dnnl_forward_training, globalStatistics: false, runtime)
        var output = Tensor(uncheckedShape: input.shape)
        var mean = Tensor(uncheckedShape: [problem.channels])
        var variance = Tensor(uncheckedShape: [problem.channels])
        let data = try problem.dataDescriptor()
        let channel = try problem.channelDescriptor()
        var arguments: [(Int32, dnnl_memory_desc_t, UnsafeMutableRawPointer)] = [
            (DNNL_ARG_SRC, data, UnsafeMutableRawPointer(input.pointer)),
            (DNNL_ARG_DST, data, UnsafeMutableRawPointer(output.mutablePointer())),
            (DNNL_ARG_SCALE, channel, UnsafeMutableRawPointer(scale.pointer)),
            (DNNL_ARG_SHIFT, channel, UnsafeMutableRawPointer(shift.pointer)),
            (DNNL_ARG_MEAN, channel, UnsafeMutableRawPointer(mean.mutablePointer())),
            (DNNL_ARG_VARIANCE, channel, UnsafeMutableRawPointer(variance.mutablePointer())),
        ]
        var workspace: BatchNormalizationWorkspace?
        if fuseReLU, let layout = primitive.memoryDescriptor(dnnl_query_workspace_md) {
            let buffer = RawBuffer(byteCount: byteCount(layout))
            workspace = BatchNormalizationWorkspace(buffer: buffer)
            arguments.append((DNNL_ARG_WORKSPACE, layout, buffer.pointer))
        }
        try runtime.execute(primitive, arguments)
        withExtendedLifetime((input, scale, shift)) {}
        let statistics = BatchNormalizationStatistics(mean: mean, variance: variance,
                                                      count: problem.batch * problem.height * problem.width)
        return BatchNormalizationResult(output: output, statistics: statistics, workspace: workspace)
    }

    /// Inference-mode forward with given (running) statistics.
    ///
    /// - Parameters:
    ///   - input: `x`, NHWC.
    ///   - scale: γ, `[C]`.
    ///   - shift: β, `[C]`.
    ///   - mean: μ, `[C]`.
    ///   - variance: σ², `[C]`.
    ///   - epsilon: ε > 0.
    ///   - fuseReLU: apply ReLU in the same pass.
    /// - Returns: `y`, NHWC.
    /// - Throws: `TensorError` for bad shapes or a reference kernel; `DNNLError` if oneDNN fails.
    public static func forwardInference(_ input: Tensor, scale: Tensor, shift: Tensor, mean: Tensor,
                                        variance: Tensor, epsilon: Float = 1e-5,
                                        fuseReLU: Bool = false) throws -> Tensor {
        let problem = try BatchNormalizationProblem(inputShape: input.shape, epsilon: epsilon, fuseReLU: fuseReLU,
                                                    operation: "batch normalization forward (inference)")
        try checkChannels([scale, shift, mean, variance], problem, names: ["scale", "shift", "mean", "variance"])
        let runtime = try DNNLRuntime.get()
        let primitive = try problem.forwardPrimitive(dnnl_forward_inference, globalStatistics: true, runtime)
        var output = Tensor(uncheckedShape: input.shape)
        let data = try problem.dataDescriptor()
        let channel = try problem.channelDescriptor()
        try runtime.execute(primitive, [
            (DNNL_ARG_SRC, data, UnsafeMutableRawPointer(input.pointer)),
            (DNNL_ARG_DST, data, UnsafeMutableRawPointer(output.mutablePointer())),
            (DNNL_ARG_SCALE, channel, UnsafeMutableRawPointer(scale.pointer)),
            (DNNL_ARG_SHIFT, channel, UnsafeMutableRawPointer(shift.pointer)),
            (DNNL_ARG_MEAN, channel, UnsafeMutableRawPointer(mean.pointer)),
            (DNNL_ARG_VARIANCE, channel, UnsafeMutableRawPointer(variance.pointer)),
        ])
        withExtendedLifetime((input, scale, shift, mean, variance)) {}
        return output
    }

    /// The backward pass: gradients with respect to x, γ and β.
    ///
    /// With batch statistics (`globalStatistics == false`) the gradient flows through μ and σ²
    /// (Ioffe & Szegedy, Alg. 1 backward); with fixed statistics it is the affine map's gradient:
    /// ```
    /// dx = dy · γ / √(σ² + ε),   dγ = Σ dy · x̂,   dβ = Σ dy
    /// ```
    ///
    /// - Parameters:
    ///   - input: the forward input `x`.
    ///   - outputGradient: `dy`, the forward output's shape.
    ///   - scale: γ.
    ///   - shift: β.
    ///   - statistics: the statistics the forward pass used.
    ///   - workspace: the fused-ReLU mask from `forwardTraining` (required when `fuseReLU`).
    ///   - epsilon: the forward ε.
    ///   - fuseReLU: whether the forward fused ReLU.
    ///   - globalStatistics: `true` when the forward used fixed (running) statistics.
    /// - Returns: `(input: dx, scale: dγ, shift: dβ)`.
    /// - Throws: `TensorError` for bad shapes, a missing workspace or a reference kernel;
    ///   `DNNLError` if oneDNN fails.
    public static func backward(
        input: Tensor, outputGradient: Tensor, scale: Tensor, shift: Tensor,
        statistics: BatchNormalizationStatistics, workspace: BatchNormalizationWorkspace?,
        epsilon: Float = 1e-5, fuseReLU: Bool = false, globalStatistics: Bool = false
    ) throws -> (input: Tensor, scale: Tensor, shift: Tensor) {
        let operation = "batch normalization backward"
        let problem = try BatchNormalizationProblem(inputShape: input.shape, epsilon: epsilon, fuseReLU: fuseReLU,
                                                    operation: operation)
        try outputGradient.checkShape(input.shape, operation: "\(operation) (output gradient)")
        try checkChannels([scale, shift, statistics.mean, statistics.variance], problem,
                          names: ["scale", "shift", "mean", "variance"])
        if fuseReLU && workspace == nil {
            throw TensorError.invalidArgument(operation: operation,
                                              message: "fused ReLU needs the workspace of forwardTraining")
        }
        let runtime = try DNNLRuntime.get()
        let primitive = try problem.backwardPrimitive(globalStatistics: globalStatistics, runtime)
        var inputGradient = Tensor(uncheckedShape: input.shape)
        var scaleGradient = Tensor(uncheckedShape: [problem.channels])
        var shiftGradient = Tensor(uncheckedShape: [problem.channels])
        let data = try problem.dataDescriptor()
        let channel = try problem.channelDescriptor()
        var arguments: [(Int32, dnnl_memory_desc_t, UnsafeMutableRawPointer)] = [
            (DNNL_ARG_SRC, data, UnsafeMutableRawPointer(input.pointer)),
            (DNNL_ARG_DIFF_DST, data, UnsafeMutableRawPointer(outputGradient.pointer)),
            (DNNL_ARG_SCALE, channel, UnsafeMutableRawPointer(scale.pointer)),
            (DNNL_ARG_SHIFT, channel, UnsafeMutableRawPointer(shift.pointer)),
            (DNNL_ARG_MEAN, channel, UnsafeMutableRawPointer(statistics.mean.pointer)),
            (DNNL_ARG_VARIANCE, channel, UnsafeMutableRawPointer(statistics.variance.pointer)),
            (DNNL_ARG_DIFF_SRC, data, UnsafeMutableRawPointer(inputGradient.mutablePointer())),
            (DNNL_ARG_DIFF_SCALE, channel, UnsafeMutableRawPointer(scaleGradient.mutablePointer())),
            (DNNL_ARG_DIFF_SHIFT, channel, UnsafeMutableRawPointer(shiftGradient.mutablePointer())),
        ]
        if fuseReLU, let workspace, let layout = primitive.memoryDescriptor(dnnl_query_workspace_md) {
            arguments.append((DNNL_ARG_WORKSPACE, layout, workspace.buffer.pointer))
        }
        try runtime.execute(primitive, arguments)
        withExtendedLifetime((input, outputGradient, scale, shift, statistics, workspace)) {}
        return (inputGradient, scaleGradient, shiftGradient)
    }

    static func checkChannels(_ tensors: [Tensor], _ problem: BatchNormalizationProblem,
                              names: [String]) throws(TensorError) {
        for (tensor, name) in zip(tensors, names) {
            try tensor.checkShape([problem.channels], operation: "batch normalization (\(name))")
        }
    }
}
