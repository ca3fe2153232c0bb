import Foundation
import Integrators
import Multilevel
public import ODENet

/// What a comparison trains, before anything is trained: the checked settings, the budget's split
/// over the cycles, the method of every network stage, each run's schedule and network spec, and
/// the theory's time saving.
///
/// The paper's experiment on one dataset and one epoch budget: the finest depth trained from
/// scratch (a), multi-level training (b), the naive rule that doubles depth but keeps `h` (c) and
/// the shallow first-cycle network (d), as ``ComparisonConfiguration/runs`` lists them. Every run
/// starts from `ODENetwork(spec:seed: networkSeed)` with `T_0` = ``coarseFinalTime`` and the cosine
/// learning rate (restarted per cycle in (b) and (c)); the single-level runs are one-cycle
/// multilevel schedules, so all four share one code path. ``ComparisonRunner`` trains a plan;
/// ``ComparisonReport/init(plan:data:outcomes:)`` reports it.
///
/// Units: `T`, `h` in depth-time; epochs; per-step learning rates.
///
/// Reference: Chang, Meng, Haber, Tung, Begert, *Multi-level Residual Networks from Dynamical
/// Systems View*, ICLR 2018, §4 (Tables 1–2; budget split 60/50/50 epochs, theory §3.3).
public struct ComparisonPlan: Sendable {
    /// The settings, checked.
    public let configuration: ComparisonConfiguration
    /// The epochs of each multilevel cycle (``ComparisonConfiguration/cycleEpochs``, else
    /// ``paperSplit(epochs:cycles:)``).
    public let cycleEpochs: [Int]
    /// The method of each network stage, one per stage (stage 0 first): the configuration's
    /// single entry repeated, or its per-stage list.
    public let stageMethods: [IntegratorChoice]

