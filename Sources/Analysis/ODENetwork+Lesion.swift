import Foundation
public import ODENet
import TensorCore

extension ODENetwork {
    /// A copy of this network with the given ODE steps deleted, keeping `h` (the paper's lesion).
    ///
    /// Deleting step `n` while keeping `h` means `Y_{n+1} = Y_n`: the stage runs `N − 1` steps of the
    /// same size, so its `T` shrinks by `h`. It is realized by replacing the step with one whose
    /// last convolution is zero, so that `F ≡ 0` and every explicit Runge–Kutta update is
    /// `Y_n + h Σ_i b_i · 0 = Y_n` exactly (bit for bit); the network keeps its spec, so stages may
    /// lose different numbers of steps. Parameters of the other steps are shared, not copied.
    ///
    /// - Parameter deleted: `(stage, step)` pairs.
    /// - Returns: the lesioned network (this network is unchanged).
    /// - Throws: ``AnalysisError/invalidLesion(stage:step:message:)`` for an index out of range;
    ///   `ODENetError`, `TensorError` from the assembly.
    public func lesioned(deleting deleted: [(stage: Int, step: Int)]) throws -> ODENetwork {
        for (s, n) in deleted {
            guard stages.indices.contains(s), stages[s].steps.indices.contains(n) else {
                throw AnalysisError.invalidLesion(stage: s, step: n, message: "out of range (\(stages.count) stages, "
                                                  + "N = \(spec.stepCount))")
            }
        }
        let newStages = try stages.map { stage in
            let steps = try stage.steps.enumerated().map { n, step -> ResidualStep in
                guard deleted.contains(where: { $0.stage == stage.index && $0.step == n }) else { return step }
                let fields = try zip(ResidualStep.fields, step.fieldTensors).map { field, tensor in
                    field == .conv2Weight ? try Tensor(zeros: tensor.shape) : tensor
                }
                return try ResidualStep(fields: fields, stage: stage.index, step: n)
            }
            return ODEStage(index: stage.index, connector: stage.connector, steps: steps,
                            integrator: stage.integrator, finalTime: stage.finalTime)
        }
        return try ODENetwork(spec: spec, stem: stem, stages: newStages, headNorm: headNorm,
                              classifierWeight: classifierWeight, classifierBias: classifierBias)
    }
}
