internal import CDNNL

/// A created oneDNN primitive with its descriptor and implementation name.
///
/// Invariants: `implementation` never starts with `"ref"` when the primitive was created with the
/// reference guard on.
final class DNNLPrimitive: @unchecked Sendable {
    // Safe to send: the handles are immutable after creation; execution is serialized by
    // `DNNLRuntime.execute`.
    let descriptor: dnnl_primitive_desc_t
    let handle: dnnl_primitive_t
    /// The implementation oneDNN chose (`dnnl_query_impl_info_str`), e.g. `"brg:avx512_core"`.
    let implementation: String
    /// A human-readable name: kind and shape.
    let name: String

    /// Creates a primitive from an operation descriptor.
    ///
    /// - Parameters:
    ///   - operation: pointer to a `dnnl_*_desc_t`.
    ///   - hint: the forward primitive for backward ones.
    ///   - kind: the primitive kind for messages (e.g. `"convolution forward"`).
    ///   - shape: the problem shape for messages.
    ///   - refuseReference: throw if oneDNN picks a `ref` implementation.
    convenience init(operation: UnsafeRawPointer, hint: DNNLPrimitive?, engine: dnnl_engine_t, kind: String,
         shape: String, refuseReference: Bool) throws {
        var descriptor: dnnl_primitive_desc_t?
        try dnnlCheck(dnnl_primitive_desc_create(&descriptor, operation, nil, engine, hint?.descriptor),
                      "dnnl_primitive_desc_create", "\(kind) \(shape)")
        guard let descriptor else {
            throw DNNLError(function: "dnnl_primitive_desc_create", status: -1,
                            message: "returned no descriptor for \(kind) \(shape)")
        }
        try self.init(ownedDescriptor: descriptor, kind: kind, shape: shape, refuseReference: refuseReference)
    }

    /// A reorder primitive from layout `source` to layout `destination`.
    convenience init(reorderFrom source: dnnl_memory_desc_t, to destination: dnnl_memory_desc_t,
                     engine: dnnl_engine_t, shape: String) throws {
        var source = source
        var destination = destination
        var descriptor: dnnl_primitive_desc_t?
        try dnnlCheck(dnnl_reorder_primitive_desc_create(&descriptor, &source, engine, &destination,
                                                         engine, nil),
                      "dnnl_reorder_primitive_desc_create", "reorder \(shape)")
        guard let descriptor else {
            throw DNNLError(function: "dnnl_reorder_primitive_desc_create", status: -1,
                            message: "returned no descriptor for reorder \(shape)")
        }
        try self.init(ownedDescriptor: descriptor, kind: "reorder", shape: shape, refuseReference: false)
    }

    /// Creates the primitive of a descriptor this object takes ownership of (destroyed on failure),
    /// after the reference-implementation guard when `refuseReference`.
    init(ownedDescriptor descriptor: dnnl_primitive_desc_t, kind: String, shape: String,
         refuseReference: Bool) throws {
        var info: UnsafePointer<CChar>?
        let status = dnnl_primitive_desc_query(descriptor, dnnl_query_impl_info_str, 0, &info)
        let implementation = (status == dnnl_success ? info.map { String(cString: $0) } : nil) ?? "unknown"
        if refuseReference {
            do {
                try ImplementationGuard.check(implementation: implementation, primitive: kind, shape: shape)
            } catch {
                dnnl_primitive_desc_destroy(descriptor)
                throw error
            }
        }
        var primitive: dnnl_primitive_t?
        let created = dnnl_primitive_create(&primitive, descriptor)
        guard created == dnnl_success, let primitive else {
            dnnl_primitive_desc_destroy(descriptor)
            throw DNNLError(function: "dnnl_primitive_create", status: Int(created.rawValue),
                            message: "\(dnnlStatusName(created)); \(kind) \(shape)")
        }
        self.descriptor = descriptor
        self.handle = primitive
        self.implementation = implementation
        self.name = "\(kind) \(shape) [\(implementation)]"
    }

    deinit {
        dnnl_primitive_destroy(handle)
        dnnl_primitive_desc_destroy(descriptor)
    }

    /// The memory descriptor the primitive uses for `query` (e.g. `dnnl_query_weights_md`).
    func memoryDescriptor(_ query: dnnl_query_t, index: Int32 = 0) -> dnnl_memory_desc_t? {
        dnnl_primitive_desc_query_md(descriptor, query, index)?.pointee
    }
}

/// The guard against oneDNN's reference kernels in hot paths.
enum ImplementationGuard {
    /// Throws when `implementation` names a reference kernel (prefix `"ref"`).
    ///
    /// - Throws: `TensorError.referenceImplementation` naming the primitive, shape and kernel.
    static func check(implementation: String, primitive: String, shape: String) throws(TensorError) {
        if implementation.hasPrefix("ref") {
            throw .referenceImplementation(primitive: primitive, shape: shape,
                                           implementation: implementation)
        }
    }
}
