import Foundation
import Statistics

/// The least-squares line `log e = slope · log h + intercept` through the points `(log h_k, log e_k)`.
///
/// The slope is the estimated order p̂ of convergence. The caller has checked that the arrays have
/// equal length ≥ 2 and hold finite positive values.
///
/// - Parameters:
///   - h: the step sizes.
///   - error: the errors at those step sizes.
/// - Returns: the slope and intercept of the fit.
/// - Throws: ``ConvergenceStudyError/degenerateFit(pointCount:)`` when fewer than 2 points are given
///   or all `h` are equal (the fit's `StatisticsError` is mapped onto it).
///
/// Reference: `gsl_fit_linear` through `Statistics.LinearFit`.
func fitLogLog(h: [Double], error: [Double]) throws -> (slope: Double, intercept: Double) {
    do {
        let fit = try LinearFit(x: h.map { log($0) }, y: error.map { log($0) })
        return (slope: fit.slope, intercept: fit.intercept)
    } catch {
        throw ConvergenceStudyError.degenerateFit(pointCount: h.count)
    }
}
