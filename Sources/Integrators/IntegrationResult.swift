/// What a fixed-step solve returns: the final state, optionally the trajectory, and its cost.
///
/// Invariants: `stepSize = (finalTime − startTime) / stepCount`;
/// `functionEvaluations = stageCount · stepCount` for an explicit Runge–Kutta method (plus the
/// starting procedure's evaluations for a method with carried states);
/// `trajectory?.count == stepCount + 1` with `trajectory?.first` the initial value and
/// `trajectory?.last == finalState`.
public struct IntegrationResult<State> {
    /// `y_N ≈ y(T)`.
    public let finalState: State
    /// `y_0, y_1, …, y_N` at `t_n = t0 + n h`, when recording was asked for; otherwise `nil`.
    public let trajectory: [State]?
    /// How many times the right-hand side was evaluated (counted, not computed).
    public let functionEvaluations: Int
    /// The step size h.
    public let stepSize: Double
    /// The start time t0.
    public let startTime: Double
    /// The final time T.
    public let finalTime: Double
    /// The number of steps N.
    public let stepCount: Int

    /// The step times `t_n = t0 + n h`, n = 0…N (the last one is set to T exactly).
    public var times: [Double] {
        (0...stepCount).map { n in n == stepCount ? finalTime : startTime + Double(n) * stepSize }
    }
}

extension IntegrationResult: Sendable where State: Sendable {}
