/// What one training epoch did: one line of the JSON-lines log.
///
/// Units: seconds (wall clock); images/s; learning rates per SGD step. Epoch and cycle indices
/// count from 0. `trainSeconds` covers the mini-batch loop only (batching, forward, backward,
/// update), never the evaluation after it.
public struct EpochRecord: Sendable, Hashable, Codable {
    /// The cycle (0 for plain training; the coarsest level trains in cycle 0).
    public var cycle: Int
    /// The epoch within its cycle.
    public var epoch: Int
    /// The epoch counted over the whole run.
    public var globalEpoch: Int
    /// SGD steps taken over the whole run after this epoch.
    public var globalStep: Int
    /// Steps per stage `N` of the network trained.
    public var stepCount: Int
    /// Its step size `h = T/N`, in depth-time.
    public var stepSize: Double
    /// Its final time `T`, in depth-time.
    public var finalTime: Double
    /// Mini-batches in the epoch.
    public var batches: Int
    /// Images in the epoch.
    public var images: Int
    /// Mean mini-batch training loss (weighted by batch size), in training mode.
    public var loss: Double
    /// Training accuracy over the epoch's mini-batches, in training mode, in `[0, 1]`.
    public var trainAccuracy: Double
    /// Accuracy on the validation part after the epoch (evaluation mode), if there is one.
    public var validationAccuracy: Double?
    /// Mean loss on the validation part after the epoch, if there is one.
    public var validationLoss: Double?
    /// Accuracy on the test part after the epoch (evaluation mode), if there is one.
    public var testAccuracy: Double?
    /// Mean loss on the test part after the epoch, if there is one.
    public var testLoss: Double?
    /// The learning rate of the epoch's first step.
    public var learningRateStart: Double
    /// The learning rate of the epoch's last step.
    public var learningRateEnd: Double
    /// Wall seconds of the training loop, evaluation excluded.
    public var trainSeconds: Double
    /// Wall seconds of the evaluation after the epoch.
    public var evaluationSeconds: Double
    /// Training throughput `images / trainSeconds`.
    public var imagesPerSecond: Double
}
