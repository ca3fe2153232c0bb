import Foundation
public import ODENet
public import Optimization
import Autodiff
public import Datasets
public import TensorCore

/// Trains a network by SGD over shuffled mini-batches, one epoch at a time, evaluating after
/// every epoch.
///
/// One epoch (numbered steps):
/// ```
/// 1. order ← shuffle(0..<count) with state.shuffleGenerator; cut into batches of B
/// 2. for batch b = 0 … ⌈count/B⌉ − 1:
///      η ← schedule.rate(atEpoch: offset + e + b / batches)
///      step(batch:learningRate:) — TrainingStep: loss, backward, objective hooks, gradient hooks,
///      screen (stop if a running statistic, a gradient or a weight after the update is NaN or ±∞),
///      optimizer update (weights in place, gradients zeroed)
///      if the interruption source asks: save the position (state.partialEpoch), observers'
///      didInterrupt, throw TrainingInterrupted
/// 3. evaluate validation and test parts (evaluation mode)
/// 4. record, log line, progress line, observers
/// ```
///
/// The trainer owns its position in ``state``; a trainer built from a saved state and the
/// network's tensors saved with it continues the run exactly (bit for bit at a fixed thread count),
/// also from inside an epoch that was interrupted after a batch (step 1 then rebuilds the epoch's
/// order from the saved shuffle state and step 2 starts at the next batch, with the epoch's sums).
///
/// Divergence: the finiteness screen of step 2 runs before the update, so a NaN or ±∞ never reaches
/// the weights or the momentum buffers (a running statistic made non-finite by the forward pass is
/// in the network already; the run stops before any observer or checkpoint sees it). Its cost is
/// one read of every parameter, gradient, buffer and running statistic per step.
///
/// Hooks: ``gradientHooks`` (after backward, before the update) and ``objectiveHooks`` (terms of
/// the parameters added to the loss with their gradients) run inside every step; see
/// ``TrainingStep``.
///
/// Threads: ``compute`` holds the kernel thread count. ``step(batch:learningRate:)``,
/// ``trainEpoch(schedule:scheduleOffset:)`` (its batches, evaluation and observers) and
/// ``evaluate(_:)`` each apply it on the thread that calls them and restore that thread's count
/// after (see `ComputeContext`): a trainer may be driven from any thread.
public final class Trainer {
    /// The kernel settings of every step and evaluation (recorded with the run by its caller).
    public var compute: ComputeContext { stepper.compute }
    /// The network being trained (replaced by a refined one between multilevel cycles).
    public var network: ODENetwork { stepper.network }
    /// Called after backward, before the update, in order (``GradientHook``).
    public var gradientHooks: [GradientHook] {
        get { stepper.gradientHooks }
        set { stepper.gradientHooks = newValue }
    }
    /// Terms added to the objective with their gradients, in order (``ObjectiveHook``).
    public var objectiveHooks: [ObjectiveHook] {
        get { stepper.objectiveHooks }
        set { stepper.objectiveHooks = newValue }
    }
    /// The datasets.
    public let data: TrainingData
    /// The update rule in use (SGD from ``configuration`` unless one was given).
    public var optimizer: any Optimizer { stepper.optimizer }
    /// Batch sizes, SGD settings, seed and augmentation.
    public let configuration: TrainingConfiguration
    /// The JSON-lines log, if any.
    public var log: TrainingLog?
    /// The progress display, if any.
    public var progress: ProgressReporter?
    /// The observers, called in order.
    public var observers: [any TrainingObserver] = []
    /// Polled after every batch: when it asks to stop, the trainer saves its position inside the
    /// epoch (``TrainingObserver/didInterrupt(_:network:state:)``) and throws ``TrainingInterrupted``.
    public var interruption: (any InterruptionSource)?

    private let stepper: TrainingStep
    private var stored: TrainingState
    private let batcher: MiniBatcher
    /// The batch index within the epoch of the next step (for errors).
    private var batchInEpoch = 0
    /// When this trainer started (``TrainingState/elapsedSeconds`` adds the time since).
    private let clock = Date()

