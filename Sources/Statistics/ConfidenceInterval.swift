/// A two-sided confidence interval `estimate ± halfWidth` at a stated confidence level.
///
/// Built by ``Swift/Array/meanConfidenceInterval(level:)`` for the mean of a sample, e.g. to report
/// a metric over several seeds as `mean ± half-width (95 %)`.
///
/// Invariants: `halfWidth >= 0`; `0 < level < 1`; `lowerBound <= estimate <= upperBound`.
public struct ConfidenceInterval: Sendable, Hashable, CustomStringConvertible {
    /// The point estimate at the centre of the interval (the sample mean `x̄`).
    public let estimate: Double
    /// Half the width of the interval: the distance from ``estimate`` to either bound.
    public let halfWidth: Double
    /// The confidence level, e.g. `0.95`.
    public let level: Double

    /// Creates an interval from its centre, half-width and level (no checks are made).
    ///
    /// - Parameters:
    ///   - estimate: the centre.
    ///   - halfWidth: the distance from the centre to either bound.
    ///   - level: the confidence level in `(0, 1)`.
    public init(estimate: Double, halfWidth: Double, level: Double) {
        self.estimate = estimate
        self.halfWidth = halfWidth
        self.level = level
    }

    /// `estimate − halfWidth`.
    public var lowerBound: Double { estimate - halfWidth }

    /// `estimate + halfWidth`.
    public var upperBound: Double { estimate + halfWidth }

    /// Whether `value` lies in the closed interval `[lowerBound, upperBound]`.
    public func contains(_ value: Double) -> Bool {
        lowerBound <= value && value <= upperBound
    }

    /// `"estimate ± halfWidth (level %)"`, e.g. `"5.0 ± 1.79 (95.0 %)"`.
    public var description: String {
        "\(estimate) ± \(halfWidth) (\(level * 100) %)"
    }
}
