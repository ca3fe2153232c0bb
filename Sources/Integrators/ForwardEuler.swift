/// Forward Euler written out, `y_{n+1} = y_n + h F(t_n, y_n)`: the step of a ResNet block.
///
/// A fast path with no stage arrays; it equals
/// `ExplicitRungeKutta(tableau: .forwardEuler)` exactly (a test compares them bit for bit, on
/// vectors and inside a network: logits, gradients and running statistics). It is what
/// ``IntegratorKind/method`` gives for ``IntegratorKind/forwardEuler``, so the default network runs it.
///
/// Order: 1; 1 evaluation per step.
///
/// Reference: Hairer, Nørsett & Wanner 1993, *Solving Ordinary Differential Equations I*, §II.1;
/// Chang, Meng, Haber, Tung & Begert 2018, "Multi-level Residual Networks from Dynamical Systems
/// View", ICLR (a residual block as a forward Euler step).
public struct ForwardEuler: OneStepIntegrator, Hashable {
    /// Creates the method (it has no parameters).
    public init() {}

    /// `"forwardEuler"`, the catalogue's name.
    public var name: String { ButcherTableau.forwardEuler.name }
    /// 1.
    public var stageCount: Int { 1 }
    /// 1.
    public var order: Int { 1 }
    /// `.tableau(.forwardEuler)`: the same method as `ExplicitRungeKutta(tableau: .forwardEuler)`.
    public var identity: IntegratorIdentity { .tableau(.forwardEuler) }

    /// One forward Euler step, `y + h F(t, y)`, as one linear combination.
    ///
    /// - Parameters:
    ///   - y: the state `y_n`.
    ///   - t: the time `t_n`.
    ///   - h: the step size.
    ///   - f: the right-hand side, evaluated once at `(t, y)`.
    /// - Returns: `y_{n+1}`.
    /// - Throws: whatever `f` or the state's ``VectorSpace/linearCombination(_:weights:terms:)`` throws.
    public func step<State: VectorSpace>(
        _ y: State, at t: Double, stepSize h: Double,
        rightHandSide f: (Double, State) throws -> State
    ) throws -> State {
        let k = try f(t, y)
        return try State.linearCombination(y, weights: [h], terms: [k])
    }
}
