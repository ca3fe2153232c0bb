/// Why a ``ButcherTableau`` was refused at construction (or on decoding).
///
/// Every case names the offending coefficient (row/column or index) and the values involved, so
/// that a mistyped tableau is found from the message alone.
public enum ButcherTableauError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `a` has no rows: a method needs at least one stage.
    case noStages
    /// Row `row` of `a` has `count` entries; a square s×s matrix needs `stageCount`.
    case aNotSquare(row: Int, count: Int, stageCount: Int)
    /// `b` has `count` entries where `a` has `stageCount` rows.
    case bCountMismatch(count: Int, stageCount: Int)
    /// `c` has `count` entries where `a` has `stageCount` rows.
    case cCountMismatch(count: Int, stageCount: Int)
    /// The embedded weights `bHat` have `count` entries where `a` has `stageCount` rows.
    case bHatCountMismatch(count: Int, stageCount: Int)
    /// A coefficient is NaN or infinite; `coefficient` names it, e.g. `"a[2][1]"`, `"b[0]"`.
    case nonFiniteCoefficient(coefficient: String, value: Double)
    /// `a[row][column]` is nonzero on or above the diagonal: the method would be implicit.
    case notExplicit(row: Int, column: Int, value: Double)
    /// `c[row]` differs from the row sum `Σ_j a[row][j]` by more than the rounding tolerance.
    case rowSumMismatch(row: Int, c: Double, rowSum: Double)
    /// `Σ_i b_i` is not 1 (to rounding): the method would not be consistent.
    case weightsDoNotSumToOne(sum: Double)
    /// `Σ_i bHat_i` is not 1 (to rounding).
    case embeddedWeightsDoNotSumToOne(sum: Double)
    /// The stated order (`"order"` or `"embeddedOrder"`) is below 1.
    case invalidOrder(field: String, value: Int)
    /// `bHat` and `embeddedOrder` must be given together; `missing` names the absent one.
    case incompleteEmbeddedPair(missing: String)
    /// The stated order (`field` is `"order"` or `"embeddedOrder"`) is not reached: `condition`
    /// (of order ≤ min(order, 4)) misses its value by `residual`.
    case orderConditionViolated(field: String, order: Int, condition: String, residual: Double)

    /// A one-line message naming the offending value(s).
    public var description: String {
        switch self {
        case .noStages:
            return "ButcherTableau: a has no rows (a method needs at least one stage)"
        case let .aNotSquare(row, count, stageCount):
            return "ButcherTableau: a[\(row)] has \(count) entries, expected \(stageCount) (a must be s×s)"
        case let .bCountMismatch(count, stageCount):
            return "ButcherTableau: b has \(count) entries, expected \(stageCount)"
        case let .cCountMismatch(count, stageCount):
            return "ButcherTableau: c has \(count) entries, expected \(stageCount)"
        case let .bHatCountMismatch(count, stageCount):
            return "ButcherTableau: bHat has \(count) entries, expected \(stageCount)"
        case let .nonFiniteCoefficient(coefficient, value):
            return "ButcherTableau: \(coefficient) = \(value) is not finite"
        case let .notExplicit(row, column, value):
            return "ButcherTableau: a[\(row)][\(column)] = \(value) is on or above the diagonal (not explicit)"
        case let .rowSumMismatch(row, c, rowSum):
            return "ButcherTableau: c[\(row)] = \(c) but Σ_j a[\(row)][j] = \(rowSum)"
        case let .weightsDoNotSumToOne(sum):
            return "ButcherTableau: Σ b_i = \(sum), expected 1"
        case let .embeddedWeightsDoNotSumToOne(sum):
            return "ButcherTableau: Σ bHat_i = \(sum), expected 1"
        case let .invalidOrder(field, value):
            return "ButcherTableau: \(field) = \(value), expected ≥ 1"
        case let .incompleteEmbeddedPair(missing):
            return "ButcherTableau: bHat and embeddedOrder go together; \(missing) is missing"
        case let .orderConditionViolated(field, order, condition, residual):
            return "ButcherTableau: \(field) = \(order) is not reached: the order condition \(condition) "
                + "misses by \(residual)"
        }
    }
}
