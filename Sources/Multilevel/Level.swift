/// One depth level of a multilevel hierarchy: an ODE block of `N` steps of size `h = T/N`.
///
/// Multigrid convention: level 0 is the finest (most steps); level ℓ + 1 has `N / cf` steps.
///
/// Units: `T` and `h` are in depth-time (the ODE's independent variable `t`); the paper uses `h = 1`
/// at the coarsest level.
///
/// Invariants: `N ≥ 1`, `T` finite and `> 0`, `h = T / N`.
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
    ///   - stepCount: `N ≥ 1`.
    ///   - finalTime: `T > 0`, finite.
    /// - Throws: `MultilevelError.invalidStepCount`, `.invalidFinalTime`,
    ///   `.invalidLevelIndex` (negative index).
    public init(index: Int = 0, stepCount: Int, finalTime: Double) throws {
        guard index >= 0 else { throw MultilevelError.invalidLevelIndex(index, levelCount: 0) }
        guard stepCount >= 1 else { throw MultilevelError.invalidStepCount(stepCount) }
        guard finalTime.isFinite, finalTime > 0 else { throw MultilevelError.invalidFinalTime(finalTime) }
        self.index = index
        self.stepCount = stepCount
        self.finalTime = finalTime
    }

    /// The level as `level ℓ: N = …, T = …, h = …`.

    public var description: String {
        "level \(index): N = \(stepCount), T = \(finalTime), h = \(stepSize)"
    }
}
