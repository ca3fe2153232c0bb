internal import CDNNL
import Synchronization

/// The heap buffer behind a `Tensor`: `count` Float32 values, 64-byte aligned, plus a cache of the
/// same data reordered into oneDNN blocked layouts.
///
/// `version` is bumped on every mutable access, so a cached reordering made at an older version is
/// stale; this is how reordered convolution weights are invalidated after an optimizer step without
/// any bookkeeping by the caller.
///
/// Invariants: `pointer` holds `count` floats (at least one slot); `version` only grows.
final class TensorStorage: @unchecked Sendable {
    // Safe to send: mutation goes through `Tensor`'s copy-on-write, which only writes to a storage
    // whose reference is unique (so no other thread can hold it); the layout cache is behind a mutex.
    let pointer: UnsafeMutablePointer<Float>
    let count: Int
    private(set) var version: UInt64 = 0
    let derivedLayouts = Mutex<[DerivedLayout]>([])

    init(count: Int) {
        self.count = count
        pointer = BufferPool.shared.take(byteCount: Swift.max(count, 1) * 4)
            .bindMemory(to: Float.self, capacity: Swift.max(count, 1))
    }

    deinit { BufferPool.shared.give(UnsafeMutableRawPointer(pointer), byteCount: Swift.max(count, 1) * 4) }

    /// Marks the contents as changed (drops every cached layout).
    func bumpVersion() {
        version &+= 1
        derivedLayouts.withLock { $0.removeAll() }
    }

    /// A deep copy of the values (not of the layout cache).
    func copy() -> TensorStorage {
        let result = TensorStorage(count: count)
        result.pointer.update(from: pointer, count: count)
        return result
    }
}

/// This storage's data reordered into a oneDNN memory layout at a given storage version.
struct DerivedLayout: @unchecked Sendable {
    // Safe to send: the descriptor is a plain C value; the buffer is immutable once filled.
    var descriptor: dnnl_memory_desc_t
    var version: UInt64
    var buffer: RawBuffer
}
