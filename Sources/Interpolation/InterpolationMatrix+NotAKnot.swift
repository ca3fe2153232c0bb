internal import CGSL

extension InterpolationMatrix {
    /// The matrix of the not-a-knot cubic spline through `N` samples, evaluated at `M` queries.
    ///
    /// The not-a-knot spline is the `C²` cubic spline whose third derivative is also continuous at
    /// `x_1` and `x_{N−2}` (the first and last interior knots are "not knots"). Unlike GSL's natural
    /// spline (`gsl_interp_cspline`, which forces `s'' = 0` at the ends), it reproduces every cubic
    /// polynomial exactly, up to the ends. It is built as the cubic B-spline interpolant with
    /// breakpoints `{lo, x_2, …, x_{N−3}, hi}`, which has exactly `N` coefficients:
    /// ```
    /// s(t) = Σ_j c_j B_j(t),      Σ_j c_j B_j(x_i) = y_i   ⇒   A = B(queries) · B(x)⁻¹
    /// ```
    /// with `lo = min(x_0, min queries)` and `hi = max(x_{N−1}, max queries)`: queries outside the data
    /// range are evaluated on the end polynomial pieces (the spline's own cubic extension).
    ///
    /// Degenerate sizes follow the not-a-knot definition: `N = 1` is constant, `N = 2` the line and
    /// `N = 3` the parabola through the samples (and `N = 4` the cubic through them), so the result
    /// always reproduces polynomials of degree `min(3, N − 1)`.
    ///
    /// Shape: `M × N`, row-major, as ``init(method:x:queries:extrapolation:)``.
    ///
    /// - Parameters:
    ///   - x: the sample abscissae, finite and strictly increasing (`N ≥ 1`).
    ///   - queries: finite query points, anywhere.
    /// - Returns: the `M × N` matrix `A` with `(A y)_i = s(t_i)`.
    /// - Throws: ``InterpolationError/tooFewPoints(method:given:needed:)`` (reported as
    ///   `cubicSpline`, needing 1) for no samples; ``InterpolationError/nonFiniteAbscissa(index:value:)``,
    ///   ``InterpolationError/abscissaeNotIncreasing(index:previous:value:)``,
    ///   ``InterpolationError/abscissaRangeOverflow(first:last:)``,
    ///   ``InterpolationError/nonFiniteQuery(x:)``; ``InterpolationError/allocationFailed(function:)``
    ///   and ``InterpolationError/gsl(function:status:message:)`` from GSL.
    ///
    /// Reference: de Boor, *A Practical Guide to Splines* (1978/2001), ch. IV (not-a-knot end
    /// condition) and ch. XIII (B-spline interpolation); GSL `gsl_bspline_knots`, `gsl_bspline_eval`,
    /// `gsl_linalg_LU_decomp`, `gsl_linalg_LU_invert`.
    public static func notAKnotCubicSpline(x: [Double], queries: [Double]) throws(InterpolationError)
        -> InterpolationMatrix
    {
        _ = gslErrorHandlerOff
        let n = x.count, m = queries.count
        guard n >= 1 else { throw .tooFewPoints(method: .cubicSpline, given: 0, needed: 1) }
        try Interpolator.validateAbscissae(x)
        for t in queries where !t.isFinite { throw .nonFiniteQuery(x: t) }
        if n <= 3 {
            // Lagrange basis of the polynomial of degree N − 1 through the samples.
            var entries = [Double](repeating: 0, count: m * n)
            for (i, t) in queries.enumerated() {
                for j in 0..<n {
                    var basis = 1.0
                    for k in 0..<n where k != j { basis *= (t - x[k]) / (x[j] - x[k]) }
                    entries[i * n + j] = basis
                }
            }
            return InterpolationMatrix(rowCount: m, columnCount: n, entries: entries)
        }
        let lo = min(x[0], queries.min() ?? x[0])
        let hi = max(x[n - 1], queries.max() ?? x[n - 1])
        let breakpoints = [lo] + x[2..<(n - 2)] + [hi]

        guard let workspace = gsl_bspline_alloc(4, breakpoints.count) else {
            throw .allocationFailed(function: "gsl_bspline_alloc")
        }
        defer { gsl_bspline_free(workspace) }
        guard let breakVector = gsl_vector_alloc(breakpoints.count),
              let basis = gsl_vector_alloc(n),
              let collocation = gsl_matrix_alloc(n, n),
              let inverse = gsl_matrix_alloc(n, n),
              let permutation = gsl_permutation_alloc(n)
        else { throw .allocationFailed(function: "gsl_vector_alloc/gsl_matrix_alloc") }
        defer {
            gsl_vector_free(breakVector); gsl_vector_free(basis)
            gsl_matrix_free(collocation); gsl_matrix_free(inverse); gsl_permutation_free(permutation)
        }
        for (k, b) in breakpoints.enumerated() { gsl_vector_set(breakVector, k, b) }
        try check(gsl_bspline_knots(breakVector, workspace), "gsl_bspline_knots")

        // Collocation matrix B(x): row i holds B_j(x_i).
        for i in 0..<n {
            try check(gsl_bspline_eval(x[i], basis, workspace), "gsl_bspline_eval")
            for j in 0..<n { gsl_matrix_set(collocation, i, j, gsl_vector_get(basis, j)) }
        }
        var signum: Int32 = 0
        try check(gsl_linalg_LU_decomp(collocation, permutation, &signum), "gsl_linalg_LU_decomp")
        try check(gsl_linalg_LU_invert(collocation, permutation, inverse), "gsl_linalg_LU_invert")

        var entries = [Double](repeating: 0, count: m * n)
        for (i, t) in queries.enumerated() {
            try check(gsl_bspline_eval(t, basis, workspace), "gsl_bspline_eval")
            for j in 0..<n {
                var sum = 0.0
                for k in 0..<n { sum += gsl_vector_get(basis, k) * gsl_matrix_get(inverse, k, j) }
                entries[i * n + j] = sum
            }
        }
        return InterpolationMatrix(rowCount: m, columnCount: n, entries: entries)
    }

    private static func check(_ status: Int32, _ function: String) throws(InterpolationError) {
        guard status == 0 else {
            throw .gsl(function: function, status: status, message: String(cString: gsl_strerror(status)))
        }
    }
}
