/// A method for `dy/dt = F(t, y)` that a network stage (or ``solve(_:startTime:finalTime:stepCount:recordTrajectory:rightHandSide:)``)
/// holds as a value: one-step methods (every Butcher tableau, the forward-Euler fast path) and
/// methods that carry states from step to step (multistep methods, auxiliary states).
///
/// A method is a small value that describes itself and never stores the state. Besides `y_n` it may
/// carry ``carriedStateCount`` further states `m_n = (m_n[0], …)` from one step to the next:
/// ```
/// m_0     = start(y_0)                         the starting procedure (≤ startingEvaluationCount evaluations)
/// y_{n+1} = Φ_h(t_n, y_n, m_n),  m_{n+1}        one step (exactly stageCount evaluations)
/// ```
/// What the carried states mean is the method's business, for example:
/// - a one-step method (``OneStepIntegrator``) carries nothing: `m_n = ()`;
/// - leapfrog `Y_{n+1} = 2Y_n − Y_{n−1} + h² F(Y_n)` carries the past state `m_n = (Y_{n−1})`, with the
///   starter `Y_{−1} = Y_0` (no evaluation); LM-ResNet `Y_{n+1} = (1 − k_n) Y_n + k_n Y_{n−1} + h F(Y_n)`
///   the same;
/// - Verlet in velocity form `Z_{n+1} = Z_n − h F(Y_n)`, `Y_{n+1} = Y_n + h Z_{n+1}` carries the
///   auxiliary state `m_n = (Z_n)` (starter e.g. `Z_0 = 0`);
/// - Adams–Bashforth methods carry past derivatives `F(y_{n−1}), …`.
///
/// The right-hand side is one function `F(t, y)` per step: a partitioned method that applies two
/// different functions to two halves of the channels (Hamiltonian Verlet with `F₁`, `F₂` on a channel
/// split) needs a stage that hands it both, which this protocol does not model.
///
/// Parameters θ of the right-hand side are the caller's business: for a ResNet θ is piecewise
/// constant in t; the closure of step n captures θ_n, so all evaluations of a step use θ_n (the
/// starting procedure uses θ_0).
///
/// Identity: ``identity`` says which method this is, for comparisons (two values with equal
/// identities compute the same numbers, e.g. ``ForwardEuler`` and `ExplicitRungeKutta(tableau: .forwardEuler)`)
/// and for archives (a tableau is stored as its coefficients, any other method by its kind).
///
/// Order: ``order`` (p); ``stageCount`` (s) evaluations per step, plus ``startingEvaluationCount``
/// once per solve.
///
/// Reference: Hairer, Nørsett & Wanner 1993, *Solving Ordinary Differential Equations I*, §II.1
/// (one-step methods) and §III.1 (linear multistep methods and their starting values); Hairer,
/// Lubich & Wanner 2006, *Geometric Numerical Integration*, §I.1.4 (Störmer–Verlet); Lu, Zhong, Li
/// & Dong 2018, "Beyond Finite Layer Neural Networks", ICML (LM-ResNet); Chang, Meng, Haber, Ruthotto,
/// Begert & Holtham 2018, "Reversible Architectures for Arbitrarily Deep Residual Neural Networks",
/// AAAI (leapfrog and Hamiltonian networks).
public protocol Integrator: Sendable {
    /// An identifier of the method (e.g. `"rk4Classic"`).
    var name: String { get }
    /// The number of right-hand-side evaluations per step, s.
    var stageCount: Int { get }
    /// The nominal order p (global error `O(h^p)`).
    var order: Int { get }
    /// Which method this is, for comparisons and archives.
    var identity: IntegratorIdentity { get }
    /// How many states the method carries from step to step besides `y_n` (0 for a one-step method).
    var carriedStateCount: Int { get }
    /// The most right-hand-side evaluations ``start(_:at:stepSize:rightHandSide:)`` makes.
    var startingEvaluationCount: Int { get }

    /// The starting procedure: the carried states `m_0` that the first step needs.
    ///
    /// - Parameters:
    ///   - y0: the initial state `y_0`.
    ///   - t0: the initial time.
    ///   - h: the step size of the steps that follow.
    ///   - f: the right-hand side, evaluated at most ``startingEvaluationCount`` times.
    /// - Returns: ``carriedStateCount`` states, each of `y0`'s shape.
    /// - Throws: whatever `f` or the state's ``VectorSpace/linearCombination(_:weights:terms:)`` throws.
    func start<State: VectorSpace>(
        _ y0: State, at t0: Double, stepSize h: Double,
        rightHandSide f: (Double, State) throws -> State
    ) throws -> [State]

    /// Advances the state by one step and updates the carried states.
    /// ```
    /// (y_{n+1}, m_{n+1}) = Φ_h(t_n, y_n, m_n)
    /// ```
    /// - Parameters:
    ///   - y: the state `y_n`.
    ///   - carried: `m_n` on entry (as returned by ``start(_:at:stepSize:rightHandSide:)`` or the
    ///     previous step), `m_{n+1}` on return; ``carriedStateCount`` states.
    ///   - t: the time `t_n`.
    ///   - h: the step size (finite; negative steps integrate backwards).
    ///   - f: the right-hand side `F(t, y)`, evaluated exactly ``stageCount`` times.
    /// - Returns: `y_{n+1}`, of `y`'s shape.
    /// - Throws: whatever `f` throws (the step stops at once), the state type's
    ///   ``VectorSpace/linearCombination(_:weights:terms:)`` errors (e.g. `F` returned another shape),
    ///   or ``IntegrationError/carriedStateCountMismatch(method:expected:found:)`` when `carried` does
    ///   not hold ``carriedStateCount`` states.
    ///
    /// Units: `t` and `h` in the problem's time (depth-time for a ResNet).
    func step<State: VectorSpace>(
        _ y: State, carried: inout [State], at t: Double, stepSize h: Double,
        rightHandSide f: (Double, State) throws -> State
    ) throws -> State
}

extension Integrator {
    /// The right-hand-side evaluations of a solve in `N` steps: `s · N + startingEvaluationCount`
    /// (an upper bound when the starting procedure evaluates fewer times than it may).
    ///
    /// - Parameter stepCount: N.
    /// - Returns: the count, saturating at `Int.max`.
    public func evaluationCount(stepCount: Int) -> Int {
        let (product, overflow) = stageCount.multipliedReportingOverflow(by: stepCount)
        let (sum, overflow2) = product.addingReportingOverflow(startingEvaluationCount)
        return overflow || overflow2 ? Int.max : sum
    }
}
