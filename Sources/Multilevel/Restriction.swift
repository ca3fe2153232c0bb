/// Restriction `R`: maps the per-step parameters of a fine level (`cf·N` steps) to the `N` steps of
/// the next coarser level.
///
/// Each method is linear and built once as an `N × (cf·N)` `TransferMatrix`; every row sums to 1, so
/// constants are preserved.
///
/// | method          | coarse θ_n                                          | exact left inverse of              |
/// |-----------------|-----------------------------------------------------|------------------------------------|
/// | `injection`     | the fine step starting at the same time, `cf·n`     | `piecewiseConstant`; `linear` (vertex grid) |
/// | `average`       | mean of its `cf` fine steps                         | `piecewiseConstant`                |
/// | `fullWeighting` | hat weights centred on fine step `cf·n`; cf = 2: `[¼ ½ ¼]` | none (a smoother, `R = ½ Pᵀ` of vertex `linear` in the interior) |
///
/// Boundary rule of `fullWeighting`: at the first coarse step the hat reaches before fine step 0;
/// the weights of missing fine steps are dropped and the row is renormalised to sum 1 (cf = 2:
/// `[⅔ ⅓]` on fine steps 0, 1). At the last coarse step all fine neighbours exist.
///
/// Reference: Trottenberg, Oosterlee, Schüller, *Multigrid* (2001), §2.3.3 (injection, full
/// weighting); the `average` restriction is ½ Pᵀ of the paper's copy-after prolongation.
public enum Restriction: String, Sendable, Hashable, Codable, CaseIterable {
    /// Take the fine step starting at the coarse step's start time (fine `cf·n`).
    case injection
    /// Average the `cf` fine steps covering the coarse step.
    case average
    /// Full weighting: hat weights `(cf − |k|)/cf²` on fine steps `cf·n + k`, `|k| < cf`.
    case fullWeighting

    /// The `N × (cf·N)` matrix of this restriction.
    ///
    /// - Parameters:
    ///   - fineStepCount: the fine level's steps, a positive multiple of `cf`.
    ///   - coarseningFactor: `cf ≥ 2`.
    /// - Throws: `MultilevelError.invalidStepCount` for a non-positive count or `cf < 2`;
    ///   `.stepCountNotDivisible` when `fineStepCount` is not a multiple of `cf`.
    public func matrix(fineStepCount: Int, coarseningFactor cf: Int = 2) throws -> TransferMatrix {
        guard fineStepCount >= 1 else { throw MultilevelError.invalidStepCount(fineStepCount) }
        guard cf >= 2 else { throw MultilevelError.invalidStepCount(cf) }
        guard fineStepCount % cf == 0 else {
            throw MultilevelError.stepCountNotDivisible(stepCount: fineStepCount, coarseningFactor: cf,
                                                        operation: "restriction \(rawValue)")
        }
        let n = fineStepCount / cf
        switch self {
        case .injection:
            return TransferMatrix(rowCount: n, columnCount: fineStepCount) { i, j in j == cf * i ? 1 : 0 }
        case .average:
            return TransferMatrix(rowCount: n, columnCount: fineStepCount) { i, j in
                j / cf == i ? 1 / Double(cf) : 0
            }
        case .fullWeighting:
            return TransferMatrix(rowCount: n, columnCount: fineStepCount) { i, j in
                let hat = { (m: Int) -> Double in
                    let k = abs(m - cf * i)
                    return k < cf ? Double(cf - k) / Double(cf * cf) : 0
                }
                let total = (0..<fineStepCount).reduce(0) { $0 + hat($1) }
                return hat(j) / total
            }
        }
    }
}
