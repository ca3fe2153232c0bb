/// Whether a forward pass trains (batch statistics, running averages updated) or evaluates
/// (running statistics, nothing updated).
public enum NetworkMode: String, Sendable, Hashable, CaseIterable {
    /// Batch normalization uses the batch's statistics and updates the running averages.
    case training
    /// Batch normalization uses the running averages; no state changes.
    case evaluation
}
