public import Datasets
public import Optimization

/// The optimizer and batching settings of a run (what stays fixed across epochs and cycles).
///
/// Defaults are the command line's (`mlresnet train`/`compare`): batch 32, SGD with momentum 0.9
/// and weight decay 5e-4, seed 1, decay on every parameter. (The paper's CIFAR runs used batch 100
/// and weight decay 2e-4: Chang et al., ICLR 2018, §4.)
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
    /// The parameter groups without weight decay (empty: λ on every parameter, as before the
    /// option existed).
    public var noDecay: Set<DecayExclusion>

    /// Creates a configuration.
    ///
    /// - Parameters:
    ///   - batchSize: images per training batch.
    ///   - evaluationBatchSize: images per evaluation pass.
    ///   - momentum: SGD's μ.
    ///   - weightDecay: SGD's λ.
    ///   - nesterov: Nesterov momentum.
    ///   - seed: the seed of shuffles and augmentation.
    ///   - augmentation: the augmentation of training batches.
    ///   - noDecay: the groups λ does not apply to (default none).
    public init(batchSize: Int = 32, evaluationBatchSize: Int = 500, momentum: Double = 0.9,
                weightDecay: Double = 5e-4, nesterov: Bool = false, seed: UInt64 = 1,
                augmentation: Augmentation = .none, noDecay: Set<DecayExclusion> = []) {
        self.noDecay = noDecay
        self.batchSize = batchSize
        self.evaluationBatchSize = evaluationBatchSize
        self.momentum = momentum
        self.weightDecay = weightDecay
        self.nesterov = nesterov
        self.seed = seed
        self.augmentation = augmentation
    }

    private enum CodingKeys: String, CodingKey {
        case batchSize, evaluationBatchSize, momentum, weightDecay, nesterov, seed, augmentation, noDecay
    }

    /// Decodes a configuration; a missing `noDecay` (every file written before it) is empty.
    ///
    /// - Parameter decoder: the decoder.
    /// - Throws: `DecodingError` for a missing or mistyped field.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        batchSize = try c.decode(Int.self, forKey: .batchSize)
        evaluationBatchSize = try c.decode(Int.self, forKey: .evaluationBatchSize)
        momentum = try c.decode(Double.self, forKey: .momentum)
        weightDecay = try c.decode(Double.self, forKey: .weightDecay)
        nesterov = try c.decode(Bool.self, forKey: .nesterov)
        seed = try c.decode(UInt64.self, forKey: .seed)
        augmentation = try c.decode(Augmentation.self, forKey: .augmentation)
        noDecay = try c.decodeIfPresent(Set<DecayExclusion>.self, forKey: .noDecay) ?? []
    }

    /// Encodes every field (`noDecay` sorted, so the text is canonical).
    ///
    /// - Parameter encoder: the encoder.
    /// - Throws: `EncodingError`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(batchSize, forKey: .batchSize)
        try c.encode(evaluationBatchSize, forKey: .evaluationBatchSize)
        try c.encode(momentum, forKey: .momentum)
        try c.encode(weightDecay, forKey: .weightDecay)
        try c.encode(nesterov, forKey: .nesterov)
        try c.encode(seed, forKey: .seed)
        try c.encode(augmentation, forKey: .augmentation)
        try c.encode(noDecay.map(\.rawValue).sorted(), forKey: .noDecay)
    }

    /// Checks the batch sizes and the optimizer's numbers (by building the optimizer, so whatever
    /// SGD refuses is refused here, before any training starts).
    ///
    /// - Throws: ``TrainingError/invalidConfiguration(name:value:expected:)`` for a batch size < 1,
    ///   a momentum outside `[0, 1)`, a weight decay that is not finite and ≥ 0 (or that SGD
    ///   refuses), or Nesterov without momentum.
    public func validate() throws {
        for (name, value) in [("batch size", batchSize), ("evaluation batch size", evaluationBatchSize)] where value < 1 {
            throw TrainingError.invalidConfiguration(name: name, value: "\(value)", expected: "≥ 1")
        }
        do {
            _ = try SGD(momentum: momentum, weightDecay: weightDecay, nesterov: nesterov, noDecay: noDecay)
        } catch OptimizationError.invalidHyperparameter(let name, let value, let expected) {
            throw TrainingError.invalidConfiguration(name: name, value: "\(value)", expected: expected)
        }
    }
}
