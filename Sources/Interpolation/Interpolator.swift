internal import CGSL
import Synchronization

/// An interpolant through sampled data `(x_i, y_i)`, `i = 0 … N−1`, built by GSL's `gsl_spline`.
///
/// The interpolant `s` satisfies `s(x_i) = y_i` and is evaluated, differentiated and integrated on
/// the data range `[x_0, x_{N−1}]`:
/// ```
/// value(at: t)            = s(t)
/// derivative(at: t)       = s'(t)
/// secondDerivative(at: t) = s''(t)
/// integral(from: a, to: b) = ∫_a^b s(t) dt
/// ```
/// Outside the data range every query throws ``InterpolationError/outOfRange(x:range:)``, except
/// ``value(at:extrapolation:)`` with an ``Extrapolation`` rule other than `.error`.
///
/// ```swift
/// let s = try Interpolator(x: [0, 1, 2, 3], y: [0, 1, 8, 27], method: .cubicSpline)
/// let v = try s.value(at: 1.5)
/// ```
///
/// Invariants: `x` is finite and strictly increasing, `y` is finite, `x.count == y.count >=
/// method.minimumPointCount`, and for periodic methods `y_0 ≈ y_{N−1}`. The instance is immutable
/// once built.
///
/// Thread safety: one instance may be shared between threads. GSL's lookup accelerator
/// (`gsl_interp_accel`) is mutable, and so is the scratch space that `gsl_interp_polynomial` writes
/// while differentiating or integrating, so every GSL call runs under an internal lock.
///
/// Reference: `gsl_spline_alloc`, `gsl_spline_init`, `gsl_spline_eval_e`,
/// `gsl_spline_eval_deriv_e`, `gsl_spline_eval_deriv2_e`, `gsl_spline_eval_integ_e` (GSL manual
/// §29 "Interpolation").
public final class Interpolator: @unchecked Sendable {
    /// The interpolation scheme.
    public let method: InterpolationMethod
    /// The sample abscissae `x_0 < x_1 < … < x_{N−1}`.
    public let x: [Double]
    /// The sampled values `y_i = f(x_i)`.
    public let y: [Double]
    /// The data range `[x_0, x_{N−1}]` on which the interpolant is defined.
    public let domain: ClosedRange<Double>

    /// The largest mismatch between `y_0` and `y_{N−1}` that periodic methods accept, relative to
    /// the scale of the data:
    /// ```
    /// |y_{N−1} − y_0| <= periodicityTolerance · max(1, max_i |y_i|)
    /// ```
    /// GSL itself does not check periodicity: it silently builds an interpolant that jumps at the
    /// boundary. The tolerance admits round-off such as `sin(2π) ≈ −2.4e−16`.
    public static let periodicityTolerance = 1e-12

    // The GSL state, owned by this instance and freed in deinit; guarded by `lock`.
    private let spline: UnsafeMutablePointer<gsl_spline>
    private let accelerator: UnsafeMutablePointer<gsl_interp_accel>
    private let lock = Mutex(())

    /// Builds the interpolant of the samples `(x_i, y_i)` with the given scheme.
    ///
    /// - Parameters:
    ///   - x: the abscissae, finite and strictly increasing.
    ///   - y: the sampled values, finite, one per abscissa; for periodic methods `y.first == y.last`
    ///     up to ``periodicityTolerance``.
    ///   - method: the interpolation scheme.
    /// - Throws:
    ///   - ``InterpolationError/countMismatch(xCount:yCount:)`` if `x.count != y.count`;
    ///   - ``InterpolationError/tooFewPoints(method:given:needed:)`` if there are fewer than
    ///     `method.minimumPointCount` samples;
    ///   - ``InterpolationError/nonFiniteAbscissa(index:value:)`` for the first NaN or infinite `x_i`;
    ///   - ``InterpolationError/abscissaeNotIncreasing(index:previous:value:)`` for the first
    ///     `x_i <= x_{i−1}`;
    ///   - ``InterpolationError/abscissaRangeOverflow(first:last:)`` if `x_{N−1} − x_0` overflows to
    ///     infinity;
    ///   - ``InterpolationError/nonFiniteValue(index:value:)`` for the first NaN or infinite `y_i`;
    ///   - ``InterpolationError/notPeriodic(first:last:)`` for a periodic method with `y_0 ≠ y_{N−1}`;
    ///   - ``InterpolationError/allocationFailed(function:)`` if GSL cannot allocate;
    ///   - ``InterpolationError/gsl(function:status:message:)`` if `gsl_spline_init` fails.
    ///
    /// Reference: `gsl_spline_alloc`, `gsl_spline_init`, `gsl_interp_accel_alloc`.
    public convenience init(x: [Double], y: [Double], method: InterpolationMethod) throws(InterpolationError) {
        try self.init(x: x, y: y, method: method, requiresPeriodicData: true)
    }

