/// The levels of a multilevel run, level 0 finest, each coarser level having `1/cf` of the steps.
///
/// Training runs coarse → fine (nested iteration): `levels.reversed()`.
///
/// Invariants (checked at construction):
/// ```
/// N_ℓ = cf · N_{ℓ+1}
/// halve:  T_ℓ = T_{ℓ+1},        h_{ℓ+1} = cf · h_ℓ
/// keep:   h_ℓ = h_{ℓ+1},        T_ℓ = cf · T_{ℓ+1}
/// ```
///
/// Reference: the multigrid vocabulary of torchbraid (level 0 finest, coarsening factor `cf`);
/// Chang et al., ICLR 2018, §3.2 for the paper's 2 → 4 → 8 steps per stage with `h` halved.
public struct Hierarchy: Sendable, Hashable, Codable {
    /// The levels, index 0 = finest.
    public let levels: [Level]
    /// The coarsening factor `cf` (2 in the paper): `N_ℓ = cf · N_{ℓ+1}`.
    public let coarseningFactor: Int
    /// The step-size rule linking the levels.
    public let rule: StepSizeRule

    /// Builds a hierarchy from its coarsest level, the one training starts with.
    ///
    /// - Parameters:
    ///   - coarsestStepCount: `N` of the coarsest level (the paper: 2 per stage).
    ///   - coarsestFinalTime: `T` of the coarsest level (the paper: `T = N`, so `h = 1`).
    ///   - levelCount: the number of levels (cycles of the paper's training), ≥ 1.
    ///   - rule: `halve` keeps `T` (the paper), `keep` keeps `h` (the naive baseline).
    ///   - coarseningFactor: `cf ≥ 2`.
    /// - Throws: `MultilevelError.invalidStepCount` (also for `levelCount < 1` or `cf < 2`, naming the
    ///   offending value), `.invalidFinalTime`.
    public init(coarsestStepCount: Int, coarsestFinalTime: Double, levelCount: Int,
                rule: StepSizeRule = .halve, coarseningFactor: Int = 2) throws {
        guard levelCount >= 1 else { throw MultilevelError.invalidStepCount(levelCount) }
        guard coarseningFactor >= 2 else { throw MultilevelError.invalidStepCount(coarseningFactor) }
        var levels: [Level] = []
        var stepCount = coarsestStepCount
        var finalTime = coarsestFinalTime
        // Build coarse → fine, then index so that 0 is the finest.
        for _ in 0..<levelCount {
            levels.append(try Level(index: 0, stepCount: stepCount, finalTime: finalTime))
            let (product, overflow) = stepCount.multipliedReportingOverflow(by: coarseningFactor)
            guard !overflow else { throw MultilevelError.invalidStepCount(stepCount) }
            stepCount = product
            finalTime = rule.finalTime(from: finalTime, stepCountFactor: Double(coarseningFactor))
        }
        self.levels = try levels.reversed().enumerated().map { index, level in
            try Level(index: index, stepCount: level.stepCount, finalTime: level.finalTime)
        }
        self.coarseningFactor = coarseningFactor
        self.rule = rule
    }

    /// The finest level (index 0).
    public var finest: Level { levels[0] }
    /// The coarsest level (index `levels.count − 1`).
    public var coarsest: Level { levels[levels.count - 1] }

    /// The level with the given index.
    ///
    /// - Throws: `MultilevelError.invalidLevelIndex` when `index` is outside `0..<levels.count`.
    public func level(_ index: Int) throws -> Level {
        guard levels.indices.contains(index) else {
            throw MultilevelError.invalidLevelIndex(index, levelCount: levels.count)
        }
        return levels[index]
    }
}