    /// Creates a trainer at the start of a run or, given `state`, where a previous one stopped.
    ///
    /// - Parameters:
    ///   - network: the network to train (its tensors must be those saved with `state`, if any).
    ///   - data: the datasets; their geometry must match the network's input.
    ///   - configuration: batching and SGD settings.
    ///   - state: a saved state to resume from, or `nil` for a fresh run (``TrainingState/init(seed:)``).
    ///   - optimizer: the update rule; `nil` (the default) is `SGD` with the configuration's momentum,
    ///     weight decay, Nesterov flag and `noDecay` groups. Its state is replaced by `state`'s.
    ///   - compute: the kernel settings; default `ComputeContext.current` (the context of an
    ///     enclosing `ComputeContext.run`, else `ComputeContext.default`, one thread).
    /// - Throws: ``TrainingError/incompatibleData(dataset:message:)`` when the images or classes do
    ///   not fit the network; ``TrainingError/invalidConfiguration(name:value:expected:)``;
    ///   `OptimizationError` for bad SGD settings, and `OptimizationError.depthMismatch` when the
    ///   state's momentum buffers belong to a network with another `N` than `network`'s.
    public init(network: ODENetwork, data: TrainingData, configuration: TrainingConfiguration,
                state: TrainingState? = nil, optimizer: (any Optimizer)? = nil,
                compute: ComputeContext = .current) throws {
        try configuration.validate()
        let spec = network.spec
        let set = data.training
        guard set.height == spec.inputHeight, set.width == spec.inputWidth, set.channels == spec.inputChannels,
              set.classCount <= spec.classCount else {
            throw TrainingError.incompatibleData(
                dataset: set.name,
                message: "images \(set.height)×\(set.width)×\(set.channels) with \(set.classCount) classes; the network "
                    + "takes \(spec.inputHeight)×\(spec.inputWidth)×\(spec.inputChannels) with \(spec.classCount)")
        }
        self.data = data
        self.configuration = configuration
        var optimizer = try optimizer ?? SGD(momentum: configuration.momentum, weightDecay: configuration.weightDecay,
                                             nesterov: configuration.nesterov, noDecay: configuration.noDecay)
        let stored = state ?? TrainingState(seed: configuration.seed)
        optimizer.setState(stored.optimizerBuffers, depth: stored.optimizerDepth)
        self.stored = stored
        stepper = try TrainingStep(network: network, optimizer: optimizer, compute: compute)
        batcher = try MiniBatcher(dataset: data.training, statistics: data.statistics,
                                  batchSize: configuration.batchSize, augmentation: configuration.augmentation)
    }

    /// The run's state now (the optimizer's buffers included).
    public var state: TrainingState {
        var state = stored
        state.optimizerBuffers = stepper.optimizer.state
        state.optimizerDepth = stepper.optimizer.depth
        state.elapsedSeconds = stored.elapsedSeconds + Date().timeIntervalSince(clock)
        return state
    }

    /// One training step on `batch` (``TrainingStep/step(_:learningRate:at:)``: loss, backward,
    /// objective hooks, gradient hooks, divergence screen, update); counts in ``TrainingState/step``.
    ///
    /// - Parameters:
    ///   - batch: normalized images of the network's geometry and their labels.
    ///   - learningRate: η of this step.
    /// - Returns: the loss, the objective terms and the accuracy before the update.
    /// - Throws: ``TrainingError/nonFiniteLoss(cycle:epoch:batch:loss:)`` and
    ///   ``TrainingError/nonFiniteValue(cycle:epoch:batch:value:)`` (nothing updated); hook,
    ///   kernel and `OptimizationError`s.
    @discardableResult
    public func step(batch: TrainingBatch, learningRate: Double) throws -> StepResult {
        let result = try stepper.step(batch, learningRate: learningRate,
                                      at: StepPosition(cycle: stored.cycle, epoch: stored.epochInCycle,
                                                       batch: batchInEpoch))
        stored.step += 1
        return result
    }

    /// Mini-batches per epoch.
    public var batchesPerEpoch: Int { batcher.batchCount }

