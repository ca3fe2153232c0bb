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
    ///   - cf: `coarseningFactor`, `cf ≥ 2`.
    /// - Throws: `MultilevelError.invalidStepCount` for a non-positive count; `.invalidCoarseningFactor`
    ///   for `cf < 2`; `.stepCountTooLarge` above ``Level/maximumStepCount``; `.stepCountNotDivisible`
    ///   when `fineStepCount` is not a multiple of `cf`; `.matrixTooLarge` when `N · cf·N` exceeds
    ///   ``TransferMatrix/maximumEntryCount``.
    ///
    /// Order: `O(N · cf·N)` time and memory (the dense matrix).
    public func matrix(fineStepCount: Int, coarseningFactor cf: Int = 2) throws -> TransferMatrix {
        let operation = "restriction \(rawValue)"
        guard fineStepCount >= 1 else { throw MultilevelError.invalidStepCount(fineStepCount) }
        try Level.validateCoarseningFactor(cf)
        guard fineStepCount <= Level.maximumStepCount else {
            throw MultilevelError.stepCountTooLarge(operation: operation, stepCount: fineStepCount,
                                                    limit: Level.maximumStepCount)
        }
        guard fineStepCount % cf == 0 else {
            throw MultilevelError.stepCountNotDivisible(stepCount: fineStepCount, coarseningFactor: cf,
                                                        operation: operation)
        }
        let n = fineStepCount / cf
        _ = try TransferMatrix.checkedEntryCount(rowCount: n, columnCount: fineStepCount, operation: operation)
        switch self {
        case .injection:
            return try TransferMatrix(rowCount: n, columnCount: fineStepCount, operation: operation) { i, j in
                j == cf * i ? 1 : 0
            }
        case .average:
            return try TransferMatrix(rowCount: n, columnCount: fineStepCount, operation: operation) { i, j in
                j / cf == i ? 1 / Double(cf) : 0
            }
        case .fullWeighting:
            // The hat of row i covers fine steps cf·i − cf + 1 … cf·i + cf − 1; its weights inside
            // 0..<fineStepCount are summed once per row (O(cf) per row, not O(cf·N)).
            func hat(_ m: Int, row i: Int) -> Double {
                let k = abs(m - cf * i)
                return k < cf ? Double(cf - k) / Double(cf * cf) : 0
            }
            let totals = (0..<n).map { i in
                (max(cf * i - cf + 1, 0)...min(cf * i + cf - 1, fineStepCount - 1))
                    .reduce(0.0) { $0 + hat($1, row: i) }
            }
            return try TransferMatrix(rowCount: n, columnCount: fineStepCount, operation: operation) { i, j in
                hat(j, row: i) / totals[i]
            }
        }
    }
}
