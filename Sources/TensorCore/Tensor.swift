/// A dense Float32 tensor in row-major order with copy-on-write value semantics.
///
/// Shape: any rank; 4-D activations are NHWC `[batch, height, width, channels]`; convolution
/// weights are OIHW `[out, in, kh, kw]`; per-channel parameters are `[C]`.
///
/// Invariants: `count == shape.reduce(1, *)`; the buffer is 64-byte aligned; copies share storage
/// until one of them is written.
public struct Tensor: Sendable {
    /// The extent of each axis, outermost first.
    public private(set) var shape: [Int]
    /// The number of elements, the product of `shape` (1 for a rank-0 tensor).
    public let count: Int
    var storage: TensorStorage

    /// Creates a tensor with uninitialized contents.
    ///
    /// Only for a shape that has passed ``validated(_:operation:)`` or is the shape of a live tensor
    /// (whose storage therefore already fit in memory); every new shape goes through `validated`.
    init(uncheckedShape shape: [Int]) {
        self.shape = shape
        count = shape.reduce(1, *)
        storage = TensorStorage(count: count)
    }

    /// The bytes of Float32 storage a tensor of `shape` needs, checked before anything is allocated:
    /// the one size guard every tensor creation path with a new shape goes through.
    ///
    /// ```
    /// byteCount = 4 · Π shape[i]   ≤   TensorMemory.physicalMemoryBytes
    /// ```
    /// - Parameters:
    ///   - shape: the extents.
    ///   - operation: the operation named in the error.
    /// - Returns: the byte count (4 for a rank-0 tensor).
    /// - Throws: `TensorError.invalidArgument` for a negative extent or an element count whose
    ///   product overflows `Int`; `TensorError.exceedsPhysicalMemory` when the bytes exceed the
    ///   machine's physical memory (an allocation that could only fail or thrash).
    public static func checkedByteCount(_ shape: [Int], operation: String) throws(TensorError) -> Int {
        if let negative = shape.first(where: { $0 < 0 }) {
            throw .invalidArgument(operation: operation,
                                   message: "shape \(shape) has a negative extent \(negative)")
        }
        var product = 1
        for extent in shape {
            let (next, overflow) = product.multipliedReportingOverflow(by: extent)
            guard !overflow else {
                throw .invalidArgument(operation: operation,
                                       message: "shape \(shape) has too many elements (the product overflows Int)")
            }
            product = next
        }
        let (bytes, overflow) = product.multipliedReportingOverflow(by: MemoryLayout<Float>.size)
        guard !overflow else {
            throw .invalidArgument(operation: operation,
                                   message: "shape \(shape) has too many elements (the byte count overflows Int)")
        }
        let physical = TensorMemory.physicalMemoryBytes
        if physical > 0, bytes > physical {
            throw .exceedsPhysicalMemory(operation: operation, shape: shape, byteCount: bytes,
                                         physicalMemory: physical)
        }
        return bytes
    }

    /// Returns `shape` after ``checkedByteCount(_:operation:)`` accepted it.
    static func validated(_ shape: [Int], operation: String) throws(TensorError) -> [Int] {
        _ = try checkedByteCount(shape, operation: operation)
        return shape
    }

    /// A tensor of zeros.
    ///
    /// - Parameter shape: the extents; each must be ≥ 0.
    /// - Throws: `TensorError.invalidArgument` for a negative extent or an overflowing element
    ///   count; `TensorError.exceedsPhysicalMemory` when the storage exceeds physical memory.
    public init(zeros shape: [Int]) throws(TensorError) {
        try self.init(shape: shape, repeating: 0)
    }

    /// A tensor of zeros with the shape of `other`.
    ///
    /// - Parameter other: the tensor whose shape is used.
    public init(zerosLike other: Tensor) {
        self.init(uncheckedShape: other.shape)
        storage.pointer.initialize(repeating: 0, count: count)
    }

    /// A tensor whose every element is `value`.
    ///
    /// - Parameters:
    ///   - shape: the extents; each must be ≥ 0.
    ///   - value: the fill value.
    /// - Throws: `TensorError.invalidArgument` for a negative extent or an overflowing element
    ///   count; `TensorError.exceedsPhysicalMemory` when the storage exceeds physical memory.
    public init(shape: [Int], repeating value: Float) throws(TensorError) {
        self.init(uncheckedShape: try Tensor.validated(shape, operation: "Tensor(shape:repeating:)"))
        storage.pointer.initialize(repeating: value, count: count)
    }

