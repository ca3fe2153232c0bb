#if canImport(Glibc)
import Glibc
#endif

/// Control of the process-wide pool that recycles tensor buffers.
///
/// Freed tensor buffers are kept (up to 1 GiB) for reuse by the next tensor of the same byte size,
/// so a training loop with fixed shapes stops allocating after its first step. After a change of
/// network size (e.g. a multilevel refinement), sizes that will not recur can be released.
public enum TensorMemory {
    /// Bytes held by the pool for reuse (not owned by any live tensor).
    public static var pooledBytes: Int { BufferPool.shared.pooledBytes }

    /// The machine's physical memory in bytes (`sysconf(_SC_PHYS_PAGES) · sysconf(_SC_PAGESIZE)`,
    /// what `ProcessInfo.physicalMemory` reports), or 0 when unknown. No tensor larger than this is
    /// allocated: creation throws `TensorError.exceedsPhysicalMemory` instead.
    ///
    /// Units: bytes.
    ///
    /// Reference: `sysconf(3)`.
    public static let physicalMemoryBytes: Int = {
        let pages = sysconf(Int32(_SC_PHYS_PAGES)), pageSize = sysconf(Int32(_SC_PAGESIZE))
        guard pages > 0, pageSize > 0 else { return 0 }
        let (bytes, overflow) = pages.multipliedReportingOverflow(by: pageSize)
        return overflow ? Int.max : bytes
    }()

    /// Returns every pooled buffer to the system allocator.
    public static func releasePooledBuffers() { BufferPool.shared.drain() }
}
