public import Datasets
public import TensorCore

/// Turns a dataset into normalized NHWC mini-batches: shuffled per epoch for training, in file
/// order for evaluation.
///
/// Order: an epoch's order is `0..<count` shuffled by `SplitMix64.shuffle` with the caller's
/// generator, cut into consecutive batches of `batchSize` (the last one may be smaller; no image
/// is dropped). Augmentation draws from a second generator, image by image in batch order.
///
/// Shape: a batch is `[b, height, width, channels]`, `b ≤ batchSize`.
public struct MiniBatcher: Sendable {
    /// The images batched.
    public let dataset: Dataset
    /// Their normalization.
    public let statistics: ChannelStatistics
    /// Images per batch.
    public let batchSize: Int
    /// The augmentation applied to training batches (never to evaluation batches).
    public let augmentation: Augmentation

    /// Creates a batcher.
    ///
    /// - Throws: ``TrainingError/invalidConfiguration(name:value:expected:)`` for a batch size < 1;
    ///   ``TrainingError/incompatibleData(dataset:message:)`` for an empty dataset.
    public init(dataset: Dataset, statistics: ChannelStatistics, batchSize: Int,
                augmentation: Augmentation = .none) throws {
        guard batchSize >= 1 else {
            throw TrainingError.invalidConfiguration(name: "batch size", value: "\(batchSize)", expected: "≥ 1")
        }
        guard dataset.count > 0 else {
            throw TrainingError.incompatibleData(dataset: dataset.name, message: "no images to batch")
        }
        self.dataset = dataset
        self.statistics = statistics
        self.batchSize = batchSize
        self.augmentation = augmentation
    }

    /// The number of batches in one pass, `⌈count / batchSize⌉`.
    public var batchCount: Int { (dataset.count + batchSize - 1) / batchSize }

    /// One epoch's batches of record indices, shuffled with `generator`.
    ///
    /// - Parameter generator: the shuffle generator; it advances by one Fisher–Yates pass.
    /// - Returns: `batchCount` index lists covering every record once.
    public func shuffledBatches(using generator: inout SplitMix64) -> [[Int]] {
        var order = Array(0..<dataset.count)
        generator.shuffle(&order)
        return chunks(order)
    }

    /// The batches of record indices in file order (for evaluation).
    public var orderedBatches: [[Int]] { chunks(Array(0..<dataset.count)) }

    private func chunks(_ order: [Int]) -> [[Int]] {
        stride(from: 0, to: order.count, by: batchSize).map { Array(order[$0..<min($0 + batchSize, order.count)]) }
    }

    /// The normalized (and, when `augmented`, augmented) images and labels of one batch.
    ///
    /// - Parameters:
    ///   - indices: record indices.
    ///   - augmented: whether to apply ``augmentation``.
    ///   - generator: the augmentation generator (untouched without augmentation).
    /// - Returns: the input tensor `[b, H, W, C]` and the labels.
    /// - Throws: `DatasetError` for a bad index or statistics; `TensorError` for the tensor.
    public func batch(_ indices: [Int], augmented: Bool, generator: inout SplitMix64) throws
        -> (input: Tensor, labels: [Int]) {
        var buffer = [Float]()
        try dataset.normalizedBatch(indices: indices, statistics: statistics,
                                    augmentation: augmented ? augmentation : .none, generator: &generator,
                                    into: &buffer)
        let input = try Tensor(shape: [indices.count, dataset.height, dataset.width, dataset.channels],
                               elements: buffer)
        return (input, indices.map { Int(dataset.labels[$0]) })
    }
}
