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

    /// Sets the thread count of both pools for the whole process.
    ///
    /// - Parameter count: threads, ≥ 1.
    /// - Throws: `TensorError.invalidArgument` for `count < 1` or when libgomp is not loaded.
    public static func setThreadCount(_ count: Int) throws(TensorError) {
        guard count >= 1 else {
            throw .invalidArgument(operation: "setThreadCount", message: "count must be ≥ 1, got \(count)")
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
