import Foundation
import Statistics

/// The power law `mean‖G‖ ≈ c · N^p` fitted across levels by least squares in log–log space.
///
/// ```
/// log mean‖G‖ = log c + p log N
/// ```
/// The paper's claim is `p ≈ −1` (‖G‖ ∝ h ∝ 1/N for fixed `T`).
/// Reference: Chang et al., ICLR 2018, §4.1; `gsl_fit_linear` (via ``/Statistics/LinearFit``).
public struct PowerLawFit: Sendable, Codable, Hashable {
    /// The exponent `p` (slope in log–log space).
    public var exponent: Double
    /// Its standard error (`nil` for two points).
    public var exponentStandardError: Double?
    /// The prefactor `c`.
    public var prefactor: Double
    /// The `N` values fitted.
    public var stepCounts: [Int]
    /// The ‖G‖ values fitted.
    public var residualNorms: [Double]

    /// Fits `residualNorms ≈ c · stepCounts^p`.
    ///
    /// - Parameters:
    ///   - stepCounts: `N` per point, each ≥ 1, at least two distinct.
    ///   - residualNorms: ‖G‖ per point, each > 0 and finite.
    /// - Throws: ``AnalysisError/powerLawUnavailable(reason:)`` for fewer than 2 points, equal `N`
    ///   or a non-positive ‖G‖; `StatisticsError` from the fit.
    public init(stepCounts: [Int], residualNorms: [Double]) throws {
        guard stepCounts.count == residualNorms.count else {
            throw AnalysisError.powerLawUnavailable(
                reason: "\(stepCounts.count) step counts but \(residualNorms.count) norms")
        }
        guard stepCounts.count >= 2 else {
            throw AnalysisError.powerLawUnavailable(reason: "needs at least 2 levels, got \(stepCounts.count)")
        }
        guard Set(stepCounts).count >= 2 else {
            throw AnalysisError.powerLawUnavailable(reason: "every level has the same N = \(stepCounts[0])")
        }
        guard stepCounts.allSatisfy({ $0 >= 1 }),
              residualNorms.allSatisfy({ $0 > 0 && $0.isFinite }) else {
            throw AnalysisError.powerLawUnavailable(reason: "N must be ≥ 1 and mean ‖G‖ > 0 and finite, got "
                                                    + "N = \(stepCounts), ‖G‖ = \(residualNorms)")
        }
        let fit = try LinearFit(x: stepCounts.map { log(Double($0)) }, y: residualNorms.map { log($0) })
        exponent = fit.slope
        exponentStandardError = stepCounts.count >= 3 ? fit.slopeStandardError : nil
        prefactor = exp(fit.intercept)
        self.stepCounts = stepCounts
        self.residualNorms = residualNorms
    }
}
