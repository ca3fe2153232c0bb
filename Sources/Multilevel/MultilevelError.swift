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
    /// A coarsening factor `cf` below 2 (refining or coarsening by 1, 0 or a negative factor).
    case invalidCoarseningFactor(Int)
    /// A hierarchy with fewer than one level.
    case invalidLevelCount(Int)
    /// A step count above ``Level/maximumStepCount`` (`operation` names what produced it).
    case stepCountTooLarge(operation: String, stepCount: Int, limit: Int)
    /// A product of sizes (`N · cf`, `rows · columns`) that overflows `Int`.
    case sizeOverflow(operation: String, factors: [Int])
    /// A dense transfer matrix with more than ``TransferMatrix/maximumEntryCount`` entries.
    case matrixTooLarge(operation: String, rowCount: Int, columnCount: Int, limit: Int)
    /// A NaN or infinite matrix entry `M_ij`.
    case nonFiniteEntry(row: Int, column: Int, value: Double)
    /// Decoded levels that break the hierarchy's invariants (`N_ℓ = cf · N_{ℓ+1}`, the step-size
    /// rule, indices `0…L−1`); `level` is the first offending index.
    case inconsistentHierarchy(level: Int, message: String)

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
        case .invalidCoarseningFactor(let cf):
            return "coarsening factor cf must be an integer ≥ 2, got \(cf)"
        case .invalidLevelCount(let count):
            return "a hierarchy needs at least 1 level, got level count \(count)"
        case .stepCountTooLarge(let op, let n, let limit):
            return "\(op): step count N = \(n) exceeds the limit \(limit)"
        case .sizeOverflow(let op, let factors):
            return "\(op): the size \(factors.map(String.init).joined(separator: " · ")) overflows Int"
        case .matrixTooLarge(let op, let rows, let columns, let limit):
            return "\(op): a \(rows) × \(columns) transfer matrix exceeds the limit of \(limit) entries"
        case .nonFiniteEntry(let i, let j, let value):
            return "TransferMatrix: entry M[\(i), \(j)] = \(value) is not finite"
        case .inconsistentHierarchy(let level, let message):
            return "hierarchy level \(level): \(message)"
        }
    }
}
