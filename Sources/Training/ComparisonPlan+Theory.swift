import Foundation

/// The arithmetic of a comparison's plan: the budget's split, the theory's time saving and the
/// step counts that give methods equal evaluations.
///
/// Reference: Chang, Meng, Haber, Tung, Begert, *Multi-level Residual Networks from Dynamical
/// Systems View*, ICLR 2018, §3.3 (the saving) and §4 (the 60/50/50 split of 160 epochs).
extension ComparisonPlan {
    /// The paper's split of a budget over cycles: weights `1.2 : 1 : … : 1` (60/50/50 for three
    /// cycles, i.e. 37.5 % / 31.25 % / 31.25 %), rounded to whole epochs by largest remainder
    /// (ties to the earlier cycle), each cycle at least one epoch.
    ///
    /// - Parameters:
    ///   - epochs: the budget `E ≥ cycles`.
    ///   - cycles: the cycle count `C ≥ 1`.
    /// - Returns: `C` epoch counts summing to `E`.
    ///
    /// Reference: Chang et al., ICLR 2018, §4 (60, 50 and 50 of 160 epochs).
    public static func paperSplit(epochs: Int, cycles: Int) -> [Int] {
        guard cycles > 1 else { return [epochs] }
        let weights = [1.2] + Array(repeating: 1.0, count: cycles - 1)
        let total = weights.reduce(0, +)
        let exact = weights.map { Double(epochs) * $0 / total }
        var split = exact.map { max(1, Int($0.rounded(.down))) }
        var left = epochs - split.reduce(0, +)
        let order = exact.indices.sorted { (exact[$0] - exact[$0].rounded(.down), -$0) > (exact[$1] - exact[$1].rounded(.down), -$1) }
        var i = 0
        while left > 0 { split[order[i % cycles]] += 1; left -= 1; i += 1 }
        while left < 0, let j = split.indices.max(by: { split[$0] < split[$1] }) { split[j] -= 1; left += 1 }
        return split
    }

    /// The theory's saving for `k` interpolations with equal cycles:
    /// ```
    /// 1 − (2^{k+1} − 1) / (2^k (k + 1))          (0, 25, 41.7, 53.1 % for k = 0…3)
    /// ```
    ///
    /// - Parameter k: the interpolations (cycles − 1), `k ≥ 0`.
    /// - Returns: the saving as a fraction of the full run's time.
    ///
    /// Reference: Chang et al., ICLR 2018, §3.3.
    public static func theoreticalTimeSaved(interpolations k: Int) -> Double {
        let p = pow(2.0, Double(k))
        return 1 - (2 * p - 1) / (p * Double(k + 1))
    }

    /// The theory's saving for a given split, each epoch costing `cost(N)`:
    /// `1 − Σ_c e_c cost(N_c) / (Σ_c e_c · cost(N_last))`.
    ///
    /// - Parameters:
    ///   - cycleEpochs: `e_c`.
    ///   - stepCounts: `N_c`, the last being the full baseline's depth.
    ///   - cost: the cost of an epoch at depth `N` (default `N`).
    /// - Returns: the saving as a fraction (0 for no cycles).
    ///
    /// Reference: Chang et al., ICLR 2018, §3.3 (with the split actually planned).
    public static func theoreticalTimeSaved(cycleEpochs: [Int], stepCounts: [Int],
                                            cost: (Int) -> Double = { Double($0) }) -> Double {
        guard let last = stepCounts.last else { return 0 }
        let multilevel = zip(cycleEpochs, stepCounts).reduce(0.0) { $0 + Double($1.0) * cost($1.1) }
        return 1 - multilevel / (Double(cycleEpochs.reduce(0, +)) * cost(last))
    }

