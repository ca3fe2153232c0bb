public import Datasets
public import ODENet
public import TensorCore
import Autodiff

/// The mean loss and the accuracy of a network over a whole dataset, in evaluation mode.
public struct Evaluation: Sendable, Hashable, Codable {
    /// Mean softmax cross-entropy per image.
    public var loss: Double
    /// Fraction of images classified correctly, in `[0, 1]`.
    public var accuracy: Double
    /// Images evaluated.
    public var count: Int

    /// Creates an evaluation result.
    public init(loss: Double, accuracy: Double, count: Int) {
        self.loss = loss
        self.accuracy = accuracy
        self.count = count
    }

    /// Evaluates `network` on every image of `dataset` in batches (running BN statistics, a
    /// non-recording tape reset between batches, no augmentation; nothing in the network changes).
    ///
    /// ```
    /// loss = Σ_b |b| L_b / Σ_b |b|,    accuracy = Σ_b |b| a_b / Σ_b |b|
    /// ```
    ///
    /// - Parameters:
    ///   - network: the network.
    ///   - dataset: the images.
    ///   - statistics: their normalization.
    ///   - batchSize: images per forward pass.
    ///   - compute: the kernel settings, applied on the calling thread for the whole pass; default
    ///     `ComputeContext.current` (an enclosing `ComputeContext.run`'s, else one thread).
    /// - Returns: the evaluation.
    /// - Throws: ``TrainingError`` from the batcher; `DatasetError`, `ODENetError`, kernel errors.
    public static func of(_ network: ODENetwork, on dataset: Dataset, statistics: ChannelStatistics,
                          batchSize: Int, compute: ComputeContext = .current) throws -> Evaluation {
        try compute.run { try evaluateOnCallingThread(network, on: dataset, statistics: statistics, batchSize: batchSize) }
    }

    /// ``of(_:on:statistics:batchSize:compute:)`` on the calling thread's current settings.
    private static func evaluateOnCallingThread(_ network: ODENetwork, on dataset: Dataset,
                                                statistics: ChannelStatistics, batchSize: Int) throws -> Evaluation {
        let batcher = try MiniBatcher(dataset: dataset, statistics: statistics, batchSize: batchSize)
        let tape = Tape(recording: false)
        var generator = SplitMix64(seed: 0)
        var lossSum = 0.0
        var correct = 0.0
        for indices in batcher.orderedBatches {
            tape.reset()
            let (input, labels) = try batcher.batch(indices, augmented: false, generator: &generator)
            let (loss, accuracy) = try network.loss(input, labels: labels, on: tape, mode: .evaluation)
            lossSum += Double(loss.value.elements[0]) * Double(indices.count)
            correct += accuracy * Double(indices.count)
        }
        tape.reset()
        let n = Double(dataset.count)
        return Evaluation(loss: lossSum / n, accuracy: correct / n, count: dataset.count)
    }
}
