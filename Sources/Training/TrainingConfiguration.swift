public import Datasets

/// The optimizer and batching settings of a run (what stays fixed across epochs and cycles).
///
/// Defaults are the paper's SGD settings (momentum 0.9, weight decay 2e-4, batch 100).
/// Reference: Chang et al., ICLR 2018, §4.
public struct TrainingConfiguration: Sendable, Hashable, Codable {
    /// Images per training mini-batch.
    public var batchSize: Int
    /// Images per evaluation forward pass.
    public var evaluationBatchSize: Int
    /// SGD momentum μ.
    public var momentum: Double
    /// SGD weight decay λ.
    public var weightDecay: Double
    /// Nesterov momentum.
    public var nesterov: Bool
    /// The seed of the shuffles and the augmentation (see ``TrainingState/init(seed:)``).
    public var seed: UInt64
    /// The augmentation of training batches.
    public var augmentation: Augmentation

    /// Creates a configuration.
    public init(batchSize: Int = 100, evaluationBatchSize: Int = 500, momentum: Double = 0.9,
                weightDecay: Double = 2e-4, nesterov: Bool = false, seed: UInt64 = 0,
                augmentation: Augmentation = .none) {
        self.batchSize = batchSize
        self.evaluationBatchSize = evaluationBatchSize
        self.momentum = momentum
        self.weightDecay = weightDecay
        self.nesterov = nesterov
        self.seed = seed
        self.augmentation = augmentation
    }

    /// Checks the batch sizes (the optimizer checks its own numbers).
    ///
    /// - Throws: ``TrainingError/invalidConfiguration(name:value:expected:)`` for a batch size < 1.
    public func validate() throws {
        for (name, value) in [("batch size", batchSize), ("evaluation batch size", evaluationBatchSize)] where value < 1 {
            throw TrainingError.invalidConfiguration(name: name, value: "\(value)", expected: "≥ 1")
        }
    }
}
