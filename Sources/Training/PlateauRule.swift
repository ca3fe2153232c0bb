/// A rule that ends a cycle early when validation accuracy stops improving.
///
/// After each epoch `e` of the cycle (from 1), with `a_e` its validation accuracy and
/// `best = max(a_1 … a_{e−1})`:
/// ```
/// improved   ⇔  e = 1  or  a_e > best + δ
/// waiting    ←  improved ? 0 : waiting + 1
/// stop       ⇔  e ≥ maxEpochs  or  (e ≥ minEpochs and waiting ≥ patience)
/// ```
/// (`best` is updated only on an improvement, so a slow creep below δ per epoch does count as a
/// plateau.) Units: δ is a fraction of images (0.001 = 0.1 pp).
public struct PlateauRule: Sendable, Hashable, Codable {
    /// The least gain δ in validation accuracy that counts as an improvement.
    public var minimumImprovement: Double
    /// Epochs `p` without improvement that end the cycle.
    public var patience: Int
    /// Epochs trained at least.
    public var minEpochs: Int
    /// Epochs trained at most (also the cycle's length in the cosine schedule).
    public var maxEpochs: Int

    /// Creates a rule.
    ///
    /// - Throws: ``TrainingError/invalidConfiguration(name:value:expected:)`` unless δ ≥ 0,
    ///   p ≥ 1 and 1 ≤ minEpochs ≤ maxEpochs.
    public init(minimumImprovement: Double, patience: Int, minEpochs: Int = 1, maxEpochs: Int) throws {
        guard minimumImprovement.isFinite, minimumImprovement >= 0 else {
            throw TrainingError.invalidConfiguration(name: "plateau δ", value: "\(minimumImprovement)", expected: "≥ 0")
        }
        guard patience >= 1 else {
            throw TrainingError.invalidConfiguration(name: "plateau patience", value: "\(patience)", expected: "≥ 1")
        }
        guard minEpochs >= 1, maxEpochs >= minEpochs else {
            throw TrainingError.invalidConfiguration(name: "plateau epochs", value: "\(minEpochs)…\(maxEpochs)",
                                                     expected: "1 ≤ min ≤ max")
        }
        self.minimumImprovement = minimumImprovement
        self.patience = patience
        self.minEpochs = minEpochs
        self.maxEpochs = maxEpochs
    }
}
