internal import CGSL

extension Array where Element == Double {
    /// The two-sided Student-t confidence interval for the mean of the population the sample was
    /// drawn from, assuming independent, normally distributed values.
    /// ```
    /// x̄ ± t_{(1+level)/2, n−1} · s / √n
    /// ```
    /// with `x̄` the sample mean, `s` the sample standard deviation (divisor `n − 1`) and
    /// `t_{q, ν}` the `q`-quantile of Student's t distribution with `ν` degrees of freedom.
    ///
    /// - Parameter level: the confidence level, in the open interval `(0, 1)`; e.g. `0.95`.
    /// - Returns: the interval; zero width when all values are equal.
    /// - Throws:
    ///   - ``StatisticsError/probabilityOutOfRange(function:value:)`` if `level` is outside `(0, 1)`
    ///     or NaN;
    ///   - ``StatisticsError/tooFewValues(function:given:needed:)`` if there are fewer than 2 values
    ///     (no degrees of freedom are left to estimate the spread);
    ///   - ``StatisticsError/nonFiniteValue(function:argument:index:value:)`` for the first NaN or
    ///     infinite value;
    ///   - ``StatisticsError/nonFiniteResult(function:quantity:value:)`` if the mean, standard
    ///     deviation or half-width of finite values overflows.
    ///
    /// Reference: `gsl_stats_mean`, `gsl_stats_sd`, `gsl_cdf_tdist_Pinv`; any statistics text, e.g.
    /// Wasserman, *All of Statistics* (2004), §6.3 and Exercise 10.
    public func meanConfidenceInterval(level: Double = 0.95) throws(StatisticsError) -> ConfidenceInterval {
        let function = "gsl_cdf_tdist_Pinv"
        guard level > 0, level < 1 else { throw .probabilityOutOfRange(function: function, value: level) }
        try validate(for: function, needed: 2)
        let n = Double(count)
        let mean = try Self.finiteResult(gsl_stats_mean(self, 1, count), of: "gsl_stats_mean", quantity: "mean")
        let standardDeviation = try Self.finiteResult(gsl_stats_sd(self, 1, count), of: "gsl_stats_sd",
                                                      quantity: "standard deviation")
        let t = gsl_cdf_tdist_Pinv((1 + level) / 2, n - 1)
        guard t.isFinite else {
            throw .gsl(function: function, status: Int32(GSL_EDOM), message: String(cString: gsl_strerror(Int32(GSL_EDOM))))
        }
        let halfWidth = try Self.finiteResult(t * standardDeviation / n.squareRoot(), of: function,
                                              quantity: "half-width")
        return ConfidenceInterval(estimate: mean, halfWidth: halfWidth, level: level)
    }
}
