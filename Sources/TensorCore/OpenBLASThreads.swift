internal import COpenBLAS
import Synchronization

/// Runs OpenBLAS calls at the calling thread's kernel thread count.
///
/// OpenBLAS (Debian's pthread build) keeps one thread count for the whole process, and its SGEMM
/// results depend on it (measured with OpenBLAS 0.3.21: a `[96, 300] × [300, 200]` product and
/// both of its backward products differ in their last bits between 1 and 2 threads). A count set
/// once per ``ComputeContext/run(_:)`` would therefore be overwritten by a context running
/// concurrently on another thread. Each of the library's OpenBLAS calls instead holds one
/// process-wide lock and first gives OpenBLAS the calling thread's OpenMP count (the count its
/// context applied): a GEMM always runs at its caller's count, and GEMMs of several threads are
/// serialized, as oneDNN executions are on the shared stream. Cost: one uncontended lock and two
/// integer reads per GEMM; `openblas_set_num_threads` only when the count changes.
///
/// Reference: `openblas_set_num_threads`, `openblas_get_num_threads` (OpenBLAS 0.3).
enum OpenBLASThreads {
    private static let lock = Mutex<Void>(())

    /// Runs `body` (OpenBLAS calls) holding the lock, with OpenBLAS's count set to the calling
    /// thread's OpenMP count (`omp_get_max_threads`; OpenBLAS's own count when libgomp is absent).
    static func withCallingThreadCount(_ body: () -> Void) {
        let count = ThreadControl.threadCount ?? Int(openblas_get_num_threads())
        lock.withLock { _ in
            if count >= 1, Int(openblas_get_num_threads()) != count { openblas_set_num_threads(Int32(count)) }
            body()
        }
    }
}
