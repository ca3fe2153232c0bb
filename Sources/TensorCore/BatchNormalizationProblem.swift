internal import CDNNL

/// The shape, flags and ε of one batch normalization, and its oneDNN descriptors.
struct BatchNormalizationProblem: Sendable {
    var batch, height, width, channels: Int
    var epsilon: Float
    var fuseReLU: Bool

    init(inputShape: [Int], epsilon: Float, fuseReLU: Bool, operation: String) throws(TensorError) {
        guard inputShape.count == 4, inputShape.allSatisfy({ $0 > 0 }) else {
            throw .invalidArgument(operation: operation,
                                   message: "input must be a non-empty NHWC [batch, height, width, channels] tensor, got \(inputShape)")
        }
        guard epsilon > 0, epsilon.isFinite else {
            throw .invalidArgument(operation: operation, message: "epsilon must be > 0, got \(epsilon)")
        }
        batch = inputShape[0]; height = inputShape[1]; width = inputShape[2]; channels = inputShape[3]
        self.epsilon = epsilon
        self.fuseReLU = fuseReLU
    }

    var shape: [Int] { [batch, height, width, channels] }
    var description: String { "input \(shape)\(fuseReLU ? " + ReLU" : "") ε \(epsilon)" }

    func flags(globalStatistics: Bool) -> UInt32 {
        var flags = dnnl_use_scale.rawValue | dnnl_use_shift.rawValue
        if fuseReLU { flags |= dnnl_fuse_norm_relu.rawValue }
        if globalStatistics { flags |= dnnl_use_global_stats.rawValue }
        return flags
    }

    func key(propagation: dnnl_prop_kind_t, globalStatistics: Bool) -> [Int] {
        [batch, height, width, channels, Int(epsilon.bitPattern), Int(flags(globalStatistics: globalStatistics)),
         Int(propagation.rawValue)]
    }

    func dataDescriptor() throws(DNNLError) -> dnnl_memory_desc_t {
        try memoryDescriptor([batch, channels, height, width], dnnl_nhwc)
    }

    func channelDescriptor() throws(DNNLError) -> dnnl_memory_desc_t {
        try memoryDescriptor([channels], dnnl_x)
    }

    /// The cached forward primitive with the given propagation kind.
    func forwardPrimitive(_ propagation: dnnl_prop_kind_t, globalStatistics: Bool,
                          _ runtime: DNNLRuntime) throws -> DNNLPrimitive {
        let key = PrimitiveKey(kind: .batchNormForward,
                               values: self.key(propagation: propagation, globalStatistics: globalStatistics))
        return try runtime.primitive(key) {
            var data = try dataDescriptor()
            var operation = dnnl_batch_normalization_desc_t()
            try dnnlCheck(dnnl_batch_normalization_forward_desc_init(
                &operation, propagation, &data, epsilon, flags(globalStatistics: globalStatistics)),
                "dnnl_batch_normalization_forward_desc_init", description)
            return try DNNLPrimitive(operation: &operation, hint: nil, engine: runtime.engine,
                                     kind: "batch normalization forward", shape: description,
                                     refuseReference: true)
        }
    }

    /// The cached backward primitive (`dnnl_backward`: data, scale and shift gradients).
    func backwardPrimitive(globalStatistics: Bool, _ runtime: DNNLRuntime) throws -> DNNLPrimitive {
        let hint = try forwardPrimitive(dnnl_forward_training, globalStatistics: globalStatistics, runtime)
        let key = PrimitiveKey(kind: .batchNormBackward,
                               values: self.key(propagation: dnnl_backward, globalStatistics: globalStatistics))
        return try runtime.primitive(key) {
            var data = try dataDescriptor()
            var diff = try dataDescriptor()
            var operation = dnnl_batch_normalization_desc_t()
            try dnnlCheck(dnnl_batch_normalization_backward_desc_init(
                &operation, dnnl_backward, &diff, &data, epsilon, flags(globalStatistics: globalStatistics)),
                "dnnl_batch_normalization_backward_desc_init", description)
            return try DNNLPrimitive(operation: &operation, hint: hint, engine: runtime.engine,
                                     kind: "batch normalization backward", shape: description,
                                     refuseReference: true)
        }
    }
}
