// TODO(lead): replace with Statistics.LinearFit (gsl_fit_linear)
// A plain-Swift least-squares line through (log h, log error), used until the GSL-backed
// Statistics module is merged. Only `fitLogLog` is called from the rest of the module.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#else
import Foundation
#endif

/// The least-squares line `log e = slope · log h + intercept` through the points `(log h_k, log e_k)`.
///
/// The slope is the estimated order p̂ of convergence. The caller has checked that the arrays have
/// equal length ≥ 2 and hold finite positive values.
///
/// - Parameters:
///   - h: the step sizes.
///   - error: the errors at those step sizes.
/// - Returns: the slope and intercept of the fit.
/// - Throws: ``ConvergenceStudyError/degenerateFit(pointCount:)`` when all `h` are equal.
///
/// Reference: the normal equations of ordinary least squares (as in `gsl_fit_linear`).
func fitLogLog(h: [Double], error: [Double]) throws -> (slope: Double, intercept: Double) {
    let x = h.map { log($0) }, y = error.map { log($0) }
    let n = Double(x.count)
    let xMean = x.reduce(0, +) / n, yMean = y.reduce(0, +) / n
    var sxx = 0.0, sxy = 0.0
    for (xk, yk) in zip(x, y) {
        sxx += (xk - xMean) * (xk - xMean)
        sxy += (xk - xMean) * (yk - yMean)
    }
    guard sxx > 0, x.count >= 2 else { throw ConvergenceStudyError.degenerateFit(pointCount: x.count) }
    let slope = sxy / sxx
    return (slope: slope, intercept: yMean - slope * xMean)
}
