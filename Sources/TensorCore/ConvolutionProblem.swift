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
        guard stride >= 1, padding >= 0 else {
            throw .invalidArgument(operation: operation,
                                   message: "stride must be ≥ 1 and padding ≥ 0, got stride \(stride), padding \(padding)")
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
        outHeight = (height + 2 * padding - kernelHeight) / stride + 1
        outWidth = (width + 2 * padding - kernelWidth) / stride + 1
        guard ([batch, inChannels, outChannels, kernelHeight, kernelWidth].allSatisfy { $0 > 0 }),
              height + 2 * padding >= kernelHeight, width + 2 * padding >= kernelWidth,
              outHeight > 0, outWidth > 0
        else {
            throw .invalidArgument(operation: operation,
                                   message: "empty convolution: input \(inputShape), weight \(weightShape), stride \(stride), padding \(padding)")
        }
    }

    var inputShape: [Int] { [batch, height, width, inChannels] }
    var outputShape: [Int] { [batch, outHeight, outWidth, outChannels] }
    var weightShape: [Int] { [outChannels, inChannels, kernelHeight, kernelWidth] }

    /// The integers identifying the problem in the primitive cache.
    var key: [Int] {
        [batch, height, width, inChannels, outChannels, kernelHeight, kernelWidth, stride, padding]
    }

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
