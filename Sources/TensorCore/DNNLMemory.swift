internal import CDNNL

/// A oneDNN memory object wrapping caller-owned data.
final class DNNLMemory {
    let handle: dnnl_memory_t

    init(descriptor: dnnl_memory_desc_t, engine: dnnl_engine_t,
         pointer: UnsafeMutableRawPointer) throws(DNNLError) {
        var descriptor = descriptor
        var memory: dnnl_memory_t?
        try dnnlCheck(dnnl_memory_create(&memory, &descriptor, engine, pointer), "dnnl_memory_create",
                      "wrapping a buffer")
        guard let memory else {
            throw DNNLError(function: "dnnl_memory_create", status: -1, message: "returned no memory")
        }
        handle = memory
    }

    deinit { dnnl_memory_destroy(handle) }
}
