/// Where the first NaN or ±∞ of a training step sits: the tensor's name and which of its
/// quantities holds it.
///
/// Produced by ``SGD/firstNonFiniteUpdate(of:learningRate:)`` (gradients and updated weights) and by
/// a trainer's screen of the batch-norm running statistics.
public struct NonFiniteValue: Sendable, Hashable, CustomStringConvertible {
    /// The quantity of a parameter (or state tensor) that is not finite.
    public enum Quantity: String, Sendable, Hashable, CaseIterable {
        /// The accumulated gradient `∂loss/∂θ` of this step.
        case gradient
        /// The weight θ after this step's update (as the update would compute it).
        case weight
        /// A batch-norm running mean or variance, updated by this step's forward pass.
        case runningStatistic = "running statistic"
    }

    /// The tensor's name (`Parameter.name`, or `<batch norm>.running_mean` / `.running_var`).
    public let name: String
    /// Which quantity is not finite.
    public let quantity: Quantity
    /// The row-major index of the first non-finite element.
    public let index: Int
    /// That element's value (NaN, +∞ or −∞).
    public let value: Float

    /// A located non-finite value.
    ///
    /// - Parameters:
    ///   - name: the tensor's name.
    ///   - quantity: which quantity.
    ///   - index: the row-major element index.
    ///   - value: the element.
    public init(name: String, quantity: Quantity, index: Int, value: Float) {
        self.name = name
        self.quantity = quantity
        self.index = index
        self.value = value
    }

    /// `"<quantity> of <name>[<index>] = <value>"`, e.g. `gradient of stage0.step1.conv1.weight[17] = nan`.
    public var description: String { "\(quantity.rawValue) of \(name)[\(index)] = \(value)" }

    /// Equal names, quantities, indices and value bits (so that two reports of one NaN compare equal).
    ///
    /// - Parameters:
    ///   - a: a located value.
    ///   - b: another.
    /// - Returns: whether they locate the same element with the same bits.
    public static func == (a: NonFiniteValue, b: NonFiniteValue) -> Bool {
        a.name == b.name && a.quantity == b.quantity && a.index == b.index && a.value.bitPattern == b.value.bitPattern
    }

    /// Hashes what `==` compares (the value by its bits).
    ///
    /// - Parameter hasher: the hasher to feed.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(quantity)
        hasher.combine(index)
        hasher.combine(value.bitPattern)
    }
}
