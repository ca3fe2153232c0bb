import Foundation
public import ODENet
public import TensorCore

/// Trains a network multi-level: the cycles of a ``MultilevelSchedule``, coarse → fine, refining
/// the network between them (Chang et al., ICLR 2018, Algorithm 1).
///
/// ```
/// 1. while state.cycle < C:
/// 2.     if the cycle is complete (its epochs done, or its plateau rule holds):
/// 3.         report the level (state.levels, observers' didFinishLevel)
/// 4.         if a finer cycle follows: θ ← P θ (k times for N_{c+1} = cf^k N_c), h by the rule,
///            momentum by the policy; the cycle's epoch and plateau bookkeeping restart
/// 5.     else: train one epoch with η from the cosine restarted at the cycle's start
/// ```
///
/// The loop's decisions depend only on ``TrainingState``, so a trainer built from a state saved
/// after any epoch (and the network saved with it) continues exactly where the run stopped.
public final class MultilevelTrainer {
    /// The plan.
    public let schedule: MultilevelSchedule
    /// The epoch trainer (its `log`, `progress` and `observers` serve the whole run).
    public let trainer: Trainer

    /// Creates a multilevel trainer at the start of a run or, given `state`, where one stopped.
    ///
    /// - Parameters:
    ///   - network: the network of the current cycle (the coarsest for a fresh run) with `N` equal to
    ///     the cycle's step count.
    ///   - data: the datasets.
    ///   - configuration: batching and SGD settings.
    ///   - schedule: the cycles.
    ///   - state: a saved state, or `nil`.
    ///   - compute: the kernel settings of every epoch, evaluation and refinement; default
    ///     `ComputeContext.current` (an enclosing `ComputeContext.run`'s, else one thread).
    /// - Throws: ``TrainingError/stateMismatch(_:)`` when the network's `N` is not the current
    ///   cycle's or the state's cycle is past the schedule; ``TrainingError/plateauNeedsValidation(cycle:)``;
    ///   the errors of ``Trainer/init(network:data:configuration:state:optimizer:compute:)``.
    public init(network: ODENetwork, data: TrainingData, configuration: TrainingConfiguration,
                schedule: MultilevelSchedule, state: TrainingState? = nil,
                compute: ComputeContext = .current) throws {
        let cycle = state?.cycle ?? 0
        guard cycle < schedule.cycles.count else {
            throw TrainingError.stateMismatch("the state is in cycle \(cycle); the schedule has "
                                              + "\(schedule.cycles.count) cycles (the run is complete)")
        }
        guard network.spec.stepCount == schedule.cycles[cycle].stepCount else {
            throw TrainingError.stateMismatch("the network has N = \(network.spec.stepCount) steps per stage; cycle "
                                              + "\(cycle) trains N = \(schedule.cycles[cycle].stepCount)")
        }
        for (c, item) in schedule.cycles.enumerated() {
            if case .plateau = item.length, data.validation == nil { throw TrainingError.plateauNeedsValidation(cycle: c) }
        }
        self.schedule = schedule
        trainer = try Trainer(network: network, data: data, configuration: configuration, state: state,
                              compute: compute)
    }

    /// The kernel settings of the run (its trainer's).
    public var compute: ComputeContext { trainer.compute }

    /// The network now (after ``run()``: the finest level's).
    public var network: ODENetwork { trainer.network }

    /// The run's state now.
    public var state: TrainingState { trainer.state }

    /// Runs the remaining cycles.
    ///
    /// - Returns: the levels' reports, every epoch's record and the final network.
    /// - Throws: ``TrainingError/nonFiniteLoss(cycle:epoch:batch:loss:)`` or
    ///   ``TrainingError/nonFiniteValue(cycle:epoch:batch:value:)`` when training diverges;
    ///   ``TrainingInterrupted`` when the trainer's interruption source stopped it;
    ///   `MultilevelError`/`TensorError` from the refinements; the trainer's and observers' errors.
    @discardableResult
    public func run() throws -> MultilevelResult {
        try compute.run { try runInContext() }
    }

