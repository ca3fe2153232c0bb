public import Autodiff
public import Integrators
import TensorCore

/// One stage of the network: an optional connector, then an ODE block of `N` steps integrated with
/// any ``/Integrators/Integrator`` over `[0, T]`; for an explicit Runge–Kutta method
/// ```
/// Y_{n+1} = Y_n + h Σ_i b_i k_i,     k_i = F(Y_n + h Σ_j a_ij k_j; θ_n),     h = T / N
/// ```
/// θ is piecewise constant in `t`: every evaluation of step `n` uses θ_n. A method that carries
/// states (past states, auxiliary states) gets them from its starting procedure, which evaluates
/// `F` with θ_0, and carries them through the block.
///
/// Order: the integrator's `p`; `s · N` evaluations of `F` per forward pass (plus the starting
/// procedure's, see ``/Integrators/Integrator/evaluationCount(stepCount:)``).
public final class ODEStage {
    /// The stage index `s` (0 = first).
    public let index: Int
    /// The block opening the stage (stride 2, channel change), or `nil` for the first stage.
    public let connector: Connector?
    /// θ_0 … θ_{N−1}.
    public let steps: [ResidualStep]
    /// The integrator of the ODE block: any method value (``/Integrators/ForwardEuler``, an
    /// ``/Integrators/ExplicitRungeKutta`` tableau, a multistep method, …).
    public let integrator: any Integrator
    /// The final time `T` of the ODE block, in depth-time.
    public let finalTime: Double

    /// Assembles a stage from its parts.
    ///
    /// - Precondition: `steps` is non-empty and `finalTime > 0` (the spec was validated).
    public init(index: Int, connector: Connector?, steps: [ResidualStep], integrator: any Integrator,
                finalTime: Double) {
        self.index = index
        self.connector = connector
        self.steps = steps
        self.integrator = integrator
        self.finalTime = finalTime
    }

    /// `N`, the number of steps.
    public var stepCount: Int { steps.count }
    /// `h = T / N`, in depth-time.
    public var stepSize: Double { finalTime / Double(steps.count) }

    /// The trainable parameters: the connector's, then θ_0 … θ_{N−1}.
    public var parameters: [Parameter] {
        (connector?.parameters ?? []) + steps.flatMap(\.parameters)
    }

    /// Applies the connector (if any) and integrates the ODE block.
    ///
    /// - Parameters:
    ///   - y: the stage input `[batch, height, width, C_in]`.
    ///   - mode: training or evaluation.
    ///   - spec: the network's spec (batch-norm settings).
    ///   - recorder: receives evaluation counts and per-step norms, if given.
    /// - Returns: `Y_N`.
    /// - Throws: kernel, autodiff and integrator errors;
    ///   `IntegrationError.carriedStateCountMismatch` when the integrator's starting procedure
    ///   returns another number of states than it declares.
    public func forward(_ y: Variable, mode: NetworkMode, spec: ODENetSpec,
                        recorder: ForwardRecorder? = nil) throws -> Variable {
        var state = try connector?.apply(y, mode: mode, spec: spec) ?? y
        let h = stepSize
        let index = index
        var carried = try integrator.start(state, at: 0, stepSize: h) { _, stageInput in
            recorder?.countEvaluation(stage: index)
            return try steps[0].evaluate(stageInput, mode: mode, spec: spec)
        }
        guard carried.count == integrator.carriedStateCount else {
            throw IntegrationError.carriedStateCountMismatch(
                method: integrator.name, expected: integrator.carriedStateCount, found: carried.count)
        }
        for (n, theta) in steps.enumerated() {
            let t = Double(n) * h
            let next = try integrator.step(state, carried: &carried, at: t, stepSize: h) { _, stageInput in
                recorder?.countEvaluation(stage: index)
                return try theta.evaluate(stageInput, mode: mode, spec: spec)
            }
            recorder?.recordStep(stage: index, step: n, time: t, before: state.value, after: next.value)
            state = next
        }
        return state
    }
}
