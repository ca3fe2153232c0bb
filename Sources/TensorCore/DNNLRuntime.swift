internal import CDNNL
import Foundation
import Synchronization

/// The process-wide oneDNN engine and stream, and the cache of created primitives.
///
/// Created lazily on first use. Primitive creation is expensive (JIT code generation), so every
/// primitive is cached under a `PrimitiveKey` describing kind, shapes, strides and flags — one
/// cache per OS thread: a primitive runs only on the thread that created it. oneDNN built with
/// `DNNL_ENABLE_CONCURRENT_EXEC=OFF` (its default, and Debian's 2.6.3) gives every primitive the
/// library scratchpad of the thread that created it, a `thread_local` buffer read again at
/// execution: "primitives can be created and executed in parallel but cannot migrate between
/// threads" (oneDNN, `dnnl_scratchpad_mode_library`). A primitive created on one thread and run
/// on another read that thread's scratchpad: a null pointer where it never created a primitive
/// (a segfault in backward-weights convolutions, seen when Swift Testing ran two training tests
/// on worker threads), or a smaller buffer (heap corruption).
final class DNNLRuntime: @unchecked Sendable {
    // Safe to send and share: `engine` and `stream` are immutable handles; each thread's primitive
    // cache is reached only from that thread (a POSIX thread-specific value); executions on the single
    // stream are serialized by `executionLock` (oneDNN streams must not be used from two threads at
    // once).
    private static let shared: Result<DNNLRuntime, DNNLError> = {
        do throws(DNNLError) { return .success(try DNNLRuntime()) } catch { return .failure(error) }
    }()

    /// The shared runtime.
    ///
    /// - Throws: `DNNLError` when the CPU engine or stream cannot be created.
    static func get() throws(DNNLError) -> DNNLRuntime { try shared.get() }

    let engine: dnnl_engine_t
    let stream: dnnl_stream_t
    private let executionLock = Mutex<Int>(0)

    /// The primitives created on one thread (destroyed when the thread exits).
    private final class ThreadPrimitives {
        var byKey: [PrimitiveKey: DNNLPrimitive] = [:]
    }

    /// The POSIX thread-specific key of each thread's ``ThreadPrimitives`` (retained; released, and
    /// its primitives destroyed, when the thread exits). `pthread_getspecific` costs ~20 ns where
    /// `Thread.current.threadDictionary` cost ~1 µs, and it runs before every kernel.
    private static let threadKey: pthread_key_t = {
        var key = pthread_key_t()
        let status = pthread_key_create(&key) { pointer in
            guard let pointer else { return }
            Unmanaged<ThreadPrimitives>.fromOpaque(pointer).release()
        }
        precondition(status == 0, "pthread_key_create failed (\(status)): no thread-specific key left")
        return key
    }()

    /// The calling thread's primitive cache, created on first use.
    private var threadPrimitives: ThreadPrimitives {
        if let pointer = pthread_getspecific(Self.threadKey) {
            return Unmanaged<ThreadPrimitives>.fromOpaque(pointer).takeUnretainedValue()
        }
        let cache = ThreadPrimitives()
        pthread_setspecific(Self.threadKey, Unmanaged.passRetained(cache).toOpaque())
        return cache
    }

    private init() throws(DNNLError) {
        var engine: dnnl_engine_t?
        try dnnlCheck(dnnl_engine_create(&engine, dnnl_cpu, 0), "dnnl_engine_create",
                      "creating the CPU engine")
        guard let engine else {
            throw DNNLError(function: "dnnl_engine_create", status: -1, message: "returned no engine")
        }
        var stream: dnnl_stream_t?
        let status = dnnl_stream_create(&stream, engine, dnnl_stream_default_flags.rawValue)
        guard status == dnnl_success, let stream else {
            dnnl_engine_destroy(engine)
            throw DNNLError(function: "dnnl_stream_create", status: Int(status.rawValue),
                            message: "\(dnnlStatusName(status)); creating the CPU stream")
        }
        self.engine = engine
        self.stream = stream
    }

    deinit {
        dnnl_stream_destroy(stream)
        dnnl_engine_destroy(engine)
    }

