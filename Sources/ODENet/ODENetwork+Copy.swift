import Autodiff

extension ODENetwork {
    /// An independent copy: same spec, same parameters and running statistics, in new `Parameter`
    /// objects (gradients zero), so training one leaves the other unchanged.
    ///
    /// - Throws: `TensorError`, `ODENetError` (not expected for a valid network).
    public func copy() throws -> ODENetwork {
        try integrated(with: spec.integrators)
    }

    /// A network of `spec` with the given stages and copies of this network's stem and head (the
    /// parts every depth or integrator change keeps).
    func withStages(_ newStages: [ODEStage], spec newSpec: ODENetSpec) throws -> ODENetwork {
        try ODENetwork(spec: newSpec, stem: stem.copy(), stages: newStages, headNorm: try headNorm.copy(),
                       classifierWeight: classifierWeight.copy(), classifierBias: classifierBias.copy())
    }
}
