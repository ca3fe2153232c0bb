/// What an interpolant answers at a query point outside its data range `[x_0, x_{N−1}]`.
///
/// Cell-centred prolongation needs this: the first and last fine step times lie outside the coarse
/// step times (../shared/DESIGN.md §4), and GSL itself refuses every such point.
///
/// With `s` the interpolant, `x_0` and `x_{N−1}` the end abscissae, and `e` the end nearer to `x`:
/// ```
/// error:        throw InterpolationError.outOfRange
/// holdEndValue: s(x) = s(e) = y_e
/// linear:       s(x) = s(e) + s'(e) · (x − e)        (the tangent at the nearer end)
/// ```
/// `linear` continues the interpolant with its own end slope, so the extension is C¹ (and C² for
/// ``InterpolationMethod/cubicSpline``, whose end second derivative is zero). For
/// ``InterpolationMethod/linear`` the end slope is that of the end segment, so the extension is the
/// straight line through the two end samples. Both rules are linear in `y`, so an
/// ``InterpolationMatrix`` can use them.
public enum Extrapolation: String, CaseIterable, Sendable, Hashable {
    /// Refuse the query: throw ``InterpolationError/outOfRange(x:range:)``.
    case error
    /// Return the sampled value at the nearer end (constant extension).
    case holdEndValue
    /// Continue along the tangent of the interpolant at the nearer end.
    case linear
}
