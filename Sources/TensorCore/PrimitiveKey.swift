/// Identifies a cached primitive: its kind, every integer that determines it and the thread count.
struct PrimitiveKey: Hashable, Sendable {
    enum Kind: String, Sendable {
        case convolutionForward, convolutionBackwardData, convolutionBackwardWeights
        case reorderToForwardWeights, reorderToBackwardDataWeights, reorderFromDiffWeights
        case batchNormForward, batchNormBackward
        case scaledSum
    }

    var kind: Kind
    var values: [Int]
    /// The OpenMP thread count the primitive is created for (set by `DNNLRuntime.primitive`).
    var threadCount = 0

    init(kind: Kind, values: [Int]) {
        self.kind = kind
        self.values = values
    }
}
