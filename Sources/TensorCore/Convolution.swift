internal import CDNNL

/// 2-D convolution on NHWC activations with OIHW master weights, through oneDNN.
///
/// ```
/// y[n, p, q, o] = Σ_{c, i, j} x[n, s·p + i − pad, s·q + j − pad, c] · w[o, c, i, j]
/// ```
/// (zero padding; no bias). The oneDNN primitives are created with weights in `format_tag_any`,
/// which selects the JIT kernels (brgconv / jit:avx512_core); the plain OIHW weights are reordered
/// into the primitive's layout once per weight version and cached on the weight tensor's storage,
/// so repeated forward passes with unchanged weights reorder nothing.
///
/// Shape: input `[batch, height, width, in]`, weight `[out, in, kh, kw]`,
/// output `[batch, outHeight, outWidth, out]` with `outHeight = (height + 2·padding − kh)/stride + 1`.
///
/// Reference: oneDNN 2.6 `dnnl_convolution_{forward,backward_data,backward_weights}_desc_init`.
public enum Convolution {
    /// The output shape of a convolution.
    ///
    /// - Parameters:
    ///   - inputShape: `[batch, height, width, in]`.
    ///   - weightShape: `[out, in, kh, kw]`.
    ///   - stride: the stride, ≥ 1.
    ///   - padding: zero padding on each side, `0 ≤ padding < min(kh, kw)`.
    /// - Returns: `[batch, outHeight, outWidth, out]`.
    /// - Throws: `TensorError.invalidArgument` for a bad rank, a non-positive extent, stride < 1,
    ///   a padding outside `0..<min(kh, kw)`, an empty output or overflowing size arithmetic;
    ///   `TensorError.shapeMismatch` when the channel counts disagree;
    ///   `TensorError.exceedsPhysicalMemory` when the output would exceed physical memory.
    public static func outputShape(inputShape: [Int], weightShape: [Int], stride: Int,
                                   padding: Int) throws(TensorError) -> [Int] {
        try ConvolutionProblem(inputShape: inputShape, weightShape: weightShape, stride: stride,
                               padding: padding, operation: "convolution").outputShape
    }

    /// The forward convolution `y = conv(x, w)`.
    ///
    /// - Parameters:
    ///   - input: `x`, NHWC.
    ///   - weight: `w`, OIHW.
    ///   - stride: the stride, ≥ 1.
    ///   - padding: zero padding on each side, `0 ≤ padding < min(kh, kw)`.
    /// - Returns: `y`, NHWC.
    /// - Throws: `TensorError` for bad shapes, stride or padding (as ``outputShape(inputShape:weightShape:stride:padding:)``),
    ///   an output larger than physical memory, or a reference kernel; `DNNLError` if oneDNN fails.
    public static func forward(_ input: Tensor, weight: Tensor, stride: Int, padding: Int) throws -> Tensor {
        let problem = try ConvolutionProblem(inputShape: input.shape, weightShape: weight.shape,
                                             stride: stride, padding: padding,
                                             operation: "convolution forward")
        let runtime = try DNNLRuntime.get()
        let primitive = try forwardPrimitive(problem, runtime)
        let weights = try weightsInLayout(weight, of: primitive, query: dnnl_query_weights_md,
                                          reorder: .reorderToForwardWeights, problem, runtime)
        var output = Tensor(uncheckedShape: problem.outputShape)
        let out = output.mutablePointer()
        try runtime.execute(primitive, [
            (DNNL_ARG_SRC, try problem.sourceDescriptor(), UnsafeMutableRawPointer(input.pointer)),
            (DNNL_ARG_WEIGHTS, weights.descriptor, weights.pointer),
            (DNNL_ARG_DST, try problem.destinationDescriptor(), UnsafeMutableRawPointer(out)),
        ])
        withExtendedLifetime((input, weight, weights.owner)) {}
        return output
    }

