public import Autodiff
public import Datasets
public import TensorCore

/// Everything besides the network's tensors that a trainer needs to continue a run exactly:
/// position (cycle, epoch, step), optimizer momentum, generator states, plateau bookkeeping and
/// the history so far.
///
/// Invariants: `records.count == epoch`; `records.last?.globalEpoch == epoch − 1`. Restoring a
/// state (with the network's tensors saved at the same moment) and training on reproduces the
/// uninterrupted run bit for bit at a fixed thread count.
public struct TrainingState: Sendable {
    /// The cycle in progress (0 for plain training).
    public var cycle: Int
    /// Epochs completed in the current cycle.
    public var epochInCycle: Int
    /// Epochs completed over the whole run.
    public var epoch: Int
    /// SGD steps taken over the whole run.
    public var step: Int
    /// The optimizer's state (SGD's momentum buffers) by parameter path.
    public var optimizerBuffers: [ParameterPath: Tensor]
    /// The steps per stage `N` of the network ``optimizerBuffers`` belong to (`nil`: unknown, e.g. a
    /// checkpoint written before the tag existed, or no step taken yet).
    public var optimizerDepth: Int?
    /// The generator that shuffles each epoch.
    public var shuffleGenerator: SplitMix64
    /// The generator that the augmentation draws from.
    public var augmentationGenerator: SplitMix64
    /// The best validation accuracy seen in the current cycle (plateau rule), if any.
    public var bestValidationAccuracy: Double?
    /// Epochs of the current cycle since the best validation accuracy last improved by δ.
    public var epochsWithoutImprovement: Int
    /// The records of every completed epoch.
    public var records: [EpochRecord]
    /// The reports of every completed cycle.
    public var levels: [LevelReport]
    /// Where the epoch in progress stopped, when the run was interrupted inside it (`nil` at an
    /// epoch boundary): the trainer continues that epoch from its next batch.
    public var partialEpoch: PartialEpoch?
    /// Wall seconds spent in the trainers over every session of the run so far (time between a
    /// stop and its resume excluded). Units: seconds.
    public var elapsedSeconds: Double

    /// The state at the start of a run.
    ///
    /// Generators: shuffles use `SplitMix64(seed: seed)`, augmentation
    /// `SplitMix64(seed: seed ^ 0x5DEECE66D)`, so the two streams never coincide.
    ///
    /// - Parameter seed: the run's data seed.
    public init(seed: UInt64) {
        cycle = 0
        epochInCycle = 0
        epoch = 0
        step = 0
        optimizerBuffers = [:]
        optimizerDepth = nil
        shuffleGenerator = SplitMix64(seed: seed)
        augmentationGenerator = SplitMix64(seed: seed ^ 0x5_DEEC_E66D)
        bestValidationAccuracy = nil
        epochsWithoutImprovement = 0
        records = []
        levels = []
        partialEpoch = nil
        elapsedSeconds = 0
    }

    /// Clears the per-cycle bookkeeping when a new cycle starts.
    mutating func beginCycle(_ next: Int) {
        cycle = next
        epochInCycle = 0
        bestValidationAccuracy = nil
        epochsWithoutImprovement = 0
    }
}

/// The position inside an epoch that was interrupted after a batch, with the epoch's running sums:
/// what the trainer needs to finish that epoch as the uninterrupted run would have.
///
/// The batch order is rebuilt from ``shuffleGeneratorAtStart`` (the shuffle of the epoch's step 1);
/// the augmentation generator and the momentum continue from the state they belong to.
public struct PartialEpoch: Sendable, Hashable, Codable {
    /// The shuffle generator before the epoch's shuffle.
    public var shuffleGeneratorAtStart: SplitMix64
    /// Batches of the epoch finished (the next one to train has this index).
    public var batchesDone: Int
    /// Σ loss · batch size over the finished batches.
    public var lossSum: Double
    /// Σ accuracy · batch size over the finished batches.
    public var correct: Double
    /// Images of the finished batches.
    public var images: Int
    /// The learning rate of the epoch's first batch.
    public var firstLearningRate: Double
    /// The learning rate of the last finished batch.
    public var lastLearningRate: Double
    /// Seconds spent training the finished batches. Units: seconds.
    public var trainSeconds: Double

    /// Creates a position.
    ///
    /// - Parameters:
    ///   - shuffleGeneratorAtStart: the shuffle generator before the epoch's shuffle.
    ///   - batchesDone: batches finished.
    ///   - lossSum: Σ loss · batch size.
    ///   - correct: Σ accuracy · batch size.
    ///   - images: images trained.
    ///   - firstLearningRate: η of batch 0.
    ///   - lastLearningRate: η of the last finished batch.
    ///   - trainSeconds: seconds spent so far.
    public init(shuffleGeneratorAtStart: SplitMix64, batchesDone: Int, lossSum: Double, correct: Double, images: Int,
                firstLearningRate: Double, lastLearningRate: Double, trainSeconds: Double) {
        self.shuffleGeneratorAtStart = shuffleGeneratorAtStart
        self.batchesDone = batchesDone
        self.lossSum = lossSum
        self.correct = correct
        self.images = images
        self.firstLearningRate = firstLearningRate
        self.lastLearningRate = lastLearningRate
        self.trainSeconds = trainSeconds
    }
}
