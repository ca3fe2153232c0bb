import Multilevel

extension LevelArchive {
    /// The effective prolongation of every refinement that produced each level, by level index ℓ:
    /// stored as the string-array attribute `prolongation_effective` of `/levels/<ℓ>/`.
    ///
    /// Levels are taken in cycle order (coarse → fine); level `c` was refined from level `c − 1`
    /// by `metadata.prolongation` with coarsening factor 2, once per doubling of `N`, and the entry
    /// lists ``Prolongation/effectiveMethod(coarseStepCount:)`` of each of those refinements, coarse
    /// to fine (e.g. `["linear", "quadratic"]` for `cubicSpline` from `N = 2` to `N = 8`). The
    /// first level, levels of a run without prolongation, and levels whose `N` is not a power-of-2
    /// multiple of the previous level's get no entry (the attribute is absent).
    ///
    /// - Parameters:
    ///   - levels: the archive's levels.
    ///   - metadata: the run's metadata (its `prolongation`).
    /// - Returns: the methods by level index.
    static func effectiveProlongations(levels: [ArchivedLevel], metadata: ArchiveMetadata)
        -> [Int: [EffectiveProlongation]]
    {
        guard let p = metadata.prolongation else { return [:] }
        let byCycle = levels.sorted { $0.cycle < $1.cycle }
        var result: [Int: [EffectiveProlongation]] = [:]
        for (coarse, fine) in zip(byCycle, byCycle.dropFirst()) {
            let methods = p.effectiveMethods(fromStepCount: coarse.network.spec.stepCount,
                                             toStepCount: fine.network.spec.stepCount)
            if let methods, !methods.isEmpty { result[fine.index] = methods }
        }
        return result
    }
}