    /// Trains until ``TrainingState/epoch`` reaches `epochs` (nothing when it already has).
    ///
    /// - Parameters:
    ///   - epochs: the run's total epoch count.
    ///   - schedule: the learning rate as a function of the global epoch.
    /// - Returns: the records of the epochs trained by this call.
    /// - Throws: ``TrainingError/nonFiniteLoss(cycle:epoch:batch:loss:)`` or
    ///   ``TrainingError/nonFiniteValue(cycle:epoch:batch:value:)`` when training diverges;
    ///   ``TrainingInterrupted`` when ``interruption`` asked to stop (after the observers saved the
    ///   state); ``TrainingError/stateMismatch(_:)`` for a partial epoch that does not fit;
    ///   ``TrainingError/invalidConfiguration(name:value:expected:)`` for `epochs < 1`; kernel,
    ///   data, optimizer and observer errors.
    @discardableResult
    public func train(epochs: Int, schedule: LearningRateSchedule) throws -> [EpochRecord] {
        guard epochs >= 1 else {
            throw TrainingError.invalidConfiguration(name: "epochs", value: "\(epochs)", expected: "≥ 1")
        }
        try schedule.validate()
        var records: [EpochRecord] = []
        while stored.epoch < epochs {
            records.append(try trainEpoch(schedule: schedule, scheduleOffset: Double(stored.epoch - stored.epochInCycle)))
        }
        return records
    }

    /// Trains one epoch (see the type's steps) and evaluates.
    ///
    /// - Parameters:
    ///   - schedule: the learning-rate schedule.
    ///   - scheduleOffset: the schedule epoch at which the current cycle started (the rate of batch
    ///     `b` is `schedule.rate(atEpoch: scheduleOffset + epochInCycle + b / batches)`).
    /// - Returns: the epoch's record.
    /// - Throws: as ``train(epochs:schedule:)``.
    @discardableResult
    public func trainEpoch(schedule: LearningRateSchedule, scheduleOffset: Double) throws -> EpochRecord {
        try compute.run { try trainEpochInContext(schedule: schedule, scheduleOffset: scheduleOffset) }
    }

    /// ``trainEpoch(schedule:scheduleOffset:)`` inside ``compute``.
    private func trainEpochInContext(schedule: LearningRateSchedule, scheduleOffset: Double) throws -> EpochRecord {
        let start = Date()
        // An epoch interrupted after some batch continues from the next one, with its sums.
        let resumed = stored.partialEpoch
        let shuffleAtStart = resumed?.shuffleGeneratorAtStart ?? stored.shuffleGenerator
        var shuffle = shuffleAtStart
        let batches = batcher.shuffledBatches(using: &shuffle)
        if resumed != nil, shuffle != stored.shuffleGenerator {
            throw TrainingError.stateMismatch("the interrupted epoch's shuffle does not lead to the saved generator state")
        }
        stored.shuffleGenerator = shuffle
        var lossSum = resumed?.lossSum ?? 0
        var correct = resumed?.correct ?? 0
        var images = resumed?.images ?? 0
        var (firstRate, lastRate) = (resumed?.firstLearningRate ?? 0, resumed?.lastLearningRate ?? 0)
        let firstBatch = resumed?.batchesDone ?? 0
        guard firstBatch <= batches.count else {
            throw TrainingError.stateMismatch("the interrupted epoch finished \(firstBatch) batches; it has \(batches.count)")
        }
        for (b, indices) in batches.enumerated().dropFirst(firstBatch) {
            let rate = schedule.rate(atEpoch: scheduleOffset + Double(stored.epochInCycle)
                                     + Double(b) / Double(batches.count))
            if b == 0 { firstRate = rate }
            lastRate = rate
            let (input, labels) = try batcher.batch(indices, augmented: true, generator: &stored.augmentationGenerator)
            batchInEpoch = b
            let result = try step(batch: TrainingBatch(input: input, labels: labels), learningRate: rate)
            let value = objectiveHooks.isEmpty ? Double(result.loss) : result.objective
            lossSum += value * Double(indices.count)
            correct += result.accuracy * Double(indices.count)
            images += indices.count
            progress?.batchFinished(epoch: stored.epoch, batch: b + 1, batchCount: batches.count, loss: value)
            if interruption?.isRequested == true {
                try stop(at: PartialEpoch(shuffleGeneratorAtStart: shuffleAtStart, batchesDone: b + 1, lossSum: lossSum,
                                          correct: correct, images: images, firstLearningRate: firstRate,
                                          lastLearningRate: lastRate,
                                          trainSeconds: (resumed?.trainSeconds ?? 0) + Date().timeIntervalSince(start)),
                         batchCount: batches.count)
            }
        }
        stored.partialEpoch = nil
        let trainSeconds = (resumed?.trainSeconds ?? 0) + Date().timeIntervalSince(start)
        let evaluationStart = Date()
        let validation = try data.validation.map { try evaluate($0) }
        let test = try data.test.map { try evaluate($0) }
        let evaluationSeconds = Date().timeIntervalSince(evaluationStart)
        let spec = network.spec
        let record = EpochRecord(
            cycle: stored.cycle, epoch: stored.epochInCycle, globalEpoch: stored.epoch, globalStep: stored.step,
            stepCount: spec.stepCount, stepSize: spec.stepSize, finalTime: spec.finalTime, batches: batches.count,
            images: images, loss: lossSum / Double(images), trainAccuracy: correct / Double(images),
            validationAccuracy: validation?.accuracy, validationLoss: validation?.loss,
            testAccuracy: test?.accuracy, testLoss: test?.loss, learningRateStart: firstRate,
            learningRateEnd: lastRate, trainSeconds: trainSeconds, evaluationSeconds: evaluationSeconds,
            imagesPerSecond: Double(images) / max(trainSeconds, 1e-9))
        stored.epoch += 1
        stored.epochInCycle += 1
        stored.records.append(record)
        try log?.append(record)
        progress?.epochFinished(record)
        let snapshot = state
        for observer in observers { try observer.didFinishEpoch(record, network: network, state: snapshot) }
        return record
    }