    /// Checks the settings and plans the comparison.
    ///
    /// - Parameter configuration: the settings.
    /// - Throws: ``TrainingError/invalidConfiguration(name:value:expected:)`` naming the field for
    ///   a budget smaller than the cycle count (`epochs`), explicit cycle epochs that do not sum to
    ///   the budget or do not match the cycles (`cycle epochs`), a learning rate that is not finite
    ///   and `> 0` or a minimum above the maximum, `η_max · weight decay ≥ 1`, an `integrators` list
    ///   that is empty or neither one method nor one per stage, a `runs` list that is empty or
    ///   repeats a run, a negative `batchNormRecalibrationBatches`; ``TrainingConfiguration/validate()``'s
    ///   errors; the schedule's errors.
    public init(configuration: ComparisonConfiguration) throws {
        let c = configuration
        guard !c.stepCounts.isEmpty else {
            throw TrainingError.invalidConfiguration(name: "step counts", value: "[]", expected: "at least one cycle's N")
        }
        guard !c.stageChannels.isEmpty, c.stageChannels.allSatisfy({ (1...65536).contains($0) }) else {
            throw TrainingError.invalidConfiguration(name: "stage channels", value: "\(c.stageChannels)",
                                                     expected: "at least one stage, each 1…65536 channels")
        }
        if let finalTime = c.finalTime, !(finalTime > 0 && finalTime.isFinite && finalTime < 1e6) {
            throw TrainingError.invalidConfiguration(name: "final time T", value: "\(finalTime)",
                                                     expected: "a positive finite depth-time below 10⁶")
        }
        guard c.batchNormRecalibrationBatches >= 0 else {
            throw TrainingError.invalidConfiguration(name: "batch-norm recalibration batches",
                                                     value: "\(c.batchNormRecalibrationBatches)", expected: "≥ 0 (0: off)")
        }
        guard c.batchNormRecalibrationBatches == 0 || c.training.batchSize >= 2 else {
            // One-image batches give no batch variance: the recalibration would find no batch after a cycle.
            throw TrainingError.invalidConfiguration(name: "batch size with batch-norm recalibration",
                                                     value: "\(c.training.batchSize)", expected: "≥ 2 images per batch")
        }
        let augmentation = c.training.augmentation
        guard (0...64).contains(augmentation.padding) else {
            throw TrainingError.invalidConfiguration(name: "augmentation padding", value: "\(augmentation.padding)",
                                                     expected: "0…64 pixels")
        }
        guard c.epochs >= c.stepCounts.count else {
            throw TrainingError.invalidConfiguration(name: "epochs", value: "\(c.epochs)",
                                                     expected: "≥ the number of cycles (\(c.stepCounts.count))")
        }
        let split = c.cycleEpochs ?? ComparisonPlan.paperSplit(epochs: c.epochs, cycles: c.stepCounts.count)
        guard split.count == c.stepCounts.count, split.allSatisfy({ $0 >= 1 }), split.reduce(0, +) == c.epochs else {
            throw TrainingError.invalidConfiguration(
                name: "cycle epochs", value: "\(split)",
                expected: "\(c.stepCounts.count) values ≥ 1 summing to the budget \(c.epochs)")
        }
        try c.training.validate()
        guard c.maximumLearningRate.isFinite, c.maximumLearningRate > 0, Float(c.maximumLearningRate).isNormal else {
            throw TrainingError.invalidConfiguration(name: "maximum learning rate", value: "\(c.maximumLearningRate)",
                                                     expected: "a finite value > 0")
        }
        guard c.minimumLearningRate.isFinite, c.minimumLearningRate > 0, Float(c.minimumLearningRate).isNormal,
              c.minimumLearningRate <= c.maximumLearningRate else {
            throw TrainingError.invalidConfiguration(name: "minimum learning rate", value: "\(c.minimumLearningRate)",
                                                     expected: "a finite value > 0 and ≤ the maximum \(c.maximumLearningRate)")
        }
        guard c.maximumLearningRate * c.training.weightDecay < 1 else {
            throw TrainingError.invalidConfiguration(
                name: "weight decay", value: "\(c.training.weightDecay)",
                expected: "learning rate × weight decay < 1 (maximum learning rate \(c.maximumLearningRate))")
        }
        self.configuration = c
        cycleEpochs = split
        stageMethods = try ComparisonPlan.stageMethods(c.integrators, stageCount: c.stageChannels.count)
        try ComparisonPlan.checkRuns(c.runs)
        _ = try schedule(for: .multilevel)
    }

    /// The method of every network stage.
    ///
    /// - Parameters:
    ///   - integrators: one method for every stage, or one per stage.
    ///   - stageCount: the network's stages (channel list entries).
    /// - Returns: `stageCount` methods.
    /// - Throws: ``TrainingError/invalidConfiguration(name:value:expected:)`` named `integrators`
    ///   for another count.
    static func stageMethods(_ integrators: [IntegratorChoice], stageCount: Int) throws -> [IntegratorChoice] {
        if integrators.count == 1 { return Array(repeating: integrators[0], count: stageCount) }
        guard integrators.count == stageCount else {
            throw TrainingError.invalidConfiguration(
                name: "integrators", value: "\(integrators.count) methods (\(integrators.map(\.name).joined(separator: ",")))",
                expected: "1 method for every stage or one per stage (\(stageCount) stages)")
        }
        return integrators
    }

