/// A failure of a tensor operation detected before any kernel runs, or a refused kernel.
///
/// Every case names the operation so that a message read in a log points at the call site.
public enum TensorError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Two shapes that must agree do not.
    ///
    /// - `operation`: the operation that checked the shapes (e.g. `"convolution forward"`).
    /// - `expected`: the shape the operation required.
    /// - `got`: the shape it was given.
    case shapeMismatch(operation: String, expected: [Int], got: [Int])
    /// A shape or argument is invalid on its own (negative extent, wrong rank, empty output, …).
    case invalidArgument(operation: String, message: String)
    /// A tensor's storage would exceed the machine's physical memory; refused before allocating.
    ///
    /// - `operation`: the operation that would have allocated it.
    /// - `shape`: the requested shape.
    /// - `byteCount`: the bytes the Float32 storage needs.
    /// - `physicalMemory`: the machine's physical memory in bytes (`TensorMemory.physicalMemoryBytes`).
    case exceedsPhysicalMemory(operation: String, shape: [Int], byteCount: Int, physicalMemory: Int)
    /// oneDNN chose a reference (`ref:*`) implementation for a hot-path primitive; such kernels are
    /// about 1000× slower than the JIT ones and would silently ruin training throughput.
    ///
    /// - `primitive`: the primitive kind (e.g. `"convolution backward weights"`).
    /// - `shape`: a description of the problem shape.
    /// - `implementation`: the implementation name oneDNN reported.
    case referenceImplementation(primitive: String, shape: String, implementation: String)

    /// A message naming the operation and, for shape errors, both shapes.
    public var description: String {
        switch self {
        case let .shapeMismatch(operation, expected, got):
            return "\(operation): shape mismatch, expected \(expected), got \(got)"
        case let .invalidArgument(operation, message):
            return "\(operation): \(message)"
        case let .exceedsPhysicalMemory(operation, shape, byteCount, physicalMemory):
            return "\(operation): shape \(shape) needs \(byteCount) bytes, more than the \(physicalMemory) "
                + "bytes of physical memory; refusing to allocate it"
        case let .referenceImplementation(primitive, shape, implementation):
            return "\(primitive) \(shape): oneDNN picked the reference implementation "
                + "'\(implementation)' (about 1000× slower); refusing to run it"
        }
    }
}

