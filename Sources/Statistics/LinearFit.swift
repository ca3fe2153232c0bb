internal import CGSL

/// The ordinary least-squares straight line `y ≈ c0 + c1 x` through paired data, with the standard
/// errors of its coefficients.
///
/// With `n` points, `x̄`, `ȳ` the means, `S_xx = Σ (x_i − x̄)²` and `S_xy = Σ (x_i − x̄)(y_i − ȳ)`:
/// ```
/// slope     c1 = S_xy / S_xx,            intercept c0 = ȳ − c1 x̄
/// SSR          = Σ (y_i − c0 − c1 x_i)²,  s² = SSR / (n − 2)
/// se(c1)       = s / √S_xx,               se(c0) = s · √(1/n + x̄² / S_xx)
/// cov(c0, c1)  = −x̄ s² / S_xx
/// ```
/// The standard errors assume independent errors of equal variance (homoscedastic), estimated from
/// the residuals. They need `n >= 3`: with two points the line is exact and `s²` is undefined, so the
/// fit still has a slope and an intercept but its standard errors and covariance are `nil`.
///
/// Use: the measured order of convergence of an integrator is the slope of `log(error)` against
/// `log(h)`.
///
/// Invariants: `count >= 2`; the standard errors are `nil` exactly when `count == 2`.
///
/// Reference: `gsl_fit_linear` (GSL manual §40.2, "Linear regression"); Draper & Smith, *Applied
/// Regression Analysis*, 3rd ed. (1998), §1.4.
public struct LinearFit: Sendable, Hashable {
    /// The intercept `c0`: the fitted value at `x = 0`.
    public let intercept: Double
    /// The slope `c1`.
    public let slope: Double
    /// The standard error of the intercept, `√cov00`; `nil` when `count == 2`.
    public let interceptStandardError: Double?
    /// The standard error of the slope, `√cov11`; `nil` when `count == 2`.
    public let slopeStandardError: Double?
    /// The covariance `cov01` of the intercept and slope estimates; `nil` when `count == 2`.
    public let interceptSlopeCovariance: Double?
    /// The sum of squared residuals `SSR = Σ (y_i − c0 − c1 x_i)²` (GSL's `sumsq`).
    public let sumOfSquaredResiduals: Double
    /// The number of points `n`.
    public let count: Int

    /// Fits a straight line to the points `(x_i, y_i)` by least squares.
    ///
    /// - Parameters:
    ///   - x: the abscissae; not all equal.
    ///   - y: the observed values, one per abscissa.
    /// - Throws:
    ///   - ``StatisticsError/countMismatch(function:firstCount:secondCount:)`` if the lengths differ;
    ///   - ``StatisticsError/tooFewValues(function:given:needed:)`` if there are fewer than 2 points;
    ///   - ``StatisticsError/nonFiniteValue(function:argument:index:value:)`` for the first NaN or
    ///     infinite value of `x`, then of `y`;
    ///   - ``StatisticsError/zeroVariance(function:argument:)`` (argument `"x"`) if all `x_i` are
    ///     equal, so the slope is undefined;
    ///   - ``StatisticsError/nonFiniteResult(function:quantity:value:)`` naming the quantity
    ///     (`"intercept"`, `"slope"`, `"sum of squared residuals"`, a covariance) when finite data
    ///     overflow inside the fit (e.g. `x` near `1e200`, where `S_xx` is infinite and GSL
    ///     returns NaN);
    ///   - ``StatisticsError/gsl(function:status:message:)`` if `gsl_fit_linear` fails.
    ///
    /// Reference: `gsl_fit_linear`.
    public init(x: [Double], y: [Double]) throws(StatisticsError) {
        let function = "gsl_fit_linear"
        guard x.count == y.count else {
            throw .countMismatch(function: function, firstCount: x.count, secondCount: y.count)
        }
        try x.validate(for: function, argument: "x", needed: 2)
        try y.validate(for: function, argument: "y", needed: 2)
        guard !x.isConstant else { throw .zeroVariance(function: function, argument: "x") }

        var c0 = 0.0, c1 = 0.0, cov00 = 0.0, cov01 = 0.0, cov11 = 0.0, sumsq = 0.0
        let status = gsl_fit_linear(x, 1, y, 1, x.count, &c0, &c1, &cov00, &cov01, &cov11, &sumsq)
        guard status == Int32(GSL_SUCCESS) else {
            throw .gsl(function: function, status: status, message: String(cString: gsl_strerror(status)))
        }
        // With n = 2, GSL divides SSR by n − 2 = 0 and reports success with NaN covariances.
        let hasErrorEstimate = x.count >= 3
        var results = [("intercept", c0), ("slope", c1), ("sum of squared residuals", sumsq)]
        if hasErrorEstimate { results += [("cov00", cov00), ("cov01", cov01), ("cov11", cov11)] }
        for (quantity, value) in results {
            _ = try [Double].finiteResult(value, of: function, quantity: quantity)
        }
        intercept = c0
        slope = c1
        sumOfSquaredResiduals = sumsq
        count = x.count
        interceptStandardError = hasErrorEstimate ? cov00.squareRoot() : nil
        slopeStandardError = hasErrorEstimate ? cov11.squareRoot() : nil
        interceptSlopeCovariance = hasErrorEstimate ? cov01 : nil
    }

    /// The residual degrees of freedom `n − 2`.
    public var degreesOfFreedom: Int { count - 2 }

    /// The fitted line at `x`: `c0 + c1 x`.
    ///
    /// - Parameter x: any abscissa (extrapolation is allowed).
    /// - Returns: `intercept + slope · x`.
    public func value(at x: Double) -> Double {
        intercept + slope * x
    }
}