    /// Refuses an empty run list and a repeated run.
    ///
    /// - Throws: ``TrainingError/invalidConfiguration(name:value:expected:)`` named `runs`.
    static func checkRuns(_ runs: [ComparisonRunKind]) throws {
        let names = "[" + runs.map(\.rawValue).joined(separator: ",") + "]"
        guard !runs.isEmpty else {
            throw TrainingError.invalidConfiguration(
                name: "runs", value: names,
                expected: "at least one of \(ComparisonRunKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard Set(runs).count == runs.count else {
            throw TrainingError.invalidConfiguration(name: "runs", value: names, expected: "each run at most once")
        }
    }

    /// The runs trained, in order (``ComparisonConfiguration/runs``).
    public var runs: [ComparisonRunKind] { configuration.runs }

    /// The methods as one string, for tables and ``ComparisonReport/integrator``: the name when
    /// every stage uses the same method (e.g. `forwardEuler`), else the stages' names
    /// comma-joined, stage 0 first (e.g. `rk4Classic,forwardEuler,forwardEuler`).
    public var integratorDescription: String {
        let names = stageMethods.map(\.name)
        return Set(stageMethods).count == 1 ? names[0] : names.joined(separator: ",")
    }

    /// The spec of a network with `N` steps per stage (final time `T` given) for `data`, each stage
    /// with its method of ``stageMethods``.
    ///
    /// - Parameters:
    ///   - stepCount: `N`, steps per stage.
    ///   - finalTime: `T`, in depth-time.
    ///   - data: the data (input shape and class count).
    /// - Returns: the spec.
    /// - Throws: `ODENetError` for an invalid architecture.
    public func spec(stepCount: Int, finalTime: Double, data: TrainingData) throws -> ODENetSpec {
        try ODENetSpec(inputShape: [data.training.height, data.training.width, data.training.channels],
                       classCount: data.training.classCount, stageChannels: configuration.stageChannels,
                       stepCount: stepCount, finalTime: finalTime, integrators: stageMethods.map(\.integrator))
    }

    /// `T` of the coarsest network, in depth-time: ``ComparisonConfiguration/finalTime``, else
    /// `N_0` (`h = 1`, as the paper).
    public var coarseFinalTime: Double { configuration.finalTime ?? Double(configuration.stepCounts[0]) }

    /// The schedule of a run: (a) the finest `N` for the whole budget, (d) the coarsest `N` for the
    /// whole budget, (b) and (c) the cycles of ``cycleEpochs`` (each stopping on a plateau when the
    /// configuration asks), `h` halved at each refinement in (b) and kept in (c).
    ///
    /// - Parameter kind: the run.
    /// - Returns: its schedule.
    /// - Throws: ``TrainingError`` for an invalid schedule or plateau rule.
    public func schedule(for kind: ComparisonRunKind) throws -> MultilevelSchedule {
        let c = configuration
        let cycles: [TrainingCycle]
        switch kind {
        case .full: cycles = [TrainingCycle(stepCount: c.stepCounts.last!, length: .epochs(c.epochs))]
        case .shallow: cycles = [TrainingCycle(stepCount: c.stepCounts[0], length: .epochs(c.epochs))]
        case .multilevel, .naive:
            cycles = try zip(c.stepCounts, cycleEpochs).map { n, e in
                guard let plateau = c.plateau else { return TrainingCycle(stepCount: n, length: .epochs(e)) }
                return TrainingCycle(stepCount: n, length: .plateau(try PlateauRule(
                    minimumImprovement: plateau.minimumImprovement, patience: plateau.patience, maxEpochs: e)))
            }
        }
        return try MultilevelSchedule(cycles: cycles, prolongation: c.prolongation, grid: c.grid,
                                      stepSizeRule: kind == .naive ? .keep : .halve, momentumPolicy: c.momentumPolicy,
                                      maximumLearningRate: c.maximumLearningRate,
                                      minimumLearningRate: c.minimumLearningRate,
                                      batchNormRecalibrationBatches: c.batchNormRecalibrationBatches)
    }

    /// Evaluations of the residual `F` in one forward pass of a network with `N` steps per stage,
    /// all stages: `Σ_stages s_stage · N` (`s_stage` the stage's Runge–Kutta stage count, plus any
    /// starting evaluations: ``/Integrators/Integrator/evaluationCount(stepCount:)``).
    ///
    /// - Parameter stepCount: `N`.
    /// - Returns: the count per image (`Int.max` on overflow).
    public func functionEvaluationsPerImage(stepCount: Int) -> Int {
        stageMethods.reduce(0) { total, method in
            let (sum, overflow) = total.addingReportingOverflow(method.integrator.evaluationCount(stepCount: stepCount))
            return overflow ? Int.max : sum
        }
    }
}
