public import Autodiff
public import Datasets
public import TensorCore

extension TrainingState {
    /// Every part of a ``TrainingState`` except the momentum tensors, as one `Codable` value: what a
    /// checkpoint writer can store as JSON (or attributes) beside the tensors of
    /// ``TrainingState/optimizerBuffers`` and `ODENetwork.namedTensors()`.
    public struct Scalars: Sendable, Hashable, Codable {
        /// ``TrainingState/cycle``.
        public var cycle: Int
        /// ``TrainingState/epochInCycle``.
        public var epochInCycle: Int
        /// ``TrainingState/epoch``.
        public var epoch: Int
        /// ``TrainingState/step``.
        public var step: Int
        /// ``TrainingState/optimizerDepth`` (absent in states saved before the tag existed).
        public var optimizerDepth: Int?
        /// ``TrainingState/shuffleGenerator``.
        public var shuffleGenerator: SplitMix64
        /// ``TrainingState/augmentationGenerator``.
        public var augmentationGenerator: SplitMix64
        /// ``TrainingState/bestValidationAccuracy``.
        public var bestValidationAccuracy: Double?
        /// ``TrainingState/epochsWithoutImprovement``.
        public var epochsWithoutImprovement: Int
        /// ``TrainingState/records``.
        public var records: [EpochRecord]
        /// ``TrainingState/levels``.
        public var levels: [LevelReport]
        /// ``TrainingState/partialEpoch`` (absent in checkpoints saved at an epoch's end).
        public var partialEpoch: PartialEpoch?
        /// ``TrainingState/elapsedSeconds`` (absent in older checkpoints: 0).
        public var elapsedSeconds: Double?
    }

    /// The state without its momentum tensors.
    public var scalars: Scalars {
        Scalars(cycle: cycle, epochInCycle: epochInCycle, epoch: epoch, step: step, optimizerDepth: optimizerDepth,
                shuffleGenerator: shuffleGenerator,
                augmentationGenerator: augmentationGenerator, bestValidationAccuracy: bestValidationAccuracy,
                epochsWithoutImprovement: epochsWithoutImprovement, records: records, levels: levels,
                partialEpoch: partialEpoch, elapsedSeconds: elapsedSeconds)
    }

    /// Reassembles a state from a checkpoint's parts.
    ///
    /// - Parameters:
    ///   - scalars: the saved ``scalars``.
    ///   - optimizerBuffers: the saved momentum tensors by parameter path.
    public init(scalars: Scalars, optimizerBuffers: [ParameterPath: Tensor]) {
        self.init(seed: 0)
        cycle = scalars.cycle
        epochInCycle = scalars.epochInCycle
        epoch = scalars.epoch
        step = scalars.step
        optimizerDepth = scalars.optimizerDepth
        shuffleGenerator = scalars.shuffleGenerator
        augmentationGenerator = scalars.augmentationGenerator
        bestValidationAccuracy = scalars.bestValidationAccuracy
        epochsWithoutImprovement = scalars.epochsWithoutImprovement
        records = scalars.records
        levels = scalars.levels
        partialEpoch = scalars.partialEpoch
        elapsedSeconds = scalars.elapsedSeconds ?? 0
        self.optimizerBuffers = optimizerBuffers
    }
}

extension TrainingState {
    /// The integer part of the state by name, the layout of `Archiving.Checkpoint.counters`:
    /// `cycle`, `epochInCycle`, `epoch`, `step`, `epochsWithoutImprovement`, and `optimizerDepth`
    /// when known.
    public var counters: [String: Int] {
        var counters = ["cycle": cycle, "epochInCycle": epochInCycle, "epoch": epoch, "step": step,
                        "epochsWithoutImprovement": epochsWithoutImprovement]
        counters["optimizerDepth"] = optimizerDepth
        return counters
    }

    /// The real-valued part by name (`Checkpoint.values`): `bestValidationAccuracy` when set.
    public var values: [String: Double] {
        bestValidationAccuracy.map { ["bestValidationAccuracy": $0] } ?? [:]
    }

    /// The generator states by name (`Checkpoint.randomStates`): `shuffle`, `augmentation`, one word each.
    public var randomStates: [String: [UInt64]] {
        ["shuffle": [shuffleGenerator.state], "augmentation": [augmentationGenerator.state]]
    }

    /// Reassembles a state from the named parts of a checkpoint and the run's history.
    ///
    /// - Parameters:
    ///   - counters: ``counters`` as saved.
    ///   - values: ``values`` as saved.
    ///   - randomStates: ``randomStates`` as saved.
    ///   - optimizerBuffers: the momentum tensors by parameter path.
    ///   - records: the epochs so far (e.g. `TrainingLog.records(at:)` of the run's log, cut to
    ///     `epoch` lines); the level reports are rebuilt from them by the multilevel trainer.
    ///   - levels: the reports of completed cycles, if kept (else they are rebuilt for the cycle
    ///     in progress only).
    /// - Throws: ``TrainingError/stateMismatch(_:)`` naming a missing counter or generator, or when
    ///   `records` does not hold exactly `epoch` records.
    public init(counters: [String: Int], values: [String: Double], randomStates: [String: [UInt64]],
                optimizerBuffers: [ParameterPath: Tensor], records: [EpochRecord], levels: [LevelReport] = []) throws {
        func counter(_ name: String) throws -> Int {
            guard let value = counters[name] else { throw TrainingError.stateMismatch("no counter '\(name)'") }
            return value
        }
        func generator(_ name: String) throws -> SplitMix64 {
            guard let words = randomStates[name], words.count == 1 else {
                throw TrainingError.stateMismatch("no one-word generator state '\(name)'")
            }
            var generator = SplitMix64(seed: 0)
            generator.state = words[0]
            return generator
        }
        self.init(seed: 0)
        cycle = try counter("cycle")
        epochInCycle = try counter("epochInCycle")
        epoch = try counter("epoch")
        step = try counter("step")
        optimizerDepth = counters["optimizerDepth"]
        epochsWithoutImprovement = try counter("epochsWithoutImprovement")
        bestValidationAccuracy = values["bestValidationAccuracy"]
        shuffleGenerator = try generator("shuffle")
        augmentationGenerator = try generator("augmentation")
        guard records.count == epoch else {
            throw TrainingError.stateMismatch("\(records.count) epoch records for a state after \(epoch) epochs")
        }
        self.records = records
        self.levels = levels
        self.optimizerBuffers = optimizerBuffers
    }
}