    /// The gradient with respect to the input, `dx = convᵀ(dy, w)`.
    ///
    /// - Parameters:
    ///   - outputGradient: `dy`, NHWC, the shape of the forward output.
    ///   - weight: `w`, OIHW.
    ///   - inputShape: the forward input's shape.
    ///   - stride: the forward stride.
    ///   - padding: the forward padding.
    /// - Returns: `dx` with shape `inputShape`.
    /// - Throws: `TensorError` for bad shapes or a reference kernel; `DNNLError` if oneDNN fails.
    public static func backwardData(outputGradient: Tensor, weight: Tensor, inputShape: [Int],
                                    stride: Int, padding: Int) throws -> Tensor {
        let problem = try ConvolutionProblem(
            inputShape: try Tensor.validated(inputShape, operation: "convolution backward data"),
            weightShape: weight.shape, stride: stride, padding: padding, operation: "convolution backward data")
        try outputGradient.checkShape(problem.outputShape, operation: "convolution backward data (output gradient)")
        let runtime = try DNNLRuntime.get()
        let forward = try forwardPrimitive(problem, runtime)
        let primitive = try runtime.primitive(PrimitiveKey(kind: .convolutionBackwardData, values: problem.key)) {
            var source = try problem.sourceDescriptor()
            var destination = try problem.destinationDescriptor()
            var weights = try problem.weightDescriptor(dnnl_format_tag_any)
            var operation = dnnl_convolution_desc_t()
            let (strides, pads) = (problem.dnnlStrides, problem.dnnlPadding)
            try dnnlCheck(dnnl_convolution_backward_data_desc_init(
                &operation, dnnl_convolution_direct, &source, &weights, &destination, strides, pads, pads),
                "dnnl_convolution_backward_data_desc_init", problem.description)
            return try DNNLPrimitive(operation: &operation, hint: forward, engine: runtime.engine,
                                     kind: "convolution backward data", shape: problem.description,
                                     refuseReference: true)
        }
        let weights = try weightsInLayout(weight, of: primitive, query: dnnl_query_weights_md,
                                          reorder: .reorderToBackwardDataWeights, problem, runtime)
        var inputGradient = Tensor(uncheckedShape: problem.inputShape)
        let out = inputGradient.mutablePointer()
        try runtime.execute(primitive, [
            (DNNL_ARG_DIFF_DST, try problem.destinationDescriptor(),
             UnsafeMutableRawPointer(outputGradient.pointer)),
            (DNNL_ARG_WEIGHTS, weights.descriptor, weights.pointer),
            (DNNL_ARG_DIFF_SRC, try problem.sourceDescriptor(), UnsafeMutableRawPointer(out)),
        ])
        withExtendedLifetime((outputGradient, weight, weights.owner)) {}
        return inputGradient
    }

    /// The gradient with respect to the weights, `dw = Σ_n x ⋆ dy`, in plain OIHW layout.
    ///
    /// - Parameters:
    ///   - input: the forward input `x`, NHWC.
    ///   - outputGradient: `dy`, NHWC.
    ///   - weightGradient: receives `dw` `[out, in, kh, kw]`; overwritten or accumulated into.
    ///   - accumulate: when `true`, `weightGradient += dw`; otherwise `weightGradient = dw`.
    ///   - stride: the forward stride.
    ///   - padding: the forward padding.
    /// - Throws: `TensorError` for bad shapes or a reference kernel; `DNNLError` if oneDNN fails.
    ///
    /// A 1×1 kernel without padding (the projection shortcut) is computed as one OpenBLAS GEMM on
    /// the strided positions instead of oneDNN's `jit_1x1` kernel, which corrupts the heap for
    /// fewer input channels than its channel block (see `Convolution+Pointwise.swift`).
    public static func backwardWeights(input: Tensor, outputGradient: Tensor, into weightGradient: inout Tensor,
                                       accumulate: Bool, stride: Int, padding: Int) throws {
        let problem = try ConvolutionProblem(inputShape: input.shape, weightShape: weightGradient.shape,
                                             stride: stride, padding: padding,
                                             operation: "convolution backward weights")
        try outputGradient.checkShape(problem.outputShape,
                                      operation: "convolution backward weights (output gradient)")
        if takesPointwiseRoute(problem) {
            // oneDNN 2.6.3's jit_1x1 backward weights corrupts the heap here (Convolution+Pointwise.swift).
            try pointwiseBackwardWeights(problem, input: input, outputGradient: outputGradient,
                                         into: &weightGradient, accumulate: accumulate)
            return
        }
        let runtime = try DNNLRuntime.get()
        let forward = try forwardPrimitive(problem, runtime)
        let primitive = try runtime.primitive(PrimitiveKey(kind: .convolutionBackwardWeights, values: problem.key)) {
            var source = try problem.sourceDescriptor()
            var destination = try problem.destinationDescriptor()
            var weights = try problem.weightDescriptor(dnnl_format_tag_any)
            var operation = dnnl_convolution_desc_t()
            let (strides, pads) = (problem.dnnlStrides, problem.dnnlPadding)
            try dnnlCheck(dnnl_convolution_backward_weights_desc_init(
                &operation, dnnl_convolution_direct, &source, &weights, nil, &destination, strides, pads, pads),
                "dnnl_convolution_backward_weights_desc_init", problem.description)
            return try DNNLPrimitive(operation: &operation, hint: forward, engine: runtime.engine,
                                     kind: "convolution backward weights", shape: problem.description,
                                     refuseReference: true)
        }
        let plain = try problem.weightDescriptor(dnnl_oihw)
        guard let layout = primitive.memoryDescriptor(dnnl_query_diff_weights_md) else {
            throw DNNLError(function: "dnnl_primitive_desc_query_md", status: -1,
                            message: "no diff_weights descriptor for \(primitive.name)")
        }
        let direct = sameLayout(layout, plain)
        // Where the primitive writes: the gradient itself when possible, else a scratch buffer.
        var scratchPlain: Tensor?
        let plainTarget: UnsafeMutablePointer<Float>
        if accumulate {
            var scratch = Tensor(uncheckedShape: problem.weightShape)
            plainTarget = scratch.mutablePointer()
            scratchPlain = scratch
        } else {
            plainTarget = weightGradient.mutablePointer()
        }
        let blocked = direct ? nil : RawBuffer(byteCount: byteCount(layout))
        let target = blocked?.pointer ?? UnsafeMutableRawPointer(plainTarget)
        try runtime.execute(primitive, [
            (DNNL_ARG_SRC, try problem.sourceDescriptor(), UnsafeMutableRawPointer(input.pointer)),
            (DNNL_ARG_DIFF_DST, try problem.destinationDescriptor(),
             UnsafeMutableRawPointer(outputGradient.pointer)),
            (DNNL_ARG_DIFF_WEIGHTS, layout, target),
        ])
        if let blocked {
            let reorder = try runtime.primitive(PrimitiveKey(kind: .reorderFromDiffWeights, values: problem.key)) {
                try DNNLPrimitive(reorderFrom: layout, to: plain, engine: runtime.engine,
                                  shape: problem.description)
            }
            try runtime.execute(reorder, [
                (DNNL_ARG_FROM, layout, blocked.pointer),
                (DNNL_ARG_TO, plain, UnsafeMutableRawPointer(plainTarget)),
            ])
        }
        if let scratchPlain { try weightGradient.add(scratchPlain) }
        withExtendedLifetime((input, outputGradient, blocked)) {}
    }