    /// Evaluates the current network on `dataset` (evaluation mode; nothing changes).
    ///
    /// - Parameter dataset: images of the training data's geometry.
    /// - Returns: the mean loss and accuracy.
    /// - Throws: as ``Evaluation/of(_:on:statistics:batchSize:compute:)``.
    public func evaluate(_ dataset: Dataset) throws -> Evaluation {
        try Evaluation.of(network, on: dataset, statistics: data.statistics,
                          batchSize: configuration.evaluationBatchSize, compute: compute)
    }

    /// Saves the position inside the epoch, hands the state to the observers and throws.
    private func stop(at position: PartialEpoch, batchCount: Int) throws -> Never {
        stored.partialEpoch = position
        let snapshot = state
        for observer in observers { try observer.didInterrupt(position, network: network, state: snapshot) }
        throw TrainingInterrupted(cycle: stored.cycle, epoch: stored.epochInCycle, batchesDone: position.batchesDone,
                                  batchCount: batchCount)
    }

    // MARK: Multilevel hooks

    /// Replaces the network (after a depth transfer) and the optimizer's buffers.
    ///
    /// - Parameters:
    ///   - network: the new network.
    ///   - optimizerBuffers: momentum buffers by parameter path.
    ///   - depth: the steps per stage `N` of the network the buffers belong to.
    /// - Throws: `OptimizationError.depthMismatch` when `depth` is not `network`'s `N` (nothing changes).
    func replaceNetwork(_ network: ODENetwork, optimizerBuffers: [ParameterPath: Tensor], depth: Int) throws {
        try stepper.replaceNetwork(network, optimizerState: optimizerBuffers, depth: depth)
    }

    /// The input batches of a batch-norm recalibration before cycle `cycle`: the first `count`
    /// mini-batches of a shuffle of the training set by `SplitMix64(seed: seed + cycle · 0x9E3779B97F4A7C15)`
    /// (the configuration's seed; the training shuffles and augmentation are not advanced, so the
    /// rest of the run draws what it would draw without recalibration), without augmentation,
    /// batches of one image left out (no variance). Fewer when one pass holds fewer.
    func recalibrationBatches(count: Int, cycle: Int) throws -> [Tensor] {
        var shuffle = SplitMix64(seed: configuration.seed &+ UInt64(cycle) &* 0x9E37_79B9_7F4A_7C15)
        var unused = SplitMix64(seed: 0)
        return try batcher.shuffledBatches(using: &shuffle).filter { $0.count > 1 }.prefix(count).map {
            try batcher.batch($0, augmented: false, generator: &unused).input
        }
    }

    /// Mutable access to the stored state (the multilevel trainer's cycle bookkeeping).
    func updateState(_ body: (inout TrainingState) -> Void) { body(&stored) }

    /// Notifies the observers that a level is done.
    func notifyLevel(_ level: LevelReport) throws {
        let snapshot = state
        for observer in observers { try observer.didFinishLevel(level, network: network, state: snapshot) }
    }
}
