internal import COpenBLAS
#if canImport(Glibc)
import Glibc
#endif

/// The number of threads the kernels use (oneDNN's OpenMP pool and OpenBLAS's pool).
///
/// By default both use all cores (or `OMP_NUM_THREADS` / `OPENBLAS_NUM_THREADS` when set).
/// The OpenMP setting applies to the calling thread's parallel regions, i.e. set it from the thread
/// that runs the kernels.
///
/// Reference: `omp_set_num_threads` (libgomp, loaded with libdnnl; resolved with `dlsym` because
/// it is only an indirect dependency), `openblas_set_num_threads`.
public enum ThreadControl {
    private typealias SetThreads = @convention(c) (Int32) -> Void
    private typealias GetThreads = @convention(c) () -> Int32

    /// Sets the thread count of both pools.
    ///
    /// - Parameter count: threads, ≥ 1.
    /// - Throws: `TensorError.invalidArgument` for `count < 1` or when libgomp is not loaded.
    public static func setThreadCount(_ count: Int) throws(TensorError) {
        guard count >= 1 else {
            throw .invalidArgument(operation: "setThreadCount", message: "count must be ≥ 1, got \(count)")
        }
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "omp_set_num_threads") else {
            throw .invalidArgument(operation: "setThreadCount",
                                   message: "omp_set_num_threads not found (libgomp not loaded)")
        }
        unsafeBitCast(symbol, to: SetThreads.self)(Int32(count))
        openblas_set_num_threads(Int32(count))
    }

    /// The OpenMP thread count for the next parallel region on this thread (`omp_get_max_threads`),
    /// or `nil` when libgomp is not loaded.
    public static var threadCount: Int? {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "omp_get_max_threads") else { return nil }
        return Int(unsafeBitCast(symbol, to: GetThreads.self)())
    }
}
