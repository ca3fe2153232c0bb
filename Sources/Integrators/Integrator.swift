/// A one-step method for `dy/dt = F(t, y)`: a small value that describes the method and never
/// stores the state.
///
/// One call of ``step(_:at:stepSize:rightHandSide:)`` advances `y_n` at `t_n` to `y_{n+1}` at
/// `t_n + h`, evaluating `F` exactly ``stageCount`` times. Work buffers, trajectories and counters
/// belong to the caller (see ``solve(_:startTime:finalTime:stepCount:recordTrajectory:rightHandSide:)``),
/// so one integrator value can be shared across threads and levels.
///
/// Parameters θ of the right-hand side are the caller's business: for a ResNet, θ is piecewise
/// constant in t, and the closure of step n captures θ_n, so all stages of a step use the same θ_n.
///
/// Order: ``order`` (p), ``stageCount`` (s) evaluations per step.
public protocol Integrator: Sendable {
    /// An identifier of the method (e.g. `"rk4Classic"`).
    var name: String { get }
    /// The number of right-hand-side evaluations per step, s.
    var stageCount: Int { get }
    /// The nominal order p (global error `O(h^p)`).
    var order: Int { get }

    /// Advances the state by one step.
    /// ```
    /// y_{n+1} = Φ_h(t_n, y_n)
    /// ```
    /// - Parameters:
    ///   - y: the state `y_n`.
    ///   - t: the time `t_n`.
    ///   - h: the step size (finite; negative steps integrate backwards).
    ///   - f: the right-hand side `F(t, y)`, evaluated exactly ``stageCount`` times.
    /// - Returns: `y_{n+1}`, of `y`'s shape.
    /// - Throws: whatever `f` throws (the step stops at once), or the state type's
    ///   ``VectorSpace/linearCombination(_:weights:terms:)`` errors (e.g. `F` returned another shape).
    ///
    /// Units: `t` and `h` in the problem's time (depth-time for a ResNet).
    func step<State: VectorSpace>(
        _ y: State, at t: Double, stepSize h: Double,
        rightHandSide f: (Double, State) throws -> State
    ) throws -> State
}
