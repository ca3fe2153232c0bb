/// A failure of a statistic or fit, detected before or by GSL.
///
/// GSL's statistics functions return NaN rather than an error for too few values (the standard
/// deviation of one value, the slope of one point, the standard errors of a line through two
/// points; ../shared/DESIGN.md §7), so the wrappers check their input themselves.
///
/// Every case names the GSL `function` whose precondition failed. Where a function takes two data
/// sets, `argument` names the one at fault with GSL's parameter name: `"data"` for a single array,
/// `"data1"`/`"data2"` for `gsl_stats_correlation` (the receiver and the argument of
/// `correlation(with:)`), `"x"`/`"y"` for `gsl_fit_linear`.
public enum StatisticsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Fewer values were given than the statistic needs.
    ///
    /// - `given`: the number of values; `needed`: the minimum (1 for a mean, 2 for a sample
    ///   variance or a line, …).
    case tooFewValues(function: String, given: Int, needed: Int)
    /// Two data sets that must be paired have different lengths.
    case countMismatch(function: String, firstCount: Int, secondCount: Int)
    /// `argument[index]` is NaN or infinite.
    case nonFiniteValue(function: String, argument: String, index: Int, value: Double)
    /// All values of `argument` are equal, so a quantity that divides by its spread is undefined
    /// (a correlation, or the slope of a line fit when `x` is constant).
    case zeroVariance(function: String, argument: String)
    /// A probability parameter is outside its domain: a quantile's `p` outside `[0, 1]`, or a
    /// confidence level outside the open interval `(0, 1)`.
    case probabilityOutOfRange(function: String, value: Double)
    /// The inputs were finite but the result overflowed: `quantity` (e.g. `"variance"`, `"slope"`)
    /// came out as `value`, NaN or infinite (e.g. the variance of `[1e308, −1e308]`, or a line fit
    /// through abscissae near `1e200` whose `S_xx` overflows). Rescale the data.
    case nonFiniteResult(function: String, quantity: String, value: Double)
    /// A GSL function returned a nonzero status.
    ///
    /// - `status`: its `GSL_E*` code; `message`: `gsl_strerror(status)`.
    case gsl(function: String, status: Int32, message: String)

    /// A one-line explanation naming the offending values.
    public var description: String {
        switch self {
        case let .tooFewValues(function, given, needed):
            "\(function) needs at least \(needed) values, \(given) given"
        case let .countMismatch(function, firstCount, secondCount):
            "\(function) needs paired data of equal length, got \(firstCount) and \(secondCount)"
        case let .nonFiniteValue(function, argument, index, value):
            "\(function): \(argument)[\(index)] = \(value) is not finite"
        case let .zeroVariance(function, argument):
            "\(function): all values of \(argument) are equal (zero variance)"
        case let .probabilityOutOfRange(function, value):
            "\(function): probability \(value) is outside its allowed range"
        case let .nonFiniteResult(function, quantity, value):
            "\(function): the \(quantity) of finite inputs overflowed to \(value); rescale the data"
        case let .gsl(function, status, message):
            "\(function) failed with GSL status \(status): \(message)"
        }
    }
}
