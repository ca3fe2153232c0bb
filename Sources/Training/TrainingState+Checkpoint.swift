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
    }

    /// The state without its momentum tensors.
    public var scalars: Scalars {
        Scalars(cycle: cycle, epochInCycle: epochInCycle, epoch: epoch, step: step, shuffleGenerator: shuffleGenerator,
                augmentationGenerator: augmentationGenerator, bestValidationAccuracy: bestValidationAccuracy,
                epochsWithoutImprovement: epochsWithoutImprovement, records: records, levels: levels)
    }

    /// Reassembles a state from a checkpoint's parts.
    ///
    /// - Parameters:
    ///   - scalars: the saved ``scalars``.
    ///   - optimizerBuffers: the saved momentum tensors by parameter name.
    public init(scalars: Scalars, optimizerBuffers: [String: Tensor]) {
        self.init(seed: 0)
        cycle = scalars.cycle
        epochInCycle = scalars.epochInCycle
        epoch = scalars.epoch
        step = scalars.step
        shuffleGenerator = scalars.shuffleGenerator
        augmentationGenerator = scalars.augmentationGenerator
        bestValidationAccuracy = scalars.bestValidationAccuracy
        epochsWithoutImprovement = scalars.epochsWithoutImprovement
        records = scalars.records
        levels = scalars.levels
        self.optimizerBuffers = optimizerBuffers
    }
}
