extension Level {
    /// The largest step count `N` a level (and every transfer producing one) accepts: `2^20`.
    ///
    /// A ResNet stage of a million residual blocks is far beyond any training run; the bound keeps
    /// `N`-sized allocations (``stepTimes``, per-step parameter sequences) and the sizes derived from
    /// `N` (`cf · N`, transfer matrices) far from overflow.
    public static let maximumStepCount = 1 << 20

    /// Checks a coarsening factor.
    ///
    /// - Parameter cf: the coarsening factor, `≥ 2`.
    /// - Throws: `MultilevelError.invalidCoarseningFactor` for `cf < 2`.
    public static func validateCoarseningFactor(_ cf: Int) throws {
        guard cf >= 2 else { throw MultilevelError.invalidCoarseningFactor(cf) }
    }

    /// The refined step count `cf · N`, checked for overflow and against ``maximumStepCount``.
    ///
    /// - Parameters:
    ///   - n: the coarse step count, `1…maximumStepCount`.
    ///   - cf: the coarsening factor, `≥ 2`.
    ///   - operation: names the caller in messages.
    /// - Returns: `cf · n`.
    /// - Throws: `MultilevelError.invalidStepCount` for `n < 1`, `.invalidCoarseningFactor` for `cf < 2`,
    ///   `.sizeOverflow` when `cf · n` overflows `Int`, `.stepCountTooLarge` above the limit.
    public static func refinedStepCount(_ n: Int, coarseningFactor cf: Int, operation: String) throws -> Int {
        guard n >= 1 else { throw MultilevelError.invalidStepCount(n) }
        try validateCoarseningFactor(cf)
        let (product, overflow) = n.multipliedReportingOverflow(by: cf)
        guard !overflow else { throw MultilevelError.sizeOverflow(operation: operation, factors: [n, cf]) }
        guard product <= maximumStepCount else {
            throw MultilevelError.stepCountTooLarge(operation: operation, stepCount: product, limit: maximumStepCount)
        }
        return product
    }
}
