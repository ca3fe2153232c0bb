internal import CGSL

/// A one-dimensional interpolation scheme of GSL, used to build an ``Interpolator``.
///
/// Every case maps to one `gsl_interp_type`. The schemes differ in smoothness, in how many samples
/// they need (``minimumPointCount``) and in whether the interpolant depends linearly on the sampled
/// values `y` (``isLinearInSamples``), which decides whether an ``InterpolationMatrix`` exists.
///
/// | case                  | GSL type                      | continuity | points | linear in `y` |
/// |-----------------------|-------------------------------|------------|--------|---------------|
/// | `linear`              | `gsl_interp_linear`           | C⁰         | 2      | yes           |
/// | `polynomial`          | `gsl_interp_polynomial`       | C^∞        | 3      | yes           |
/// | `cubicSpline`         | `gsl_interp_cspline`          | C²         | 3      | yes           |
/// | `periodicCubicSpline` | `gsl_interp_cspline_periodic` | C²         | 3      | yes           |
/// | `akima`               | `gsl_interp_akima`            | C¹         | 5      | no            |
/// | `periodicAkima`       | `gsl_interp_akima_periodic`   | C¹         | 5      | no            |
/// | `steffen`             | `gsl_interp_steffen`          | C¹         | 3      | no            |
///
/// Reference: GSL manual §29.3 "1D Interpolation Types"; M. Steffen, "A simple method for monotonic
/// interpolation in one dimension", Astron. Astrophys. 239 (1990) 443–450; H. Akima, "A new method of
/// interpolation and smooth curve fitting based on local procedures", J. ACM 17 (1970) 589–602.
public enum InterpolationMethod: String, CaseIterable, Sendable, Hashable {
    /// Piecewise linear interpolation between neighbouring samples (`gsl_interp_linear`).
    case linear
    /// The single polynomial of degree `N − 1` through all `N` samples, in Newton's divided-difference
    /// form (`gsl_interp_polynomial`).
    ///
    /// Ill-conditioned for many points (Runge's phenomenon): use it only for a handful of samples.
    case polynomial
    /// Cubic spline with natural boundary conditions, `s''(x_0) = s''(x_{N−1}) = 0`
    /// (`gsl_interp_cspline`).
    case cubicSpline
    /// Cubic spline with periodic boundary conditions: first and second derivatives match at
    /// `x_0` and `x_{N−1}` (`gsl_interp_cspline_periodic`).
    ///
    /// Requires `y_0 = y_{N−1}` (see ``Interpolator/periodicityTolerance``).
    case periodicCubicSpline
    /// Akima's non-rounded corner spline, which avoids the overshoot of cubic splines near outliers
    /// (`gsl_interp_akima`).
    case akima
    /// Akima spline with periodic boundary conditions (`gsl_interp_akima_periodic`).
    ///
    /// Requires `y_0 = y_{N−1}` (see ``Interpolator/periodicityTolerance``).
    case periodicAkima
    /// Steffen's method: piecewise cubic, monotone between samples, so it never overshoots the data
    /// (`gsl_interp_steffen`).
    case steffen

    /// The fewest samples the scheme accepts.
    ///
    /// GSL's own minimum, except for ``periodicCubicSpline``: GSL 2.7 declares 2 points, but
    /// `gsl_spline_init` then fails with `GSL_EBADLEN` (its cyclic tridiagonal solver needs 3
    /// unknowns), so 3 are required here.
    ///
    /// Reference: `gsl_interp_type_min_size`.
    public var minimumPointCount: Int {
        let gslMinimum = Int(gsl_interp_type_min_size(gslType))
        return self == .periodicCubicSpline ? max(gslMinimum, 3) : gslMinimum
    }

    /// Whether the scheme needs `y_0 = y_{N−1}` and imposes periodic boundary conditions.
    public var isPeriodic: Bool {
        switch self {
        case .periodicCubicSpline, .periodicAkima: true
        case .linear, .polynomial, .cubicSpline, .akima, .steffen: false
        }
    }

    /// Whether the interpolant is a linear function of the sampled values `y` for fixed abscissae.
    ///
    /// True for `linear`, `polynomial` and the cubic splines, whose coefficients solve a linear
    /// system in `y`. False for Akima and Steffen, whose slope weights and limiters depend on `y`
    /// itself; those schemes have no ``InterpolationMatrix``.
    public var isLinearInSamples: Bool {
        switch self {
        case .linear, .polynomial, .cubicSpline, .periodicCubicSpline: true
        case .akima, .periodicAkima, .steffen: false
        }
    }

    /// The GSL interpolation type (read through the shim's accessors: Swift 6 rejects GSL's
    /// mutable globals).
    var gslType: UnsafePointer<gsl_interp_type> {
        switch self {
        case .linear: mlr_gsl_interp_linear()
        case .polynomial: mlr_gsl_interp_polynomial()
        case .cubicSpline: mlr_gsl_interp_cspline()
        case .periodicCubicSpline: mlr_gsl_interp_cspline_periodic()
        case .akima: mlr_gsl_interp_akima()
        case .periodicAkima: mlr_gsl_interp_akima_periodic()
        case .steffen: mlr_gsl_interp_steffen()
        }
    }
}
