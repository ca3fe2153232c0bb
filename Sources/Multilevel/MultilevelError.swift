/// Errors thrown by the multilevel building blocks (levels, hierarchies, transfer operators).
public enum MultilevelError: Error, Equatable, CustomStringConvertible {
    /// A step count `N` that is not a positive integer.
    case invalidStepCount(Int)
    /// A final time `T` (depth-time units) that is not finite and positive.
    case invalidFinalTime(Double)
    /// A level index that is negative or past the hierarchy's coarsest level.
    case invalidLevelIndex(Int, levelCount: Int)
    /// A step count that a coarsening needs to be divisible by the coarsening factor.
    case stepCountNotDivisible(stepCount: Int, coarseningFactor: Int, operation: String)
    /// A sequence whose length differs from the operator's input length.
    case sequenceLengthMismatch(operation: String, expected: Int, got: Int)
    /// Per-step arrays of one sequence whose element counts differ.
    case elementCountMismatch(operation: String, step: Int, expected: Int, got: Int)
    /// Two matrices whose shapes do not compose.
    case shapeMismatch(operation: String, left: [Int], right: [Int])
    /// An error of the underlying interpolation library, with its message.
    case interpolation(String)

    /// A one-line explanation naming the offending values.

    public var description: String {
        switch self {
        case .invalidStepCount(let n):
            return "step count N must be a positive integer, got \(n)"
        case .invalidFinalTime(let t):
            return "final time T must be finite and > 0, got \(t)"
        case .invalidLevelIndex(let index, let count):
            return "level \(index) does not exist: the hierarchy has levels 0..<\(count) (0 = finest)"
        case .stepCountNotDivisible(let n, let cf, let op):
            return "\(op): step count N = \(n) is not divisible by the coarsening factor \(cf)"
        case .sequenceLengthMismatch(let op, let expected, let got):
            return "\(op): expected a sequence of \(expected) steps, got \(got)"
        case .elementCountMismatch(let op, let step, let expected, let got):
            return "\(op): step \(step) has \(got) elements, expected \(expected) like step 0"
        case .shapeMismatch(let op, let left, let right):
            return "\(op): shapes \(left) and \(right) do not compose"
        case .interpolation(let message):
            return "interpolation failed: \(message)"
        }
    }
}