    /// A tensor holding `elements` in row-major order.
    ///
    /// - Parameters:
    ///   - shape: the extents; their product must equal `elements.count`.
    ///   - elements: the values, last axis fastest.
    /// - Throws: `TensorError.invalidArgument` for a negative extent or an overflowing element
    ///   count, `TensorError.exceedsPhysicalMemory` for a shape larger than physical memory,
    ///   `TensorError.shapeMismatch` when the element count differs from the shape's.
    public init(shape: [Int], elements: [Float]) throws(TensorError) {
        let shape = try Tensor.validated(shape, operation: "Tensor(shape:elements:)")
        let expected = shape.reduce(1, *)
        guard expected == elements.count else {
            throw .shapeMismatch(operation: "Tensor(shape:elements:)", expected: shape,
                                 got: [elements.count])
        }
        self.init(uncheckedShape: shape)
        elements.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { storage.pointer.update(from: base, count: expected) }
        }
    }

    /// The number of axes.
    public var rank: Int { shape.count }

    /// The values in row-major order, as a new array.
    public var elements: [Float] { withUnsafeBufferPointer { Array($0) } }

    /// Calls `body` with read access to the values in row-major order.
    ///
    /// - Parameter body: receives a buffer of `count` floats; it must not escape the pointer.
    /// - Returns: what `body` returns.
    public func withUnsafeBufferPointer<R, E: Error>(
        _ body: (UnsafeBufferPointer<Float>) throws(E) -> R
    ) throws(E) -> R {
        try body(UnsafeBufferPointer(start: storage.pointer, count: count))
    }

    /// Calls `body` with write access to the values, copying the storage first if it is shared.
    ///
    /// Invalidates every cached oneDNN layout of this storage (the version is bumped).
    ///
    /// - Parameter body: receives a buffer of `count` floats; it must not escape the pointer.
    /// - Returns: what `body` returns.
    public mutating func withUnsafeMutableBufferPointer<R, E: Error>(
        _ body: (UnsafeMutableBufferPointer<Float>) throws(E) -> R
    ) throws(E) -> R {
        makeUnique()
        storage.bumpVersion()
        return try body(UnsafeMutableBufferPointer(start: storage.pointer, count: count))
    }

    /// Copies the storage if another tensor shares it.
    mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
    }

    /// Whether `self` and `other` share one buffer (a copy-on-write probe for tests).
    public func sharesStorage(with other: Tensor) -> Bool { storage === other.storage }

    /// The same values viewed with another shape (no copy).
    ///
    /// - Parameter newShape: extents whose product equals `count`.
    /// - Returns: a tensor sharing this one's storage.
    /// - Throws: `TensorError.shapeMismatch` when the element counts differ,
    ///   `TensorError.invalidArgument` for a negative extent.
    public func reshaped(to newShape: [Int]) throws(TensorError) -> Tensor {
        let newShape = try Tensor.validated(newShape, operation: "reshape")
        guard newShape.reduce(1, *) == count else {
            throw .shapeMismatch(operation: "reshape", expected: shape, got: newShape)
        }
        var result = self
        result.shape = newShape
        return result
    }

    /// Throws unless `shape == expected`.
    ///
    /// - Parameters:
    ///   - expected: the required shape.
    ///   - operation: the operation name used in the error.
    /// - Throws: `TensorError.shapeMismatch` naming both shapes.
    public func checkShape(_ expected: [Int], operation: String) throws(TensorError) {
        guard shape == expected else {
            throw .shapeMismatch(operation: operation, expected: expected, got: shape)
        }
    }

    /// Read-only pointer for kernels (valid while `self` is alive).
    var pointer: UnsafeMutablePointer<Float> { storage.pointer }

    /// Mutable pointer for kernels after copy-on-write; bumps the version.
    mutating func mutablePointer() -> UnsafeMutablePointer<Float> {
        makeUnique()
        storage.bumpVersion()
        return storage.pointer
    }
}
