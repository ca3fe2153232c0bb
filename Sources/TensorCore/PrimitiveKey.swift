/// Identifies a cached primitive: its kind and every integer that determines it.
struct PrimitiveKey: Hashable, Sendable {
    enum Kind: String, Sendable {
        case convolutionForward, convolutionBackwardData, convolutionBackwardWeights
        case reorderToForwardWeights, reorderToBackwardDataWeights, reorderFromDiffWeights
        case batchNormForward, batchNormBackward
        case scaledSum
    }

    var kind: Kind
    var values: [Int]
}
