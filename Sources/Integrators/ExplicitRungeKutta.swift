/// The generic explicit Runge–Kutta method driven by a ``ButcherTableau``: the reference
/// implementation every specialised step must equal.
///
/// One step from `(t_n, y_n)` with step size h:
/// ```
/// k_i     = F(t_n + c_i h,  y_n + h Σ_{j<i} a_ij k_j)      i = 1…s
/// y_{n+1} = y_n + h Σ_i b_i k_i
/// ```
/// Both sums are one ``VectorSpace/linearCombination(_:weights:terms:)`` with weights `h·a_ij`
/// (resp. `h·b_i`); zero coefficients are skipped, and a stage whose row of `a` is all zero (the
/// first stage always) receives `y_n` itself.
///
/// Order: the tableau's `order`; `s = tableau.stageCount` evaluations per step, always (an FSAL
/// last stage is evaluated, not reused).
///
/// Reference: Butcher 2016, *Numerical Methods for Ordinary Differential Equations*, §23;
/// Hairer, Nørsett & Wanner 1993, *Solving Ordinary Differential Equations I*, §II.1 (definition of
/// an explicit s-stage Runge–Kutta method).
public struct ExplicitRungeKutta: OneStepIntegrator, Hashable {
    /// The method's coefficients.
    public let tableau: ButcherTableau

    /// Wraps a (validated) tableau.
    ///
    /// - Parameter tableau: the method's coefficients.
    public init(tableau: ButcherTableau) {
        self.tableau = tableau
    }

    /// The tableau's name.
    public var name: String { tableau.name }
    /// s, the tableau's stage count.
    public var stageCount: Int { tableau.stageCount }
    /// p, the tableau's nominal order.
    public var order: Int { tableau.order }
    /// `.tableau(tableau)`.
    public var identity: IntegratorIdentity { .tableau(tableau) }

    /// One explicit Runge–Kutta step (see the type's documentation for the formulas).
    ///
    /// - Parameters:
    ///   - y: the state `y_n`.
    ///   - t: the time `t_n`.
    ///   - h: the step size.
    ///   - f: the right-hand side, evaluated at `t_n + c_i h` for i = 1…s, in order.
    /// - Returns: `y_{n+1}`.
    /// - Throws: whatever `f` or the state's ``VectorSpace/linearCombination(_:weights:terms:)`` throws.
    public func step<State: VectorSpace>(
        _ y: State, at t: Double, stepSize h: Double,
        rightHandSide f: (Double, State) throws -> State
    ) throws -> State {
        let a = tableau.a, c = tableau.c
        var k: [State] = []
        k.reserveCapacity(stageCount)
        for i in 0..<stageCount {
            let stageInput = try State.linearCombination(
                y, stepSize: h, coefficients: Array(a[i][0..<i]), terms: k)
            k.append(try f(t + c[i] * h, stageInput))
        }
        return try State.linearCombination(y, stepSize: h, coefficients: tableau.b, terms: k)
    }
}
