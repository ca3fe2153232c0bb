/// Why a linear combination of `[Double]` vectors was refused.
///
/// Thrown by the `[Double]` conformance to ``VectorSpace`` and by the
/// ``VectorSpace/linearCombination(_:stepSize:coefficients:terms:)`` helper.
public enum VectorSpaceError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `terms[termIndex]` has `termCount` elements where `base` has `baseCount`.
    case countMismatch(termIndex: Int, baseCount: Int, termCount: Int)
    /// `weights.count` (or `coefficients.count`) differs from `terms.count`.
    case weightCountMismatch(weightCount: Int, termCount: Int)

    /// A one-line message naming the offending value(s).
    public var description: String {
        switch self {
        case let .countMismatch(termIndex, baseCount, termCount):
            return "linearCombination: terms[\(termIndex)] has \(termCount) elements, base has \(baseCount)"
        case let .weightCountMismatch(weightCount, termCount):
            return "linearCombination: \(weightCount) weights for \(termCount) terms"
        }
    }
}
