public import Integrators
import Autodiff

extension ODENetwork {
    /// The same network (same θ, same `N`, `T`) integrated with other methods: swap the integrator
    /// of a trained network to compare methods on identical weights.
    ///
    /// Parameters and running statistics are copied into new `Parameter` objects, so training the
    /// result leaves this network unchanged.
    ///
    /// - Parameter integrators: one integrator for every stage, or one per stage (any method value,
    ///   e.g. `[ForwardEuler()]`, `[IntegratorKind.rk4Classic.method]`, a user's tableau or multistep method).
    /// - Returns: the network with the new integrators.
    /// - Throws: `ODENetError.integratorCountMismatch`; `TensorError` from the copies.
    ///
    /// Order: each stage then costs `s · N` evaluations of `F` for its method's `s` (plus its starting procedure's).
    public func integrated(with integrators: [any Integrator]) throws -> ODENetwork {
        guard integrators.count == 1 || integrators.count == stages.count else {
            throw ODENetError.integratorCountMismatch(stages: stages.count, integrators: integrators.count)
        }
        let perStage = integrators.count == 1 ? Array(repeating: integrators[0], count: stages.count) : integrators
        var newSpec = spec
        newSpec.integrators = perStage
        let newStages = try stages.map { stage in
            ODEStage(index: stage.index, connector: try stage.connector.map(Connector.init(copying:)),
                     steps: try stage.steps.enumerated().map { n, step in
                         try ResidualStep(fields: step.fieldTensors, stage: stage.index, step: n)
                     },
                     integrator: perStage[stage.index], finalTime: stage.finalTime)
        }
        return try withStages(newStages, spec: newSpec)
    }
}
