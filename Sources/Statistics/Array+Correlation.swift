internal import CGSL

/// The linear association of two paired samples, computed by GSL.
extension Array where Element == Double {
    /// Pearson's correlation coefficient between this sample and another of the same length.
    /// ```
    /// r = Σ_i (x_i − x̄)(y_i − ȳ) / √( Σ_i (x_i − x̄)² · Σ_i (y_i − ȳ)² )
    /// ```
    ///
    /// - Parameter other: the paired sample `y` (GSL's `data2`; the receiver is `data1`).
    /// - Returns: `r` in `[−1, 1]`.
    /// - Throws:
    ///   - ``StatisticsError/countMismatch(function:firstCount:secondCount:)`` if the lengths differ;
    ///   - ``StatisticsError/tooFewValues(function:given:needed:)`` if there are fewer than 2 pairs;
    ///   - ``StatisticsError/nonFiniteValue(function:argument:index:value:)`` for the first NaN or
    ///     infinite value of `data1`, then of `data2`;
    ///   - ``StatisticsError/zeroVariance(function:argument:)`` if either sample is constant;
    ///   - ``StatisticsError/nonFiniteResult(function:quantity:value:)`` if the sum of squares of
    ///     either finite sample overflows (GSL would return 0 or NaN instead of `r`).
    ///
    /// Reference: `gsl_stats_correlation`.
    public func correlation(with other: [Double]) throws(StatisticsError) -> Double {
        let function = "gsl_stats_correlation"
        guard count == other.count else {
            throw .countMismatch(function: function, firstCount: count, secondCount: other.count)
        }
        try validate(for: function, argument: "data1", needed: 2)
        try other.validate(for: function, argument: "data2", needed: 2)
        guard !isConstant else { throw .zeroVariance(function: function, argument: "data1") }
        guard !other.isConstant else { throw .zeroVariance(function: function, argument: "data2") }
        // GSL divides by √(S_xx S_yy): when a sum of squares overflows, r silently comes out 0 or NaN.
        _ = try Self.finiteResult(gsl_stats_variance(self, 1, count), of: function, quantity: "variance of data1")
        _ = try Self.finiteResult(gsl_stats_variance(other, 1, count), of: function, quantity: "variance of data2")
        return try Self.finiteResult(gsl_stats_correlation(self, 1, other, 1, count),
                                     of: function, quantity: "correlation")
    }
}
