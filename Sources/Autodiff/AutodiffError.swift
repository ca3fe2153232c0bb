/// A misuse of the tape detected before any computation.
public enum AutodiffError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Variables of two different tapes were combined in one operation.
    case differentTapes(operation: String)
    /// A variable recorded before the last `Tape.reset()` was used.
    case staleVariable(operation: String)
    /// `backward(from:)` was called on a variable that does not depend on any parameter or input
    /// requiring a gradient (or on a tape that is not recording).
    case notDifferentiable(operation: String)
    /// Class labels do not fit the logits.
    case invalidLabels(message: String)

    /// A message naming the operation.
    public var description: String {
        switch self {
        case let .differentTapes(operation): return "\(operation): variables belong to different tapes"
        case let .staleVariable(operation): return "\(operation): variable is from before the last tape reset"
        case let .notDifferentiable(operation): return "\(operation): variable has no recorded gradient path"
        case let .invalidLabels(message): return "softmax cross-entropy: \(message)"
        }
    }
}
