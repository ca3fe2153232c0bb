extension Integrator {
    /// The largest `N` that ``solve(_:startTime:finalTime:stepCount:recordTrajectory:rightHandSide:)``
    /// accepts with `recordTrajectory: true`: `2^24` (the trajectory holds `N + 1` states).
    public static var maximumRecordedStepCount: Int { 1 << 24 }

    /// Integrates `dy/dt = F(t, y)` from `t0` to `T` in N equal steps.
    /// ```
    /// h = (T − t0) / N,   t_n = t0 + n h,   m_0 = start(y_0),   (y_{n+1}, m_{n+1}) = Φ_h(t_n, y_n, m_n)
    /// ```
    /// (`m_n` are the carried states, none for a one-step method.)
    /// - Parameters:
    ///   - y0: the initial value `y(t0)`.
    ///   - t0: the start time (default 0).
    ///   - T: the final time, finite and greater than `t0`.
    ///   - N: the number of steps, ≥ 1.
    ///   - recordTrajectory: keep all N+1 states (opt-in: it holds N+1 copies of the state);
    ///     needs `N ≤ maximumRecordedStepCount`.
    ///   - f: the right-hand side; called exactly `stageCount · N` times by the steps, plus at most
    ///     `startingEvaluationCount` times by the starting procedure, when no error occurs.
    /// - Returns: the final state, the optional trajectory, the counted evaluations, h, t0, T, N.
    /// - Throws: ``IntegrationError/invalidStepCount(_:)``, ``IntegrationError/nonFiniteTime(startTime:finalTime:)``,
    ///   ``IntegrationError/emptyInterval(startTime:finalTime:)``, ``IntegrationError/invalidStepSize(_:)``,
    ///   ``IntegrationError/trajectoryTooLong(stepCount:limit:)`` before any evaluation;
    ///   ``IntegrationError/carriedStateCountMismatch(method:expected:found:)`` when the starting
    ///   procedure returns another number of states than ``carriedStateCount``; then whatever
    ///   ``start(_:at:stepSize:rightHandSide:)`` or ``step(_:carried:at:stepSize:rightHandSide:)`` throws.
    ///
    /// Units: t0, T, h in the problem's time. Order: global error `O(h^order)`; cost
    /// ``evaluationCount(stepCount:)``.
    public func solve<State: VectorSpace>(
        _ y0: State, startTime t0: Double = 0, finalTime T: Double, stepCount N: Int,
        recordTrajectory: Bool = false,
        rightHandSide f: (Double, State) throws -> State
    ) throws -> IntegrationResult<State> {
        guard N >= 1 else { throw IntegrationError.invalidStepCount(N) }
        guard !recordTrajectory || N <= Self.maximumRecordedStepCount else {
            throw IntegrationError.trajectoryTooLong(stepCount: N, limit: Self.maximumRecordedStepCount)
        }
        guard t0.isFinite, T.isFinite else { throw IntegrationError.nonFiniteTime(startTime: t0, finalTime: T) }
        guard T > t0 else { throw IntegrationError.emptyInterval(startTime: t0, finalTime: T) }
        let h = (T - t0) / Double(N)
        guard h.isFinite, h > 0 else { throw IntegrationError.invalidStepSize(h) }

        var evaluations = 0
        let counted: (Double, State) throws -> State = { t, y in
            evaluations += 1
            return try f(t, y)
        }
        var carried = try start(y0, at: t0, stepSize: h, rightHandSide: counted)
        guard carried.count == carriedStateCount else {
            throw IntegrationError.carriedStateCountMismatch(method: name, expected: carriedStateCount,
                                                             found: carried.count)
        }
        var y = y0
        var trajectory: [State]? = recordTrajectory ? [y0] : nil
        trajectory?.reserveCapacity(N + 1)
        for n in 0..<N {
            y = try step(y, carried: &carried, at: t0 + Double(n) * h, stepSize: h, rightHandSide: counted)
            trajectory?.append(y)
        }
        return IntegrationResult(
            finalState: y, trajectory: trajectory, functionEvaluations: evaluations,
            stepSize: h, startTime: t0, finalTime: T, stepCount: N)
    }
}