    /// Builds the interpolant; `requiresPeriodicData: false` skips the periodicity check, for the
    /// unit vectors that assemble an ``InterpolationMatrix`` column by column (GSL's periodic
    /// schemes are linear in `y` whether or not `y` is periodic).
    init(x: [Double], y: [Double], method: InterpolationMethod,
         requiresPeriodicData: Bool) throws(InterpolationError) {
        _ = gslErrorHandlerOff
        guard x.count == y.count else { throw .countMismatch(xCount: x.count, yCount: y.count) }
        let needed = method.minimumPointCount
        guard x.count >= needed else { throw .tooFewPoints(method: method, given: x.count, needed: needed) }
        try Self.validateAbscissae(x)
        for (i, yi) in y.enumerated() where !yi.isFinite {
            throw .nonFiniteValue(index: i, value: yi)
        }
        let first = y[0], last = y[y.count - 1]
        if requiresPeriodicData, method.isPeriodic {
            let scale = y.reduce(1.0) { max($0, abs($1)) }
            guard abs(last - first) <= Self.periodicityTolerance * scale else {
                throw .notPeriodic(first: first, last: last)
            }
        }

        guard let accelerator = gsl_interp_accel_alloc() else {
            throw .allocationFailed(function: "gsl_interp_accel_alloc")
        }
        guard let spline = gsl_spline_alloc(method.gslType, x.count) else {
            gsl_interp_accel_free(accelerator)
            throw .allocationFailed(function: "gsl_spline_alloc")
        }
        let status = gsl_spline_init(spline, x, y, x.count)
        guard status == Int32(GSL_SUCCESS) else {
            gsl_spline_free(spline)
            gsl_interp_accel_free(accelerator)
            throw .gsl(function: "gsl_spline_init", status: status, message: String(cString: gsl_strerror(status)))
        }
        self.method = method
        self.x = x
        self.y = y
        self.domain = x[0]...x[x.count - 1]
        self.spline = spline
        self.accelerator = accelerator
    }

    deinit {
        gsl_spline_free(spline)
        gsl_interp_accel_free(accelerator)
    }

    /// The interpolant `s(t)` at one point, with a rule for points outside the data range.
    ///
    /// - Parameters:
    ///   - t: the query point.
    ///   - extrapolation: what to answer outside `[x_0, x_{N−1}]` (see ``Extrapolation``).
    /// - Returns: `s(t)` inside the data range, otherwise the value the `extrapolation` rule gives.
    /// - Throws:
    ///   - ``InterpolationError/nonFiniteQuery(x:)`` if `t` is NaN or infinite;
    ///   - ``InterpolationError/outOfRange(x:range:)`` if `t` is outside the data range and
    ///     `extrapolation` is `.error`;
    ///   - ``InterpolationError/gsl(function:status:message:)`` if `gsl_spline_eval_e` (or, for
    ///     `.linear`, `gsl_spline_eval_deriv_e`) fails.
    ///
    /// Reference: `gsl_spline_eval_e`.
    public func value(at t: Double, extrapolation: Extrapolation = .error) throws(InterpolationError) -> Double {
        guard t.isFinite else { throw .nonFiniteQuery(x: t) }
        if domain.contains(t) {
            return try evaluate(gsl_spline_eval_e, named: "gsl_spline_eval_e", at: t)
        }
        let isBelow = t < domain.lowerBound
        let end = isBelow ? domain.lowerBound : domain.upperBound
        let endValue = isBelow ? y[0] : y[y.count - 1]
        switch extrapolation {
        case .error:
            throw .outOfRange(x: t, range: domain)
        case .holdEndValue:
            return endValue
        case .linear:
            let slope = try evaluate(gsl_spline_eval_deriv_e, named: "gsl_spline_eval_deriv_e", at: end)
            return endValue + slope * (t - end)
        }
    }

    /// The interpolant at many points: `[s(t_0), s(t_1), …]`.
    ///
    /// - Parameters:
    ///   - points: the query points, in any order.
    ///   - extrapolation: what to answer outside `[x_0, x_{N−1}]` (see ``Extrapolation``).
    /// - Returns: one value per query point, in the same order.
    /// - Throws: the errors of ``value(at:extrapolation:)``, for the first failing point.
    public func values(at points: [Double], extrapolation: Extrapolation = .error) throws(InterpolationError) -> [Double] {
        var result: [Double] = []
        result.reserveCapacity(points.count)
        for t in points {
            result.append(try value(at: t, extrapolation: extrapolation))
        }
        return result
    }

