/// The levels of a multilevel run, level 0 finest, each coarser level having `1/cf` of the steps.
///
/// Training runs coarse → fine (nested iteration): `levels.reversed()`.
///
/// Invariants (checked at construction and on decoding):
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
    /// - Throws: `MultilevelError.invalidLevelCount` (`levelCount < 1`), `.invalidCoarseningFactor`
    ///   (`cf < 2`), `.invalidStepCount`, `.invalidFinalTime`; `.sizeOverflow` when `N · cf^ℓ`
    ///   overflows `Int` and `.stepCountTooLarge` when the finest `N` exceeds ``Level/maximumStepCount``;
    ///   `.invalidFinalTime` when `keep` makes the finest `T` overflow.
    public init(coarsestStepCount: Int, coarsestFinalTime: Double, levelCount: Int,
                rule: StepSizeRule = .halve, coarseningFactor: Int = 2) throws {
        guard levelCount >= 1 else { throw MultilevelError.invalidLevelCount(levelCount) }
        try Level.validateCoarseningFactor(coarseningFactor)
        var levels: [Level] = []
        var stepCount = coarsestStepCount
        var finalTime = coarsestFinalTime
        // Build coarse → fine, then index so that 0 is the finest.
        for coarseness in 0..<levelCount {
            if coarseness > 0 {
                stepCount = try Level.refinedStepCount(stepCount, coarseningFactor: coarseningFactor,
                                                       operation: "Hierarchy level \(levelCount - 1 - coarseness)")
                finalTime = rule.finalTime(from: finalTime, stepCountFactor: Double(coarseningFactor))
            }
            levels.append(try Level(index: 0, stepCount: stepCount, finalTime: finalTime))
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

    private enum CodingKeys: String, CodingKey { case levels, coarseningFactor, rule }

    /// Decodes a hierarchy and checks it: the levels must be exactly those that
    /// ``init(coarsestStepCount:coarsestFinalTime:levelCount:rule:coarseningFactor:)`` builds from the
    /// coarsest decoded level.
    ///
    /// - Parameter decoder: a decoder holding `levels`, `coarseningFactor`, `rule`.
    /// - Throws: `DecodingError` for missing or mistyped fields; `MultilevelError.invalidLevelCount`
    ///   for an empty level list; the errors of the building initializer;
    ///   `.inconsistentHierarchy` naming the first level that differs from the rebuilt one.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let levels = try container.decode([Level].self, forKey: .levels)
        let cf = try container.decode(Int.self, forKey: .coarseningFactor)
        let rule = try container.decode(StepSizeRule.self, forKey: .rule)
        guard let coarsest = levels.last else { throw MultilevelError.invalidLevelCount(0) }
        try self.init(coarsestStepCount: coarsest.stepCount, coarsestFinalTime: coarsest.finalTime,
                      levelCount: levels.count, rule: rule, coarseningFactor: cf)
        for (decoded, rebuilt) in zip(levels, self.levels) where decoded != rebuilt {
            throw MultilevelError.inconsistentHierarchy(
                level: rebuilt.index,
                message: "decoded \(decoded), expected \(rebuilt) (cf = \(cf), rule \(rule.rawValue))")
        }
    }
}
