/// Control of the process-wide pool that recycles tensor buffers.
///
/// Freed tensor buffers are kept (up to 1 GiB) for reuse by the next tensor of the same byte size,
/// so a training loop with fixed shapes stops allocating after its first step. After a change of
/// network size (e.g. a multilevel refinement), sizes that will not recur can be released.
public enum TensorMemory {
    /// Bytes held by the pool for reuse (not owned by any live tensor).
    public static var pooledBytes: Int { BufferPool.shared.pooledBytes }

    /// Returns every pooled buffer to the system allocator.
    public static func releasePooledBuffers() { BufferPool.shared.drain() }
}
