/// An exact rational `numerator / denominator` used to write tableau coefficients as the papers
/// print them (`19372/6561`), converted to `Double` once, by one correctly rounded division.
///
/// Integer literals become ratios, and `/` between two ratios builds the quotient exactly, so a
/// tableau reads `b: [1/6, 1/3, 1/3, 1/6]` in a `[ExactRatio]` context with no floating-point
/// arithmetic before the final conversion.
///
/// Invariants: `denominator > 0`; the fraction is kept in lowest terms.
struct ExactRatio: ExpressibleByIntegerLiteral, Equatable, Sendable {
    let numerator: Int
    let denominator: Int

    init(integerLiteral value: Int) {
        numerator = value
        denominator = 1
    }

    init(_ numerator: Int, _ denominator: Int) {
        let sign = denominator < 0 ? -1 : 1
        let divisor = Swift.max(ExactRatio.gcd(numerator, denominator), 1)
        self.numerator = sign * numerator / divisor
        self.denominator = sign * denominator / divisor
    }

    /// The nearest `Double` (both parts of every catalogue ratio are exactly representable).
    var value: Double { Double(numerator) / Double(denominator) }

    static func / (lhs: ExactRatio, rhs: ExactRatio) -> ExactRatio {
        ExactRatio(lhs.numerator * rhs.denominator, lhs.denominator * rhs.numerator)
    }

    private static func gcd(_ x: Int, _ y: Int) -> Int {
        var (p, q) = (Swift.abs(x), Swift.abs(y))
        while q != 0 { (p, q) = (q, p % q) }
        return p
    }
}

extension Array where Element == ExactRatio {
    /// The coefficients as `Double`s.
    var values: [Double] { map(\.value) }
}

extension Array where Element == [ExactRatio] {
    /// The matrix as `Double`s.
    var values: [[Double]] { map(\.values) }
}
