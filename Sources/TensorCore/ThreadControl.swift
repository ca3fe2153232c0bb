internal import COpenBLAS
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The number of threads the kernels use (oneDNN's OpenMP pool and OpenBLAS's pool).
///
/// By default both use all cores (or `OMP_NUM_THREADS` / `OPENBLAS_NUM_THREADS` when set).
/// OpenMP keeps the thread count per calling thread; after `setThreadCount(_:)` every oneDNN
/// execution first applies the requested count to the thread it runs on, so the setting holds
/// process-wide even when kernels are called from several threads (e.g. Swift concurrency).
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

    /// The requested count (0: not set).
    private static let requested = Atomic<Int>(0)

    /// The largest count `setThreadCount(_:)` accepts: 4 × the online cores, at most 1024.
    ///
    /// More threads than that only oversubscribe the cores, and libgomp crashes creating a pool of
    /// about 10⁵ threads (and `Int32` cannot hold more than 2³¹ − 1).
    ///
    /// Reference: `sysconf(_SC_NPROCESSORS_ONLN)`.
    public static let maximumThreadCount: Int = {
        let cores = sysconf(Int32(_SC_NPROCESSORS_ONLN))
        return Swift.min(1024, 4 * Swift.max(1, cores))
    }()

    /// Sets the thread count of both pools for the whole process.
    ///
    /// - Parameter count: threads, in `1...maximumThreadCount`.
    /// - Throws: `TensorError.invalidArgument` for `count` outside `1...maximumThreadCount`
    ///   (checked before either pool is touched) or when libgomp is not loaded.
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
        requested.store(count, ordering: .relaxed)
        openMP.set(Int32(count))
        openblas_set_num_threads(Int32(count))
    }

    /// The OpenMP thread count for the next parallel region on this thread (`omp_get_max_threads`),
    /// or `nil` when libgomp is not loaded.
    public static var threadCount: Int? {
        guard let openMP else { return nil }
        return Int(openMP.get())
    }

    /// Applies the requested count to the calling thread (before a oneDNN execution).
    static func applyToCurrentThread() {
        let count = requested.load(ordering: .relaxed)
        guard count > 0, let openMP, Int(openMP.get()) != count else { return }
        openMP.set(Int32(count))
    }
}
