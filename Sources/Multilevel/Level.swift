/// One depth level of a multilevel hierarchy: an ODE block of `N` steps of size `h = T/N`.
///
/// Multigrid convention: level 0 is the finest (most steps); level ℓ + 1 has `N / cf` steps.
///
/// Units: `T` and `h` are in depth-time (the ODE's independent variable `t`); the paper uses `h = 1`
/// at the coarsest level.
///
/// Invariants: `1 ≤ N ≤ maximumStepCount` (`2^20`), `T` finite and `> 0`, `h = T / N` (also after
/// decoding: `init(from:)` runs the same checks).
public struct Level: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The level index, 0 = finest.
    public let index: Int
    /// The number of integrator steps `N` (residual blocks) in each ODE stage.
    public let stepCount: Int
    /// The final time `T` of the ODE block, in depth-time.
    public let finalTime: Double

    /// The step size `h = T / N`, in depth-time.
    public var stepSize: Double { finalTime / Double(stepCount) }

    /// The start times `t_n = n h`, `n = 0 … N−1`, of the steps; step `n` covers `[t_n, t_{n+1})`
    /// and uses the parameters θ_n.
    public var stepTimes: [Double] { (0..<stepCount).map { Double($0) * stepSize } }

    /// Creates a level.
    ///
    /// - Parameters:
    ///   - index: the level index (0 = finest).
    ///   - stepCount: `1 ≤ N ≤ maximumStepCount`.
    ///   - finalTime: `T > 0`, finite.
    /// - Throws: `MultilevelError.invalidStepCount` (`N < 1`), `.stepCountTooLarge` (`N` above
    ///   ``maximumStepCount``), `.invalidFinalTime`, `.invalidLevelIndex` (negative index).
    public init(index: Int = 0, stepCount: Int, finalTime: Double) throws {
        guard index >= 0 else { throw MultilevelError.invalidLevelIndex(index, levelCount: 0) }
        guard stepCount >= 1 else { throw MultilevelError.invalidStepCount(stepCount) }
        guard stepCount <= Self.maximumStepCount else {
            throw MultilevelError.stepCountTooLarge(operation: "Level", stepCount: stepCount,
                                                    limit: Self.maximumStepCount)
        }
        guard finalTime.isFinite, finalTime > 0 else { throw MultilevelError.invalidFinalTime(finalTime) }
        self.index = index
        self.stepCount = stepCount
        self.finalTime = finalTime
    }

    private enum CodingKeys: String, CodingKey { case index, stepCount, finalTime }

    /// Decodes a level and validates it as ``init(index:stepCount:finalTime:)`` does.
    ///
    /// - Parameter decoder: a decoder holding `index`, `stepCount`, `finalTime`.
    /// - Throws: `DecodingError` for missing or mistyped fields; the `MultilevelError`s of
    ///   ``init(index:stepCount:finalTime:)``.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(index: try container.decode(Int.self, forKey: .index),
                      stepCount: try container.decode(Int.self, forKey: .stepCount),
                      finalTime: try container.decode(Double.self, forKey: .finalTime))
    }

    /// The level as `level ℓ: N = …, T = …, h = …`.

    public var description: String {
        "level \(index): N = \(stepCount), T = \(finalTime), h = \(stepSize)"
    }
}