    /// ``run()`` inside ``compute`` (the refinements' kernels included).
    private func runInContext() throws -> MultilevelResult {
        let rates = schedule.learningRateSchedule
        while trainer.state.cycle < schedule.cycles.count {
            let state = trainer.state
            let c = state.cycle
            if let stoppedOnPlateau = isComplete(state) {
                try finishCycle(c, stoppedOnPlateau: stoppedOnPlateau)
                continue
            }
            let record = try trainer.trainEpoch(schedule: rates, scheduleOffset: schedule.scheduleOffset(ofCycle: c))
            if case .plateau(let rule) = schedule.cycles[c].length, let accuracy = record.validationAccuracy {
                trainer.updateState { state in
                    if let best = state.bestValidationAccuracy, accuracy <= best + rule.minimumImprovement {
                        state.epochsWithoutImprovement += 1
                    } else {
                        state.bestValidationAccuracy = accuracy
                        state.epochsWithoutImprovement = 0
                    }
                }
            }
        }
        let final = trainer.state
        return MultilevelResult(levels: final.levels, records: final.records, network: trainer.network,
                                wallSeconds: final.elapsedSeconds)
    }

    /// `nil` while the current cycle goes on; otherwise whether it ended on its plateau rule.
    private func isComplete(_ state: TrainingState) -> Bool? {
        switch schedule.cycles[state.cycle].length {
        case .epochs(let e):
            return state.epochInCycle >= e ? false : nil
        case .plateau(let rule):
            if state.epochInCycle >= rule.maxEpochs { return false }
            return state.epochInCycle >= rule.minEpochs && state.epochsWithoutImprovement >= rule.patience ? true : nil
        }
    }

    /// Steps 3–4: report cycle `c`, then refine for the next one.
    private func finishCycle(_ c: Int, stoppedOnPlateau: Bool) throws {
        let network = trainer.network
        if let report = LevelReport.summarizing(trainer.state.records, cycle: c, cycleCount: schedule.cycles.count,
                                                stoppedOnPlateau: stoppedOnPlateau,
                                                parameterCount: network.parameterCount) {
            trainer.updateState { state in
                state.levels.removeAll { $0.cycle >= c }
                state.levels.append(report)
            }
            try trainer.notifyLevel(report)
        }
        guard c + 1 < schedule.cycles.count else {
            trainer.updateState { $0.beginCycle(c + 1) }
            return
        }
        var refined = network
        var buffers = trainer.state.optimizerBuffers
        let transfer = DepthTransfer.prolongation(schedule.prolongation, grid: schedule.grid)
        while refined.spec.stepCount < schedule.cycles[c + 1].stepCount {
            let coarse = refined
            refined = try coarse.transferred(transfer, rule: schedule.stepSizeRule,
                                             coarseningFactor: schedule.coarseningFactor)
            buffers = try coarse.transferredState(buffers, transfer, policy: schedule.momentumPolicy,
                                                  coarseningFactor: schedule.coarseningFactor)
        }
        if schedule.batchNormRecalibrationBatches > 0 {
            try refined.recalibrateBatchNorm(over: try trainer.recalibrationBatches(
                count: schedule.batchNormRecalibrationBatches, cycle: c + 1))
        }
        try trainer.replaceNetwork(refined, optimizerBuffers: buffers, depth: refined.spec.stepCount)
        trainer.updateState { $0.beginCycle(c + 1) }
    }
}

/// The outcome of a multilevel run.
public struct MultilevelResult {
    /// One report per cycle, coarse → fine.
    public var levels: [LevelReport]
    /// Every epoch's record.
    public var records: [EpochRecord]
    /// The finest level's network.
    public var network: ODENetwork
    /// Wall seconds of the run (training, evaluation and refinements) over all its sessions: a
    /// resumed run adds the ``TrainingState/elapsedSeconds`` saved in its state.
    public var wallSeconds: Double

    /// Seconds of the training loops over all levels (evaluation excluded).
    public var trainSeconds: Double { levels.reduce(0) { $0 + $1.trainSeconds } }
}
