/// The matrix `A` that maps `N` sampled values to the interpolant at `M` query points.
///
/// For a scheme that is linear in the samples (``InterpolationMethod/isLinearInSamples``) the
/// interpolant at fixed abscissae is `s(t) = Σ_j y_j ℓ_j(t)`, where `ℓ_j` interpolates the unit
/// vector `e_j`. Column `j` of `A` holds `ℓ_j` at the queries:
/// ```
/// A[i, j] = ℓ_j(t_i),      (A y)_i = s(t_i),      i = 0 … M−1,  j = 0 … N−1
/// ```
/// Built once, `A` applies one interpolation to many sample vectors with a matrix product — e.g.
/// the prolongation of every per-step parameter tensor from `N` coarse to `2N` fine steps
/// (../shared/DESIGN.md §4).
///
/// Shape: `rowCount = M` (queries) × `columnCount = N` (samples); ``entries`` is row-major,
/// `entries[i * columnCount + j] = A[i, j]`.
///
/// Invariants: for every sample vector `y` accepted by ``Interpolator`` with the same method and
/// abscissae, `A y` equals `Interpolator(x:y:method:).values(at: queries, extrapolation:)` up to
/// round-off. Every row sums to 1 (constants are reproduced) for every method and extrapolation rule.
///
/// Reference: `gsl_spline_init` and `gsl_spline_eval_e` on the unit vectors `e_j`.
public struct InterpolationMatrix: Sendable, Equatable {
    /// The number of rows `M`: one per query point.
    public let rowCount: Int
    /// The number of columns `N`: one per sample.
    public let columnCount: Int
    /// The `M × N` entries in row-major order.
    public let entries: [Double]

    /// Assembles the matrix of an interpolation scheme from sample abscissae to query points.
    ///
    /// - Parameters:
    ///   - method: a scheme with ``InterpolationMethod/isLinearInSamples``; for periodic schemes the
    ///     matrix is meant for periodic samples (`y_0 = y_{N−1}`).
    ///   - x: the sample abscissae, finite and strictly increasing (`N` entries).
    ///   - queries: the points `t_i` to interpolate to (`M` entries, any order).
    ///   - extrapolation: the rule for queries outside `[x_0, x_{N−1}]`; with `.error` they throw.
    /// - Throws:
    ///   - ``InterpolationError/nonlinearMethod(_:)`` for Akima and Steffen;
    ///   - every error of ``Interpolator/init(x:y:method:)`` about `x` (count, finiteness, order);
    ///   - every error of ``Interpolator/value(at:extrapolation:)`` for the queries.
    public init(method: InterpolationMethod, x: [Double], queries: [Double],
                extrapolation: Extrapolation = .error) throws(InterpolationError) {
        guard method.isLinearInSamples else { throw .nonlinearMethod(method) }
        let m = queries.count, n = x.count
        // With no samples there is no column to build, hence no Interpolator to report it.
        guard n > 0 else { throw .tooFewPoints(method: method, given: 0, needed: method.minimumPointCount) }
        var entries = [Double](repeating: 0, count: m * n)
        var unitVector = [Double](repeating: 0, count: n)
        for j in 0..<n {
            unitVector[j] = 1
            let column = try Interpolator(x: x, y: unitVector, method: method, requiresPeriodicData: false)
            unitVector[j] = 0
            for (i, t) in queries.enumerated() {
                entries[i * n + j] = try column.value(at: t, extrapolation: extrapolation)
            }
        }
        self.rowCount = m
        self.columnCount = n
        self.entries = entries
    }

    /// A matrix from entries already computed (internal: sizes are trusted).
    init(rowCount: Int, columnCount: Int, entries: [Double]) {
        self.rowCount = rowCount
        self.columnCount = columnCount
        self.entries = entries
    }

    /// The entry `A[row, column]`.
    ///
    /// - Precondition: `0 <= row < rowCount` and `0 <= column < columnCount`; an out-of-bounds
    ///   index traps with a message naming both indices and the shape, as an array subscript does
    ///   (without the check `[0, columnCount]` would silently read `[1, 0]`).
    public subscript(row: Int, column: Int) -> Double {
        precondition(row >= 0 && row < rowCount && column >= 0 && column < columnCount,
                     "InterpolationMatrix[\(row), \(column)] is outside the \(rowCount) × \(columnCount) matrix")
        return entries[row * columnCount + column]
    }

    /// The product `A y`: the interpolant of the samples `y` at the query points.
    ///
    /// - Parameter y: the sampled values, one per column.
    /// - Returns: `M` values, `(A y)_i = Σ_j A[i, j] y_j`.
    /// - Throws: ``InterpolationError/countMismatch(xCount:yCount:)`` (with `xCount = columnCount`)
    ///   if `y.count != columnCount`.
    public func apply(to y: [Double]) throws(InterpolationError) -> [Double] {
        guard y.count == columnCount else { throw .countMismatch(xCount: columnCount, yCount: y.count) }
        return (0..<rowCount).map { i in
            var sum = 0.0
            for j in 0..<columnCount { sum += entries[i * columnCount + j] * y[j] }
            return sum
        }
    }
}