    /// The cached forward primitive for a problem.
    ///
    /// - Parameter plainWeights: request OIHW weights instead of `format_tag_any` (only to test the
    ///   reference guard: with NHWC data this selects oneDNN's reference kernel).
    static func forwardPrimitive(_ problem: ConvolutionProblem, _ runtime: DNNLRuntime,
                                 plainWeights: Bool = false) throws -> DNNLPrimitive {
        try runtime.primitive(PrimitiveKey(kind: .convolutionForward, values: problem.key + [plainWeights ? 1 : 0])) {
            var source = try problem.sourceDescriptor()
            var destination = try problem.destinationDescriptor()
            var weights = try problem.weightDescriptor(plainWeights ? dnnl_oihw : dnnl_format_tag_any)
            var operation = dnnl_convolution_desc_t()
            let (strides, pads) = (problem.dnnlStrides, problem.dnnlPadding)
            try dnnlCheck(dnnl_convolution_forward_desc_init(
                &operation, dnnl_forward_training, dnnl_convolution_direct, &source, &weights, nil,
                &destination, strides, pads, pads),
                "dnnl_convolution_forward_desc_init", problem.description)
            return try DNNLPrimitive(operation: &operation, hint: nil, engine: runtime.engine,
                                     kind: "convolution forward", shape: problem.description,
                                     refuseReference: true)
        }
    }

    /// The weights in the layout `primitive` expects, reordered from OIHW at most once per version.
    static func weightsInLayout(
        _ weight: Tensor, of primitive: DNNLPrimitive, query: dnnl_query_t,
        reorder kind: PrimitiveKey.Kind, _ problem: ConvolutionProblem, _ runtime: DNNLRuntime
    ) throws -> (descriptor: dnnl_memory_desc_t, pointer: UnsafeMutableRawPointer, owner: RawBuffer?) {
        let plain = try problem.weightDescriptor(dnnl_oihw)
        guard let layout = primitive.memoryDescriptor(query) else {
            throw DNNLError(function: "dnnl_primitive_desc_query_md", status: -1,
                            message: "no weights descriptor for \(primitive.name)")
        }
        if sameLayout(layout, plain) { return (plain, UnsafeMutableRawPointer(weight.pointer), nil) }
        let storage = weight.storage
        let version = storage.version
        let cached = storage.derivedLayouts.withLock { layouts in
            layouts.first { $0.version == version && sameLayout($0.descriptor, layout) }?.buffer
        }
        if let cached { return (layout, cached.pointer, cached) }
        let reorder = try runtime.primitive(PrimitiveKey(kind: kind, values: problem.key)) {
            try DNNLPrimitive(reorderFrom: plain, to: layout, engine: runtime.engine, shape: problem.description)
        }
        let buffer = RawBuffer(byteCount: byteCount(layout))
        try runtime.execute(reorder, [
            (DNNL_ARG_FROM, plain, UnsafeMutableRawPointer(weight.pointer)),
            (DNNL_ARG_TO, layout, buffer.pointer),
        ])
        storage.derivedLayouts.withLock { layouts in
            layouts.append(DerivedLayout(descriptor: layout, version: version, buffer: buffer))
        }
        return (layout, buffer.pointer, buffer)
    }
}
