internal import CDNNL

/// The full geometry of one 2-D convolution: NHWC data, OIHW weights, square stride and padding.
struct ConvolutionProblem: Sendable {
    var batch, height, width, inChannels, outChannels, kernelHeight, kernelWidth: Int
    var stride, padding: Int
    var outHeight, outWidth: Int

    /// Validates shapes and computes the output size.
    ///
    /// ```
    /// outHeight = (height + 2·padding − kernelHeight) / stride + 1
    /// ```
    /// Invariants: every extent > 0; `padding < min(kernelHeight, kernelWidth)` (a larger padding
    /// only adds output rows that see nothing but zeros); the arithmetic cannot overflow (it is
    /// checked) and the output fits in memory (`Tensor.checkedByteCount`).
    init(inputShape: [Int], weightShape: [Int], stride: Int, padding: Int,
         operation: String) throws(TensorError) {
        guard inputShape.count == 4 else {
            throw .invalidArgument(operation: operation,
                                   message: "input must be NHWC [batch, height, width, channels], got \(inputShape)")
        }
        guard weightShape.count == 4 else {
            throw .invalidArgument(operation: operation,
                                   message: "weight must be OIHW [out, in, kh, kw], got \(weightShape)")
        }
        guard (inputShape + weightShape).allSatisfy({ $0 > 0 }) else {
            throw .invalidArgument(operation: operation,
                                   message: "empty convolution: every extent must be > 0, got input \(inputShape), weight \(weightShape)")
        }
        guard stride >= 1, padding >= 0 else {
            throw .invalidArgument(operation: operation,
                                   message: "stride must be ≥ 1 and padding ≥ 0, got stride \(stride), padding \(padding)")
        }
        guard padding < weightShape[2], padding < weightShape[3] else {
            throw .invalidArgument(operation: operation,
                                   message: "padding must be < the kernel size \(weightShape[2])×\(weightShape[3]), got \(padding)")
        }
        guard weightShape[1] == inputShape[3] else {
            throw .shapeMismatch(operation: "\(operation) (weight [out, in, kh, kw] vs input channels)",
                                 expected: [weightShape[0], inputShape[3], weightShape[2], weightShape[3]],
                                 got: weightShape)
        }
        batch = inputShape[0]; height = inputShape[1]; width = inputShape[2]; inChannels = inputShape[3]
        outChannels = weightShape[0]; kernelHeight = weightShape[2]; kernelWidth = weightShape[3]
        self.stride = stride
        self.padding = padding
        // padding < kernel, so height + 2·padding − kernel < height + kernel: overflow-checked below.
        func extent(_ size: Int, _ kernel: Int) -> Int? {
            let (padded, o1) = size.addingReportingOverflow(padding)
            let (twice, o2) = padded.addingReportingOverflow(padding)
            guard !o1, !o2, twice >= kernel else { return nil }
            return (twice - kernel) / stride + 1
        }
        guard let outHeight = extent(height, kernelHeight), let outWidth = extent(width, kernelWidth) else {
            throw .invalidArgument(operation: operation,
                                   message: "empty or overflowing convolution: input \(inputShape), weight \(weightShape), stride \(stride), padding \(padding)")
        }
        self.outHeight = outHeight
        self.outWidth = outWidth
        _ = try Tensor.checkedByteCount([batch, outHeight, outWidth, outChannels], operation: operation)
    }

    var inputShape: [Int] { [batch, height, width, inChannels] }
    var outputShape: [Int] { [batch, outHeight, outWidth, outChannels] }
    var weightShape: [Int] { [outChannels, inChannels, kernelHeight, kernelWidth] }

    /// The integers identifying the problem in the primitive cache.
    var key: [Int] {
        [batch, height, width, inChannels, outChannels, kernelHeight, kernelWidth, stride, padding]
    }

    /// Strides `[sh, sw]` as oneDNN takes them.
    var dnnlStrides: [Int64] { [Int64(stride), Int64(stride)] }
    /// Paddings `[ph, pw]` as oneDNN takes them (the same before and after).
    var dnnlPadding: [Int64] { [Int64(padding), Int64(padding)] }

    var description: String {
        "input \(inputShape) weight \(weightShape) stride \(stride) padding \(padding)"
    }

    func sourceDescriptor() throws(DNNLError) -> dnnl_memory_desc_t {
        try memoryDescriptor([batch, inChannels, height, width], dnnl_nhwc)
    }

    func destinationDescriptor() throws(DNNLError) -> dnnl_memory_desc_t {
        try memoryDescriptor([batch, outChannels, outHeight, outWidth], dnnl_nhwc)
    }

    func weightDescriptor(_ tag: dnnl_format_tag_t) throws(DNNLError) -> dnnl_memory_desc_t {
        try memoryDescriptor(weightShape, tag)
    }
}
