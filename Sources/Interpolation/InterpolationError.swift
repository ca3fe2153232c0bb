/// A failure to build or evaluate an interpolant, raised before or by GSL.
///
/// The wrappers validate their input themselves rather than relying on GSL, which accepts some bad
/// input silently (non-periodic data for a periodic method, non-finite values) and answers a query
/// even one ulp outside the data range with `GSL_EDOM` and NaN.
public enum InterpolationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The method needs more samples than were given.
    ///
    /// - `given`: the number of samples; `needed`: ``InterpolationMethod/minimumPointCount``.
    case tooFewPoints(method: InterpolationMethod, given: Int, needed: Int)
    /// The abscissae `x` and the values `y` (or the samples given to an ``InterpolationMatrix`` and
    /// its column count) differ in length.
    case countMismatch(xCount: Int, yCount: Int)
    /// The abscissa `x[index]` is NaN or infinite.
    case nonFiniteAbscissa(index: Int, value: Double)
    /// The sampled value `y[index]` is NaN or infinite.
    case nonFiniteValue(index: Int, value: Double)
    /// The abscissae are not strictly increasing: `x[index] <= x[index − 1]`.
    case abscissaeNotIncreasing(index: Int, previous: Double, value: Double)
    /// The abscissae are finite but their range `x_{N−1} − x_0` overflows to infinity (e.g.
    /// `[−1e308, 1e308]`), so the differences the schemes divide by are not representable.
    case abscissaRangeOverflow(first: Double, last: Double)
    /// A periodic method was given `y_0 ≠ y_{N−1}` (beyond ``Interpolator/periodicityTolerance``).
    case notPeriodic(first: Double, last: Double)
    /// A query point lies outside the data range `[x_0, x_{N−1}]` and no extrapolation was requested.
    case outOfRange(x: Double, range: ClosedRange<Double>)
    /// A query point is NaN or infinite.
    case nonFiniteQuery(x: Double)
    /// An ``InterpolationMatrix`` was requested for a method that is not linear in the samples
    /// (see ``InterpolationMethod/isLinearInSamples``).
    case nonlinearMethod(InterpolationMethod)
    /// A GSL allocation returned `NULL`.
    case allocationFailed(function: String)
    /// A GSL function returned a nonzero status.
    ///
    /// - `function`: the GSL function; `status`: its `GSL_E*` code; `message`: `gsl_strerror(status)`.
    case gsl(function: String, status: Int32, message: String)

    /// A one-line explanation naming the offending values.
    public var description: String {
        switch self {
        case let .tooFewPoints(method, given, needed):
            "\(method) interpolation needs at least \(needed) points, \(given) given"
        case let .countMismatch(xCount, yCount):
            "x has \(xCount) entries but y has \(yCount)"
        case let .nonFiniteAbscissa(index, value):
            "x[\(index)] = \(value) is not finite"
        case let .nonFiniteValue(index, value):
            "y[\(index)] = \(value) is not finite"
        case let .abscissaeNotIncreasing(index, previous, value):
            "x must be strictly increasing, but x[\(index)] = \(value) <= x[\(index - 1)] = \(previous)"
        case let .abscissaRangeOverflow(first, last):
            "the abscissa range x[last] − x[first] = \(last) − \(first) overflows Double; rescale x"
        case let .notPeriodic(first, last):
            "periodic interpolation needs y[first] == y[last], got \(first) and \(last)"
        case let .outOfRange(x, range):
            "x = \(x) lies outside the data range [\(range.lowerBound), \(range.upperBound)]"
        case let .nonFiniteQuery(x):
            "query point x = \(x) is not finite"
        case let .nonlinearMethod(method):
            "\(method) interpolation is not linear in the samples and has no interpolation matrix"
        case let .allocationFailed(function):
            "\(function) failed to allocate"
        case let .gsl(function, status, message):
            "\(function) failed with GSL status \(status): \(message)"
        }
    }
}