    /// The calling thread's cached primitive for `key` at its OpenMP thread count, created by
    /// `make` on first use (on this thread: see the type's note on oneDNN's scratchpad).
    ///
    /// The thread count is part of the key because oneDNN fixes a primitive's thread partition
    /// (`jcp.nthr`, from `omp_get_max_threads`) when the primitive is created and runs that many
    /// threads whatever the count at execution: a primitive created under 2 threads would run 2
    /// threads (and sum in its 2-thread order) inside a 1-thread ``ComputeContext``.
    /// `make` may itself look up a hint primitive.
    func primitive(
        _ key: PrimitiveKey, make: () throws -> DNNLPrimitive
    ) throws -> DNNLPrimitive {
        var key = key
        key.threadCount = ThreadControl.threadCount ?? 0
        let cache = threadPrimitives
        if let cached = cache.byKey[key] { return cached }
        let created = try make()
        cache.byKey[key] = created
        return created
    }

    /// The names (kind, shape, implementation) of every primitive cached on the calling thread,
    /// for diagnostics.
    var cachedPrimitiveNames: [String] { threadPrimitives.byKey.values.map(\.name).sorted() }

    /// Executes `primitive` on the stream with the given arguments and waits for completion.
    ///
    /// - Parameter arguments: `(DNNL_ARG_*, memory descriptor, data pointer)` triples.
    func execute(
        _ primitive: DNNLPrimitive, _ arguments: [(Int32, dnnl_memory_desc_t, UnsafeMutableRawPointer)]
    ) throws(DNNLError) {
        var memories: [DNNLMemory] = []
        memories.reserveCapacity(arguments.count)
        for (_, descriptor, pointer) in arguments {
            memories.append(try DNNLMemory(descriptor: descriptor, engine: engine, pointer: pointer))
        }
        var args = zip(arguments, memories).map { dnnl_exec_arg_t(arg: $0.0.0, memory: $0.1.handle) }
        let name = primitive.name
        try executionLock.withLock { _ throws(DNNLError) in
            try dnnlCheck(dnnl_primitive_execute(primitive.handle, stream, Int32(args.count), &args),
                          "dnnl_primitive_execute", "executing \(name)")
            try dnnlCheck(dnnl_stream_wait(stream), "dnnl_stream_wait", "after \(name)")
        }
        withExtendedLifetime(memories) {}
    }
}

/// Throws `DNNLError` unless `status` is `dnnl_success`.
func dnnlCheck(_ status: dnnl_status_t, _ function: String, _ context: @autoclosure () -> String)
    throws(DNNLError)
{
    guard status == dnnl_success else {
        throw DNNLError(function: function, status: Int(status.rawValue),
                        message: "\(dnnlStatusName(status)); \(context())")
    }
}

/// The oneDNN name of a status (`dnnl_status2str`).
func dnnlStatusName(_ status: dnnl_status_t) -> String {
    guard let name = dnnl_status2str(status) else { return "unknown status" }
    return String(cString: name)
}

/// A plain memory descriptor (`tag`) or a layout-free one (`dnnl_format_tag_any`) for `dims`.
///
/// Order: `dims` are in oneDNN's logical order (`[N, C, H, W]` for data, `[O, I, KH, KW]` for
/// weights) whatever the physical tag.
func memoryDescriptor(_ dims: [Int], _ tag: dnnl_format_tag_t) throws(DNNLError) -> dnnl_memory_desc_t {
    var descriptor = dnnl_memory_desc_t()
    let dims64 = dims.map { Int64($0) }
    try dnnlCheck(dnnl_memory_desc_init_by_tag(&descriptor, Int32(dims.count), dims64, dnnl_f32, tag),
                  "dnnl_memory_desc_init_by_tag", "dims \(dims)")
    return descriptor
}

/// Whether two memory descriptors describe the same layout.
func sameLayout(_ a: dnnl_memory_desc_t, _ b: dnnl_memory_desc_t) -> Bool {
    var a = a
    var b = b
    return dnnl_memory_desc_equal(&a, &b) != 0
}

/// Bytes needed for a memory descriptor.
func byteCount(_ descriptor: dnnl_memory_desc_t) -> Int {
    var descriptor = descriptor
    return Int(dnnl_memory_desc_get_size(&descriptor))
}
