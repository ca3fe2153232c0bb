public import Integrators

/// Network activations on the tape form a vector space for the Runge–Kutta integrators; the
/// combination is recorded as a single op, so backpropagation flows through every stage.
extension Variable: VectorSpace {}
