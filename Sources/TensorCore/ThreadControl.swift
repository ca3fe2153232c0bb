internal import COpenBLAS
#if canImport(Glibc)
import Glibc
#endif

/// Queries of the kernels' thread pools (oneDNN's OpenMP pool and OpenBLAS's pool); the count
/// itself is set by a ``ComputeContext``.
///
/// OpenMP keeps the thread count per calling thread (its `nthreads-var` ICV): a thread that never
/// set it uses the process default, `OMP_NUM_THREADS` or all cores.
///
/// Reference: `omp_set_num_threads`, `omp_get_max_threads` (libgomp, loaded with libdnnl;
/// resolved with `dlsym` because it is only an indirect dependency), `openblas_set_num_threads`.
public enum ThreadControl {
    private typealias SetThreads = @convention(c) (Int32) -> Void
    private typealias GetThreads = @convention(c) () -> Int32

    /// The OpenMP entry points, or `nil` when libgomp is not loaded.
    private static let openMP: (set: SetThreads, get: GetThreads)? = {
        let process = UnsafeMutableRawPointer(bitPattern: 0)
        guard let set = dlsym(process, "omp_set_num_threads"),
              let get = dlsym(process, "omp_get_max_threads") else { return nil }
        return (unsafeBitCast(set, to: SetThreads.self), unsafeBitCast(get, to: GetThreads.self))
    }()

    /// The largest kernel thread count accepted: 4 × the online cores, at most 1024.
    ///
    /// More threads than that only oversubscribe the cores, and libgomp crashes creating a pool of
    /// about 10⁵ threads (and `Int32` cannot hold more than 2³¹ − 1).
    ///
    /// Reference: `sysconf(_SC_NPROCESSORS_ONLN)`.
    public static let maximumThreadCount: Int = {
        let cores = sysconf(Int32(_SC_NPROCESSORS_ONLN))
        return Swift.min(1024, 4 * Swift.max(1, cores))
    }()

    /// Sets the OpenMP thread count of the calling thread and OpenBLAS's count, until changed.
    ///
    /// Nothing is restored and other threads keep their own OpenMP count; a ``ComputeContext``
    /// scopes the setting and records it with the results instead.
    ///
    /// - Parameter count: threads, in `1...maximumThreadCount`.
    /// - Throws: `TensorError.invalidArgument` for `count` outside `1...maximumThreadCount`
    ///   (checked before either pool is touched) or when libgomp is not loaded.
    @available(*, deprecated, message: "build a ComputeContext(threadCount:) and pass it, or call its run { }")
    public static func setThreadCount(_ count: Int) throws(TensorError) {
        guard (1...maximumThreadCount).contains(count) else {
            throw .invalidArgument(operation: "setThreadCount",
                                   message: "thread count must be in 1...\(maximumThreadCount) "
                                       + "(4 × cores, at most 1024), got \(count)")
        }
        guard let openMP else {
            throw .invalidArgument(operation: "setThreadCount",
                                   message: "omp_set_num_threads not found (libgomp not loaded)")
        }
        openMP.set(Int32(count))
        openblas_set_num_threads(Int32(count))
    }

    /// The OpenMP thread count for the next parallel region on the calling thread
    /// (`omp_get_max_threads`), or `nil` when libgomp is not loaded.
    public static var threadCount: Int? {
        guard let openMP else { return nil }
        return Int(openMP.get())
    }

    /// Sets the calling thread's OpenMP count to `count` when it differs.
    ///
    /// - Returns: the count before, when it was changed (to restore); `nil` when nothing changed
    ///   or libgomp is not loaded.
    @discardableResult
    static func applyOpenMPThreadCount(_ count: Int) -> Int? {
        guard let openMP else { return nil }
        let previous = Int(openMP.get())
        guard previous != count else { return nil }
        openMP.set(Int32(count))
        return previous
    }
}
