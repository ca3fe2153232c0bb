/// Which weights of a tableau an order-condition check applies to.
public enum TableauWeights: Sendable, Hashable {
    /// The propagated solution's weights `b`.
    case main
    /// The embedded weights `bHat` (absent on tableaux without an embedded pair).
    case embedded
}
