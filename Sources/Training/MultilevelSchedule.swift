public import Multilevel
public import ODENet
public import Optimization

/// How long one multilevel cycle trains.
public enum CycleLength: Sendable, Hashable, Codable {
    /// A fixed number of epochs (the paper).
    case epochs(Int)
    /// Until the validation accuracy plateaus (see ``PlateauRule``).
    case plateau(PlateauRule)

    /// The most epochs the cycle can take (its length in the cosine-restart schedule).
    public var maxEpochs: Int {
        switch self {
        case .epochs(let e): return e
        case .plateau(let rule): return rule.maxEpochs
        }
    }
}

/// One cycle of a multilevel run: the depth trained and for how long.
public struct TrainingCycle: Sendable, Hashable, Codable {
    /// Steps per stage `N` in this cycle.
    public var stepCount: Int
    /// How long the cycle trains.
    public var length: CycleLength

    /// Creates a cycle.
    public init(stepCount: Int, length: CycleLength) {
        self.stepCount = stepCount
        self.length = length
    }
}

/// The plan of a multilevel run (Chang et al., ICLR 2018, Algorithm 1): cycles coarse → fine, the
/// prolongation between them, the step-size rule, what happens to momentum, and the learning
/// rate restarted at the start of every cycle.
///
/// ```
/// for cycle c = 0 … C−1:
///     if c > 0: θ ← P θ (as often as N_c / N_{c−1} = cf^k needs), h by `stepSizeRule`,
///               momentum buffers transferred or reset
///     train with η(e) = η_min + ½(η_max − η_min)(1 + cos(π e / E_c)), e = epochs into the cycle
/// ```
///
/// Invariants: `N_0 ≥ 1`; each `N_c / N_{c−1}` is a positive power of `coarseningFactor`.
public struct MultilevelSchedule: Sendable, Hashable {
    /// The cycles, coarse → fine.
    public var cycles: [TrainingCycle]
    /// `P` between cycles (the paper: `piecewiseConstant`).
    public var prolongation: Prolongation
    /// Where θ_n sits in its step, for interpolating prolongations.
    public var grid: StepGrid
    /// `halve` (the paper: `T` kept) or `keep` (the naive baseline: `h` kept, `T` doubles).
    public var stepSizeRule: StepSizeRule
    /// What happens to SGD momentum when the depth changes.
    public var momentumPolicy: StateTransferPolicy
    /// η_max, the rate at every cycle's start.
    public var maximumLearningRate: Double
    /// η_min, the rate a cycle anneals to.
    public var minimumLearningRate: Double
    /// `cf`, 2 in the paper.
    public var coarseningFactor: Int
    /// Mini-batches that recompute the batch-norm running statistics after each refinement
    /// (``/ODENet/ODENetwork/recalibrateBatchNorm(over:)``); 0 keeps the prolongated statistics.
    public var batchNormRecalibrationBatches: Int

    /// Creates and checks a schedule.
    ///
    /// - Throws: ``TrainingError/invalidConfiguration(name:value:expected:)`` for no cycles, a cycle of
    ///   no epochs, a step count < 1, a ratio between cycles that is not a positive power of `cf` or a
    ///   negative `batchNormRecalibrationBatches`; `OptimizationError` for bad rates.
    public init(cycles: [TrainingCycle], prolongation: Prolongation = .piecewiseConstant,
                grid: StepGrid = .cellCentred, stepSizeRule: StepSizeRule = .halve,
                momentumPolicy: StateTransferPolicy = .transfer, maximumLearningRate: Double,
                minimumLearningRate: Double, coarseningFactor: Int = 2, batchNormRecalibrationBatches: Int = 0) throws {
        guard batchNormRecalibrationBatches >= 0 else {
            throw TrainingError.invalidConfiguration(name: "batch-norm recalibration batches",
                                                     value: "\(batchNormRecalibrationBatches)", expected: "≥ 0 (0: off)")
        }
        guard !cycles.isEmpty else {
            throw TrainingError.invalidConfiguration(name: "cycles", value: "[]", expected: "at least one cycle")
        }
        guard coarseningFactor >= 2 else {
            throw TrainingError.invalidConfiguration(name: "coarsening factor", value: "\(coarseningFactor)",
                                                     expected: "≥ 2")
        }
        for (c, cycle) in cycles.enumerated() {
            guard cycle.length.maxEpochs >= 1 else {
                throw TrainingError.invalidConfiguration(name: "epochs of cycle \(c)", value: "\(cycle.length.maxEpochs)",
                                                         expected: "≥ 1")
            }
            guard cycle.stepCount >= 1 else {
                throw TrainingError.invalidConfiguration(name: "steps per stage of cycle \(c)",
                                                         value: "\(cycle.stepCount)", expected: "≥ 1")
            }
            if c > 0 {
                guard MultilevelSchedule.refinementCount(from: cycles[c - 1].stepCount, to: cycle.stepCount,
                                                         coarseningFactor: coarseningFactor) != nil else {
                    throw TrainingError.invalidConfiguration(
                        name: "steps per stage of cycle \(c)", value: "\(cycles[c - 1].stepCount) → \(cycle.stepCount)",
                        expected: "a refinement by a positive power of \(coarseningFactor)")
                }
            }
        }
        let schedule = LearningRateSchedule.cosineRestarts(maximum: maximumLearningRate, minimum: minimumLearningRate,
                                                           cycleEpochs: cycles.map { Double($0.length.maxEpochs) })
        try schedule.validate()
        self.cycles = cycles
        self.prolongation = prolongation
        self.grid = grid
        self.stepSizeRule = stepSizeRule
        self.momentumPolicy = momentumPolicy
        self.maximumLearningRate = maximumLearningRate
        self.minimumLearningRate = minimumLearningRate
        self.coarseningFactor = coarseningFactor
        self.batchNormRecalibrationBatches = batchNormRecalibrationBatches
    }

    /// The learning-rate schedule: a cosine restarted at every cycle, each cycle as long as its
    /// maximum epoch count.
    public var learningRateSchedule: LearningRateSchedule {
        .cosineRestarts(maximum: maximumLearningRate, minimum: minimumLearningRate,
                        cycleEpochs: cycles.map { Double($0.length.maxEpochs) })
    }

    /// The schedule epoch at which cycle `c` starts (the sum of the earlier cycles' maximum lengths).
    public func scheduleOffset(ofCycle c: Int) -> Double {
        Double(cycles.prefix(c).reduce(0) { $0 + $1.length.maxEpochs })
    }

    /// The most epochs the whole run can take.
    public var maxEpochs: Int { cycles.reduce(0) { $0 + $1.length.maxEpochs } }

    /// `k` with `fine = coarse · cf^k`, `k ≥ 1`, or `nil` when there is none.
    static func refinementCount(from coarse: Int, to fine: Int, coarseningFactor cf: Int) -> Int? {
        var (n, k) = (coarse, 0)
        while n < fine { n *= cf; k += 1 }
        return n == fine && k >= 1 ? k : nil
    }
}
