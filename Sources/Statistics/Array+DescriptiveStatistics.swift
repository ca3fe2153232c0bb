internal import CGSL

/// Summary statistics of a sample `x_0 … x_{n−1}`, computed by GSL.
///
/// Every method checks the sample itself (count, finiteness) and throws a ``StatisticsError``
/// instead of returning GSL's NaN.
extension Array where Element == Double {
    /// The sample mean.
    /// ```
    /// x̄ = (1/n) Σ_i x_i
    /// ```
    ///
    /// - Returns: `x̄`.
    /// - Throws:
    ///   - ``StatisticsError/tooFewValues(function:given:needed:)`` if the array is empty;
    ///   - ``StatisticsError/nonFiniteValue(function:argument:index:value:)`` for the first NaN or
    ///     infinite value;
    ///   - ``StatisticsError/nonFiniteResult(function:quantity:value:)`` if the result of finite
    ///     values overflows (e.g. the spread of `[1e308, −1e308]`).
    ///
    /// Reference: `gsl_stats_mean`.
    public func mean() throws(StatisticsError) -> Double {
        try validate(for: "gsl_stats_mean", needed: 1)
        return try Self.finiteResult(gsl_stats_mean(self, 1, count), of: "gsl_stats_mean", quantity: "mean")
    }

    /// The unbiased sample variance, with Bessel's correction (divisor `n − 1`).
    /// ```
    /// s² = (1/(n−1)) Σ_i (x_i − x̄)²
    /// ```
    ///
    /// - Returns: `s²`.
    /// - Throws:
    ///   - ``StatisticsError/tooFewValues(function:given:needed:)`` if there are fewer than 2 values;
    ///   - ``StatisticsError/nonFiniteValue(function:argument:index:value:)`` for the first NaN or
    ///     infinite value;
    ///   - ``StatisticsError/nonFiniteResult(function:quantity:value:)`` if the result of finite
    ///     values overflows (e.g. the spread of `[1e308, −1e308]`).
    ///
    /// Reference: `gsl_stats_variance`.
    public func variance() throws(StatisticsError) -> Double {
        try validate(for: "gsl_stats_variance", needed: 2)
        return try Self.finiteResult(gsl_stats_variance(self, 1, count), of: "gsl_stats_variance", quantity: "variance")
    }

    /// The sample standard deviation `s = √s²` (divisor `n − 1`, see ``variance()``).
    ///
    /// - Returns: `s`.
    /// - Throws:
    ///   - ``StatisticsError/tooFewValues(function:given:needed:)`` if there are fewer than 2 values
    ///     (GSL would return NaN for one value);
    ///   - ``StatisticsError/nonFiniteValue(function:argument:index:value:)`` for the first NaN or
    ///     infinite value;
    ///   - ``StatisticsError/nonFiniteResult(function:quantity:value:)`` if the result of finite
    ///     values overflows (e.g. the spread of `[1e308, −1e308]`).
    ///
    /// Reference: `gsl_stats_sd`.
    public func standardDeviation() throws(StatisticsError) -> Double {
        try validate(for: "gsl_stats_sd", needed: 2)
        return try Self.finiteResult(gsl_stats_sd(self, 1, count), of: "gsl_stats_sd", quantity: "standard deviation")
    }

    /// The smallest value.
    ///
    /// - Returns: `min_i x_i`.
    /// - Throws:
    ///   - ``StatisticsError/tooFewValues(function:given:needed:)`` if the array is empty;
    ///   - ``StatisticsError/nonFiniteValue(function:argument:index:value:)`` for the first NaN or
    ///     infinite value.
    ///
    /// Reference: `gsl_stats_min`.
    public func minimum() throws(StatisticsError) -> Double {
        try validate(for: "gsl_stats_min", needed: 1)
        return gsl_stats_min(self, 1, count)
    }

    /// The largest value.
    ///
    /// - Returns: `max_i x_i`.
    /// - Throws:
    ///   - ``StatisticsError/tooFewValues(function:given:needed:)`` if the array is empty;
    ///   - ``StatisticsError/nonFiniteValue(function:argument:index:value:)`` for the first NaN or
    ///     infinite value.
    ///
    /// Reference: `gsl_stats_max`.
    public func maximum() throws(StatisticsError) -> Double {
        try validate(for: "gsl_stats_max", needed: 1)
        return gsl_stats_max(self, 1, count)
    }

    /// The median: the middle value of the sorted sample, or the mean of the two middle values when
    /// `n` is even. Equals `quantile(0.5)`.
    ///
    /// - Returns: the median; the array itself is not reordered (a sorted copy is used).
    /// - Throws:
    ///   - ``StatisticsError/tooFewValues(function:given:needed:)`` if the array is empty;
    ///   - ``StatisticsError/nonFiniteValue(function:argument:index:value:)`` for the first NaN or
    ///     infinite value;
    ///   - ``StatisticsError/nonFiniteResult(function:quantity:value:)`` if the result of finite
    ///     values overflows (e.g. the spread of `[1e308, −1e308]`).
    ///
    /// Reference: `gsl_stats_median_from_sorted_data`.
    public func median() throws(StatisticsError) -> Double {
        try validate(for: "gsl_stats_median_from_sorted_data", needed: 1)
        return try Self.finiteResult(gsl_stats_median_from_sorted_data(sorted(), 1, count),
                                     of: "gsl_stats_median_from_sorted_data", quantity: "median")
    }

    /// The `p`-quantile by linear interpolation between order statistics (GSL's convention).
    ///
    /// With the sorted sample `x_(0) <= … <= x_(n−1)`:
    /// ```
    /// h = p (n − 1),   k = ⌊h⌋,   Q(p) = x_(k) + (h − k) (x_(k+1) − x_(k))
    /// ```
    /// so `Q(0)` is the minimum, `Q(1)` the maximum and `Q(0.5)` the median. This is type 7 of
    /// Hyndman & Fan (1996), the default of R's `quantile` and NumPy's `"linear"` method.
    ///
    /// - Parameter p: the probability, in `[0, 1]`.
    /// - Returns: `Q(p)`; the array itself is not reordered (a sorted copy is used).
    /// - Throws:
    ///   - ``StatisticsError/probabilityOutOfRange(function:value:)`` if `p` is outside `[0, 1]` or NaN;
    ///   - ``StatisticsError/tooFewValues(function:given:needed:)`` if the array is empty;
    ///   - ``StatisticsError/nonFiniteValue(function:argument:index:value:)`` for the first NaN or
    ///     infinite value;
    ///   - ``StatisticsError/nonFiniteResult(function:quantity:value:)`` if the result of finite
    ///     values overflows (e.g. the spread of `[1e308, −1e308]`).
    ///
    /// Reference: `gsl_stats_quantile_from_sorted_data`; R. J. Hyndman, Y. Fan, "Sample quantiles in
    /// statistical packages", The American Statistician 50 (1996) 361–365.
    public func quantile(_ p: Double) throws(StatisticsError) -> Double {
        let function = "gsl_stats_quantile_from_sorted_data"
        guard p >= 0, p <= 1 else { throw .probabilityOutOfRange(function: function, value: p) }
        try validate(for: function, needed: 1)
        return try Self.finiteResult(gsl_stats_quantile_from_sorted_data(sorted(), 1, count, p),
                                     of: function, quantity: "quantile")
    }
}
