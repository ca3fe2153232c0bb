import Synchronization

/// A process-wide free list of 64-byte-aligned buffers keyed by byte count.
///
/// Training allocates the same activation sizes every step; returning freed buffers here instead of
/// to `free` keeps steady-state memory flat and avoids page faults on fresh `mmap`ed blocks.
///
/// Invariants: the pool never holds more than `capacityBytes` bytes; a buffer is either in the pool
/// or owned by exactly one storage object.
final class BufferPool: Sendable {
    static let shared = BufferPool(capacityBytes: 1 << 30)
    static let alignment = 64

    /// Free buffers by size, stored as addresses (plain integers are `Sendable`).
    private let state: Mutex<[Int: [UInt]]>
    private let pooled = Atomic<Int>(0)
    let capacityBytes: Int

    init(capacityBytes: Int) {
        self.capacityBytes = capacityBytes
        state = Mutex([:])
    }

    /// A buffer of at least `byteCount` bytes (its contents are arbitrary).
    func take(byteCount: Int) -> UnsafeMutableRawPointer {
        let size = Swift.max(byteCount, BufferPool.alignment)
        let reused: UInt? = state.withLock { free in
            guard var list = free[size], let last = list.popLast() else { return nil }
            free[size] = list
            return last
        }
        if let reused, let pointer = UnsafeMutableRawPointer(bitPattern: reused) {
            pooled.subtract(size, ordering: .relaxed)
            return pointer
        }
        return UnsafeMutableRawPointer.allocate(byteCount: size, alignment: BufferPool.alignment)
    }

    /// Bytes currently held in the free lists.
    var pooledBytes: Int { pooled.load(ordering: .relaxed) }

    /// Frees every pooled buffer.
    func drain() {
        let all = state.withLock { free in
            let taken = free
            free.removeAll()
            return taken
        }
        for (size, addresses) in all {
            for address in addresses {
                UnsafeMutableRawPointer(bitPattern: address)?.deallocate()
                pooled.subtract(size, ordering: .relaxed)
            }
        }
    }

    /// Returns a buffer obtained from `take(byteCount:)` with the same `byteCount`.
    func give(_ pointer: UnsafeMutableRawPointer, byteCount: Int) {
        let size = Swift.max(byteCount, BufferPool.alignment)
        if pooled.load(ordering: .relaxed) + size > capacityBytes {
            pointer.deallocate()
            return
        }
        pooled.add(size, ordering: .relaxed)
        let address = UInt(bitPattern: pointer)
        state.withLock { free in
            free[size, default: []].append(address)
        }
    }
}

/// An owned, 64-byte-aligned raw byte buffer (used for oneDNN workspaces and reordered weights).
final class RawBuffer: @unchecked Sendable {
    // Safe to send: the buffer is written only by the kernel that owns the enclosing object at the
    // time, and the pointer itself is immutable.
    let pointer: UnsafeMutableRawPointer
    let byteCount: Int

    init(byteCount: Int) {
        self.byteCount = byteCount
        pointer = BufferPool.shared.take(byteCount: byteCount)
    }

    deinit { BufferPool.shared.give(pointer, byteCount: byteCount) }
}
