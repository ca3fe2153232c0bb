/// Why an order-condition check could not run.
public enum OrderConditionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The requested order is outside `1…4`, the range of ``OrderCondition/all``.
    case unsupportedOrder(requested: Int, highest: Int)
    /// `.embedded` weights were asked of a tableau without `bHat`; `tableau` is its name.
    case noEmbeddedWeights(tableau: String)

    /// A one-line message naming the offending value(s).
    public var description: String {
        switch self {
        case let .unsupportedOrder(requested, highest):
            return "order conditions: order \(requested) requested, the checker covers 1…\(highest)"
        case let .noEmbeddedWeights(tableau):
            return "order conditions: tableau \(tableau) has no embedded weights bHat"
        }
    }
}