    /// The first derivative `s'(t)` of the interpolant.
    ///
    /// - Parameter t: a point of `[x_0, x_{N−1}]`.
    /// - Returns: `s'(t)`; at a sample where `s'` jumps (``InterpolationMethod/linear``), GSL's
    ///   one-sided value (the slope of the segment to the right, or the last segment at `x_{N−1}`).
    /// - Throws:
    ///   - ``InterpolationError/nonFiniteQuery(x:)`` if `t` is NaN or infinite;
    ///   - ``InterpolationError/outOfRange(x:range:)`` if `t` is outside the data range;
    ///   - ``InterpolationError/gsl(function:status:message:)`` if `gsl_spline_eval_deriv_e` fails.
    ///
    /// Reference: `gsl_spline_eval_deriv_e`.
    public func derivative(at t: Double) throws(InterpolationError) -> Double {
        try checkInDomain(t)
        return try evaluate(gsl_spline_eval_deriv_e, named: "gsl_spline_eval_deriv_e", at: t)
    }

    /// The second derivative `s''(t)` of the interpolant.
    ///
    /// - Parameter t: a point of `[x_0, x_{N−1}]`.
    /// - Returns: `s''(t)` (zero everywhere for ``InterpolationMethod/linear``).
    /// - Throws:
    ///   - ``InterpolationError/nonFiniteQuery(x:)`` if `t` is NaN or infinite;
    ///   - ``InterpolationError/outOfRange(x:range:)`` if `t` is outside the data range;
    ///   - ``InterpolationError/gsl(function:status:message:)`` if `gsl_spline_eval_deriv2_e` fails.
    ///
    /// Reference: `gsl_spline_eval_deriv2_e`.
    public func secondDerivative(at t: Double) throws(InterpolationError) -> Double {
        try checkInDomain(t)
        return try evaluate(gsl_spline_eval_deriv2_e, named: "gsl_spline_eval_deriv2_e", at: t)
    }

    /// The oriented integral of the interpolant between two points:
    /// ```
    /// ∫_a^b s(t) dt,   with ∫_a^b = −∫_b^a when a > b
    /// ```
    ///
    /// - Parameters:
    ///   - a: the lower limit, in `[x_0, x_{N−1}]`.
    ///   - b: the upper limit, in `[x_0, x_{N−1}]`; may be smaller than `a`.
    /// - Returns: the integral; zero when `a == b`.
    /// - Throws:
    ///   - ``InterpolationError/nonFiniteQuery(x:)`` if a limit is NaN or infinite;
    ///   - ``InterpolationError/outOfRange(x:range:)`` if a limit is outside the data range;
    ///   - ``InterpolationError/gsl(function:status:message:)`` if `gsl_spline_eval_integ_e` fails.
    ///
    /// Reference: `gsl_spline_eval_integ_e` (which itself refuses `a > b`).
    public func integral(from a: Double, to b: Double) throws(InterpolationError) -> Double {
        try checkInDomain(a)
        try checkInDomain(b)
        let (lower, upper, sign) = a <= b ? (a, b, 1.0) : (b, a, -1.0)
        let (status, result) = lock.withLock { _ in
            var result = 0.0
            let status = gsl_spline_eval_integ_e(spline, lower, upper, accelerator, &result)
            return (status, result)
        }
        try check(status, function: "gsl_spline_eval_integ_e")
        return sign * result
    }

    // MARK: - GSL calls

    /// Throws for the first non-finite abscissa, the first `x_i <= x_{i−1}`, or a range
    /// `x_{N−1} − x_0` that overflows to infinity (GSL's schemes divide by differences of `x` and
    /// would silently return wrong values, e.g. 0 instead of 0.5 on `[−1e308, 1e308]`).
    static func validateAbscissae(_ x: [Double]) throws(InterpolationError) {
        for (i, xi) in x.enumerated() {
            guard xi.isFinite else { throw .nonFiniteAbscissa(index: i, value: xi) }
            if i > 0, !(xi > x[i - 1]) {
                throw .abscissaeNotIncreasing(index: i, previous: x[i - 1], value: xi)
            }
        }
        if let first = x.first, let last = x.last, !(last - first).isFinite {
            throw .abscissaRangeOverflow(first: first, last: last)
        }
    }

    private func checkInDomain(_ t: Double) throws(InterpolationError) {
        guard t.isFinite else { throw .nonFiniteQuery(x: t) }
        guard domain.contains(t) else { throw .outOfRange(x: t, range: domain) }
    }

    /// Calls one of GSL's `gsl_spline_eval*_e` functions under the lock and checks its status.
    private func evaluate(
        _ function: (UnsafePointer<gsl_spline>?, Double, UnsafeMutablePointer<gsl_interp_accel>?,
                     UnsafeMutablePointer<Double>?) -> Int32,
        named name: String,
        at t: Double
    ) throws(InterpolationError) -> Double {
        let (status, result) = lock.withLock { _ in
            var result = 0.0
            let status = function(spline, t, accelerator, &result)
            return (status, result)
        }
        try check(status, function: name)
        return result
    }

    /// Converts a nonzero GSL status into ``InterpolationError/gsl(function:status:message:)``.
    private func check(_ status: Int32, function: String) throws(InterpolationError) {
        guard status == Int32(GSL_SUCCESS) else {
            throw .gsl(function: function, status: status, message: String(cString: gsl_strerror(status)))
        }
    }
}