    /// The theory's savings of this plan: equal cycles, the planned split with the cost of an
    /// epoch proportional to `N`, and the planned split costed by each network's forward
    /// multiply–adds (stem, connectors and head included; each stage's method counted).
    ///
    /// - Parameter data: the data (input shape and class count of the networks costed).
    /// - Returns: the savings, as fractions of the full run's time.
    ///
    /// Reference: Chang et al., ICLR 2018, §3.3.
    public func theoreticalSaving(for data: TrainingData) -> TheoreticalSaving {
        let stepCounts = configuration.stepCounts
        let macs = { (n: Int) -> Double in
            Double((try? self.spec(stepCount: n, finalTime: 1, data: data).forwardMultiplyAccumulates) ?? n)
        }
        return TheoreticalSaving(
            interpolations: stepCounts.count - 1,
            equalCycles: ComparisonPlan.theoreticalTimeSaved(interpolations: stepCounts.count - 1),
            plannedSplit: ComparisonPlan.theoreticalTimeSaved(cycleEpochs: cycleEpochs, stepCounts: stepCounts),
            plannedSplitMultiplyAccumulates: ComparisonPlan.theoreticalTimeSaved(cycleEpochs: cycleEpochs,
                                                                                 stepCounts: stepCounts, cost: macs))
    }

    /// Steps per stage that give a network's methods the same residual-function evaluations per
    /// forward pass as a reference method on every stage: `N' = N · s_ref · k / Σ_i s_i` for every
    /// cycle, with `s_i` the Runge–Kutta stage counts of the `k` entries of `integrators` (one entry
    /// for every stage: `N' = N · s_ref / s`).
    ///
    /// With `T` kept, `h' = h · N / N'`: e.g. forward Euler at `N = 4, 8, 16` (reference) and the
    /// classic RK4 at `N = 1, 2, 4`, both `4 + 8 + 16` evaluations per stage over the cycles.
    ///
    /// - Parameters:
    ///   - stepCounts: the reference method's `N` per cycle.
    ///   - referenceStageCount: `s_ref`, evaluations per step of the reference method.
    ///   - integrators: the methods to rescale: one for every network stage, or one per stage.
    /// - Returns: `N'` per cycle.
    /// - Throws: ``TrainingError/invalidConfiguration(name:value:expected:)`` for an empty
    ///   `integrators`, or when some `N · s_ref · k` is not a multiple of `Σ_i s_i` or exceeds
    ///   `Int.max`.
    ///
    /// Reference: an `s`-stage method evaluates `F` `s·N` times per stage (`Integrator.stageCount`).
    public static func equalEvaluationStepCounts(_ stepCounts: [Int], referenceStageCount: Int,
                                                 integrators: [IntegratorChoice]) throws -> [Int] {
        guard !integrators.isEmpty else {
            throw TrainingError.invalidConfiguration(name: "integrators", value: "[]",
                                                     expected: "at least one method to rescale")
        }
        let name = Set(integrators).count == 1 ? integrators[0].name : integrators.map(\.name).joined(separator: ",")
        let s = integrators.reduce(0) { $0 + $1.rungeKuttaStageCount }
        let scale = referenceStageCount * integrators.count
        // N·s_ref·k in Int (a huge --schedule must not trap).
        let evaluations = stepCounts.map { $0.multipliedReportingOverflow(by: scale) }
        if let n = zip(stepCounts, evaluations).first(where: { $0.1.overflow })?.0 {
            throw TrainingError.invalidConfiguration(
                name: "reference --schedule (\(name) at equal evaluations)", value: "\(n)",
                expected: "steps per stage N with N·\(scale) ≤ \(Int.max)")
        }
        guard evaluations.allSatisfy({ $0.partialValue % s == 0 }) else {
            let multiplier = s / gcd(s, scale)
            throw TrainingError.invalidConfiguration(
                name: "reference --schedule (\(name) at equal evaluations)",
                value: stepCounts.map(String.init).joined(separator: ","),
                expected: "steps per stage N with N·\(scale) divisible by its \(s) stages "
                    + "(e.g. multiply the schedule by \(multiplier))")
        }
        return evaluations.map { $0.partialValue / s }
    }

    private static func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
}
