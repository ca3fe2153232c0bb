/// A one-step method: `y_{n+1}` depends on `y_n` alone, nothing is carried between steps.
///
/// Every explicit Runge–Kutta method is one (``ExplicitRungeKutta``, driven by a tableau, and the
/// fast path ``ForwardEuler``). A conforming type writes only ``step(_:at:stepSize:rightHandSide:)``;
/// the carried-state requirements of ``Integrator`` come from the defaults (no carried states, no
/// starting procedure).
///
/// Order: ``Integrator/order`` (p), ``Integrator/stageCount`` (s) evaluations per step.
public protocol OneStepIntegrator: Integrator {
    /// Advances the state by one step.
    /// ```
    /// y_{n+1} = Φ_h(t_n, y_n)
    /// ```
    /// - Parameters:
    ///   - y: the state `y_n`.
    ///   - t: the time `t_n`.
    ///   - h: the step size (finite; negative steps integrate backwards).
    ///   - f: the right-hand side `F(t, y)`, evaluated exactly ``Integrator/stageCount`` times.
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

extension OneStepIntegrator {
    /// 0: a one-step method carries nothing.
    public var carriedStateCount: Int { 0 }
    /// 0: a one-step method has no starting procedure.
    public var startingEvaluationCount: Int { 0 }

    /// No carried states: `[]`, without evaluating `f`.
    ///
    /// - Parameters:
    ///   - y0: the initial state (unused).
    ///   - t0: the initial time (unused).
    ///   - h: the step size (unused).
    ///   - f: the right-hand side (not evaluated).
    /// - Returns: `[]`.
    public func start<State: VectorSpace>(
        _ y0: State, at t0: Double, stepSize h: Double,
        rightHandSide f: (Double, State) throws -> State
    ) throws -> [State] { [] }

    /// ``step(_:at:stepSize:rightHandSide:)``, with no carried states.
    ///
    /// - Parameters:
    ///   - y: the state `y_n`.
    ///   - carried: must be empty; left unchanged.
    ///   - t: the time `t_n`.
    ///   - h: the step size.
    ///   - f: the right-hand side, evaluated exactly ``Integrator/stageCount`` times.
    /// - Returns: `y_{n+1}`.
    /// - Throws: ``IntegrationError/carriedStateCountMismatch(method:expected:found:)`` when `carried`
    ///   is not empty; whatever ``step(_:at:stepSize:rightHandSide:)`` throws.
    public func step<State: VectorSpace>(
        _ y: State, carried: inout [State], at t: Double, stepSize h: Double,
        rightHandSide f: (Double, State) throws -> State
    ) throws -> State {
        guard carried.isEmpty else {
            throw IntegrationError.carriedStateCountMismatch(method: name, expected: 0, found: carried.count)
        }
        return try step(y, at: t, stepSize: h, rightHandSide: f)
    }
}
