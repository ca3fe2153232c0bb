import Foundation

/// The settings kernels run under: today the kernel thread count of oneDNN's OpenMP pool and of
/// OpenBLAS. A value that callers build once, pass to what runs kernels (`Trainer`,
/// `TrainingStep`, `MultilevelTrainer`, `Evaluation`) and record with the results.
///
/// ```swift
/// let compute = try ComputeContext(threadCount: 2)
/// let trainer = try Trainer(network: network, data: data, configuration: configuration, compute: compute)
/// try trainer.train(epochs: 10, schedule: schedule)     // every step runs under `compute`
/// let y = try compute.run { try network.forward(x) }     // kernels called directly
/// ```
///
/// Where it is applied: ``run(_:)`` sets the count on the calling thread for the duration of its
/// body and restores the previous count afterwards. The types that call kernels apply their
/// context at their synchronous entry points (a training step, an epoch, an evaluation, a
/// multilevel run), so each applies it on the thread the work actually runs on; nothing is
/// re-applied per kernel. Kernels called outside any ``run(_:)`` use the calling thread's own
/// count (OpenMP's default: `OMP_NUM_THREADS`, else all cores).
///
/// Why per thread: OpenMP keeps the thread count (`nthreads-var`) per calling thread, so a count
/// set on one thread does not reach kernels called from another (a Swift concurrency task may
/// resume on any thread of the pool). oneDNN also fixes a primitive's thread partition when the
/// primitive is created; the runtime therefore caches primitives per thread count.
///
/// OpenBLAS (Debian's pthread build) keeps one count for the whole process, and its SGEMM results
/// depend on it; each of the library's OpenBLAS calls therefore gives OpenBLAS the calling thread's
/// OpenMP count first, under one process-wide lock, so contexts on several threads never see each
/// other's count.
///
/// Default: ``default`` is one thread — results are bit-for-bit reproducible on any machine
/// (oneDNN's reductions, e.g. convolution backward weights and batch-norm statistics, sum in an
/// order that depends on the thread count), and several trainers or test suites can run side by
/// side without oversubscribing the cores. Ask for ``allCores`` (or a count) for speed.
///
/// Reference: `omp_set_num_threads`, `omp_get_max_threads` (libgomp); `openblas_set_num_threads`,
/// `openblas_get_num_threads` (OpenBLAS 0.3).
public struct ComputeContext: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Threads of the kernels (oneDNN's OpenMP parallel regions and OpenBLAS), in
    /// `1...ThreadControl.maximumThreadCount`.
    public let threadCount: Int

    /// A context with `threadCount` kernel threads.
    ///
    /// - Parameter threadCount: threads, in `1...ThreadControl.maximumThreadCount`.
    /// - Throws: ``ComputeContextError/threadCountOutOfRange(field:requested:allowed:)``.
    public init(threadCount: Int) throws(ComputeContextError) {
        try self.init(threadCount: threadCount, field: "threadCount")
    }

    private init(threadCount: Int, field: String) throws(ComputeContextError) {
        let allowed = 1...ThreadControl.maximumThreadCount
        guard allowed.contains(threadCount) else {
            throw .threadCountOutOfRange(field: field, requested: threadCount, allowed: allowed)
        }
        self.threadCount = threadCount
    }

    /// One kernel thread.
    public static let singleThreaded = ComputeContext(unchecked: 1)

    /// The library's default: ``singleThreaded`` (reproducible everywhere; see the type's notes).
    public static let `default` = singleThreaded

    /// One kernel thread per online core (`ProcessInfo.activeProcessorCount`).
    public static var allCores: ComputeContext {
        ComputeContext(unchecked: Swift.min(Swift.max(1, ProcessInfo.processInfo.activeProcessorCount),
                                            ThreadControl.maximumThreadCount))
    }

    /// A count known to be valid.
    private init(unchecked threadCount: Int) { self.threadCount = threadCount }

    /// The context of the innermost ``run(_:)`` enclosing the caller (bound per task, inherited by
    /// child tasks; per thread outside tasks), or ``default`` outside any.
    ///
    /// It is the default argument of the initializers that take a context, so that code built
    /// inside `compute.run { … }` (e.g. a comparison's trainers) records and uses `compute`.
    @TaskLocal public static var current: ComputeContext = .default

    /// Runs `body` with the kernel thread count applied to the calling thread (its OpenMP setting,
    /// which oneDNN and, at each call, OpenBLAS follow) and with ``current`` bound to this context;
    /// restores the thread's count after `body` returns or throws (nested and concurrent uses do
    /// not leak settings).
    ///
    /// `body` must run its kernels synchronously on the calling thread: the OpenMP count is a
    /// per-thread setting. Work handed to another thread applies its context there (the trainers
    /// do so at each entry point). Cost: about 50 ns per call whether or not the count changes
    /// (measured in a release build: task-local binding ≈ 40 ns, `omp_get_max_threads` ≈ 3 ns).
    ///
    /// - Parameter body: the work.
    /// - Returns: what `body` returns.
    /// - Throws: what `body` throws.
    public func run<T>(_ body: () throws -> T) rethrows -> T {
        try ComputeContext.$current.withValue(self) {
            let previous = ThreadControl.applyOpenMPThreadCount(threadCount)
            defer { if let previous { ThreadControl.applyOpenMPThreadCount(previous) } }
            return try body()
        }
    }

    /// `"1 thread"`, `"4 threads"`.
    public var description: String { threadCount == 1 ? "1 thread" : "\(threadCount) threads" }

    private enum CodingKeys: String, CodingKey { case threadCount }

    /// Decodes a context, checking its count as ``init(threadCount:)`` does.
    ///
    /// - Parameter decoder: the decoder.
    /// - Throws: `DecodingError.dataCorrupted` for a count outside `1...maximumThreadCount`
    ///   (naming the key path), `DecodingError` for a missing or mistyped field.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let count = try container.decode(Int.self, forKey: .threadCount)
        do {
            try self.init(threadCount: count,
                          field: (container.codingPath + [CodingKeys.threadCount]).map(\.stringValue)
                              .joined(separator: "."))
        } catch {
            throw DecodingError.dataCorruptedError(forKey: .threadCount, in: container, debugDescription: "\(error)")
        }
    }
}
