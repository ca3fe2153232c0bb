import Interpolation

/// Prolongation `P`: maps the per-step parameters θ_0 … θ_{N−1} of a coarse level to the `cf·N`
/// steps of the next finer level.
///
/// Each method is linear in the sequence and is built once as a `(cf·N) × N` `TransferMatrix`.
///
/// | method              | reproduces exactly            | ends (fine points outside the coarse ones)   |
/// |---------------------|-------------------------------|----------------------------------------------|
/// | `piecewiseConstant` | constants                     | none needed: fine steps `cf·n …` copy θ_n     |
/// | `linear`            | linear sequences (`N ≥ 2`)    | extend the end segment linearly               |
/// | `cubicSpline`       | cubic sequences (`N ≥ 4`)     | extend the end cubic pieces                   |
///
/// `N = 1` has no segment to interpolate on: `linear` then copies θ_0 (as `piecewiseConstant`).
/// `cubicSpline` is the not-a-knot spline (GSL B-splines): it reproduces polynomials of degree
/// `min(3, N − 1)`, so `N = 1, 2, 3` give the constant, the line and the parabola through the steps.
/// Such a fallback is never silent: ``effectiveMethod(coarseStepCount:)`` names it,
/// `ODENetwork.transferred` warns on standard error once per refinement, and a level archive
/// records the effective method of every refinement (`prolongation_effective`).
///
/// Invariants: with `cf = 2`, `Restriction.average · P = I` for `piecewiseConstant` and
/// `Restriction.injection · P = I` for `piecewiseConstant` and for `linear` on the vertex grid;
/// `Restriction.average = ½ Pᵀ` for `piecewiseConstant` (tested).
///
/// Reference: Chang, Meng, Haber, Tung, Begert, ICLR 2018, §3.2 (the paper's interpolation inserts a
/// copy of each block after itself: `piecewiseConstant`); Trottenberg, Oosterlee, Schüller,
/// *Multigrid* (2001), §2.3 (linear interpolation, full weighting).
public enum Prolongation: String, Sendable, Hashable, Codable, CaseIterable {
    /// Copy each coarse step `cf` times: fine steps `cf·n … cf·n + cf − 1` get θ_n (the paper's rule).
    case piecewiseConstant
    /// Linear interpolation in depth-time between the coarse steps' positions on the chosen grid,
    /// extended linearly beyond the first and last coarse positions.
    case linear
    /// The not-a-knot cubic spline through the coarse steps' positions on the chosen grid
    /// (`InterpolationMatrix.notAKnotCubicSpline`), its end pieces extended past the ends.
    case cubicSpline

    /// The `(cf·N) × N` matrix of this prolongation.
    ///
    /// - Parameters:
    ///   - n: `coarseStepCount`, `N ≥ 1`, the coarse level's steps.
    ///   - cf: `coarseningFactor`, `cf ≥ 2`.
    ///   - grid: where θ_n sits in its step (ignored by `piecewiseConstant`, which acts on whole
    ///     steps); `cellCentred` by default.
    /// - Throws: `MultilevelError.invalidStepCount` for `N < 1`; `.invalidCoarseningFactor` for `cf < 2`;
    ///   `.sizeOverflow` / `.stepCountTooLarge` when `cf·N` overflows or exceeds
    ///   ``Level/maximumStepCount``; `.matrixTooLarge` when `cf·N²` exceeds
    ///   ``TransferMatrix/maximumEntryCount``; `.interpolation` if GSL fails building the spline.
    public func matrix(coarseStepCount n: Int, coarseningFactor cf: Int = 2,
                       grid: StepGrid = .cellCentred) throws -> TransferMatrix {
        let operation = "prolongation \(rawValue)"
        let fineCount = try Level.refinedStepCount(n, coarseningFactor: cf, operation: operation)
        _ = try TransferMatrix.checkedEntryCount(rowCount: fineCount, columnCount: n, operation: operation)
        switch self {
        case .piecewiseConstant:
            return try TransferMatrix(rowCount: fineCount, columnCount: n, operation: operation) { i, j in
                i / cf == j ? 1 : 0
            }
        case .linear:
            // Positions in units of the coarse step H = 1; fine step h = 1/cf.
            let coarse = grid.positions(count: n, stepSize: 1)
            let fine = grid.positions(count: fineCount, stepSize: 1 / Double(cf))
            guard n >= 2 else {
                return try TransferMatrix(rowCount: fineCount, columnCount: 1, operation: operation) { _, _ in 1 }
            }
            return try TransferMatrix(rowCount: fineCount, columnCount: n, operation: operation) { i, j in
                // Segment [x_k, x_{k+1}] holding fine point i, clamped so that the end segments
                // extend linearly past the ends.
                let x = fine[i]
                let k = min(max(Int((x - coarse[0]).rounded(.down)), 0), n - 2)
                let w = x - coarse[k]  // coarse spacing is 1
                if j == k { return 1 - w }
                if j == k + 1 { return w }
                return 0
            }
        case .cubicSpline:
            let coarse = grid.positions(count: n, stepSize: 1)
            let fine = grid.positions(count: fineCount, stepSize: 1 / Double(cf))
            do {
                let a = try InterpolationMatrix.notAKnotCubicSpline(x: coarse, queries: fine)
                return try TransferMatrix(rowCount: a.rowCount, columnCount: a.columnCount, entries: a.entries)
            } catch let error as InterpolationError {
                throw MultilevelError.interpolation(error.description)
            }
        }
    }
}
