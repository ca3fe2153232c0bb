import Foundation
public import Multilevel

/// A change of depth by the coarsening factor: prolongation to `cf·N` steps or restriction to `N/cf`.
public enum DepthTransfer: Sendable, Hashable {
    /// Refine `N → cf·N` with `P` on the given step grid.
    case prolongation(Prolongation, grid: StepGrid = .cellCentred)
    /// Coarsen `N → N/cf` with `R` (needs `N` divisible by `cf`).
    case restriction(Restriction)

    /// The step count after the transfer.
    ///
    /// - Parameters:
    ///   - n: the current step count `N ≥ 1`.
    ///   - cf: the coarsening factor, `≥ 2`.
    /// - Returns: `cf·N` (prolongation) or `N/cf` (restriction).
    /// - Throws: `MultilevelError.invalidStepCount` for `N < 1`; `.invalidCoarseningFactor` for `cf < 2`;
    ///   `.sizeOverflow` / `.stepCountTooLarge` when `cf·N` overflows or exceeds
    ///   `Level.maximumStepCount`; `.stepCountNotDivisible` for a restriction of `N` not divisible by `cf`.
    public func targetStepCount(from n: Int, coarseningFactor cf: Int) throws -> Int {
        guard n >= 1 else { throw MultilevelError.invalidStepCount(n) }
        try Level.validateCoarseningFactor(cf)
        switch self {
        case .prolongation(let p, _):
            return try Level.refinedStepCount(n, coarseningFactor: cf, operation: "prolongation \(p.rawValue)")
        case .restriction(let r):
            guard n % cf == 0 else {
                throw MultilevelError.stepCountNotDivisible(stepCount: n, coarseningFactor: cf,
                                                            operation: "restriction \(r.rawValue)")
            }
            return n / cf
        }
    }

    /// The warning for a prolongation that falls back to a lower degree on `n` coarse steps
    /// (``/Multilevel/Prolongation/degradationWarning(coarseStepCount:)``), `nil` otherwise and for restrictions.
    ///
    /// - Parameter n: the coarse step count `N`.
    /// - Returns: the warning text, without the `warning: ` prefix.
    public func degradationWarning(from n: Int) -> String? {
        guard case .prolongation(let p, _) = self else { return nil }
        return p.degradationWarning(coarseStepCount: n)
    }

    /// Where the warnings of degraded prolongations go (one call per refinement, with the text of
    /// ``degradationWarning(from:)``): by default one `warning: …` line on standard error. Bind
    /// another handler for a scope with `DepthTransfer.$warningHandler.withValue(handler) { … }`.
    @TaskLocal public static var warningHandler: @Sendable (String) -> Void = { warning in
        FileHandle.standardError.write(Data("warning: \(warning)\n".utf8))
    }

    /// Hands ``degradationWarning(from:)``, if any, to ``warningHandler``.
    func warnIfDegraded(from n: Int) {
        guard let warning = degradationWarning(from: n) else { return }
        Self.warningHandler(warning)
    }

    /// The transfer matrix for a sequence of `n` steps.
    ///
    /// - Throws: the `MultilevelError`s of `Prolongation.matrix` and `Restriction.matrix`.
    public func matrix(from n: Int, coarseningFactor cf: Int) throws -> TransferMatrix {
        switch self {
        case .prolongation(let p, let grid): return try p.matrix(coarseStepCount: n, coarseningFactor: cf, grid: grid)
        case .restriction(let r): return try r.matrix(fineStepCount: n, coarseningFactor: cf)
        }
    }
}

/// What happens to per-step optimizer state (momentum buffers) when the network changes depth.
public enum StateTransferPolicy: String, Sendable, Hashable, CaseIterable, Codable {
    /// Apply the same `P` or `R` as the parameters.
    case transfer
    /// Start the new level with zero state.
    case reset
}
