/// Which method an ``Integrator`` is: what comparisons and archives look at.
///
/// Two methods with equal identities compute the same numbers (``ForwardEuler`` and
/// `ExplicitRungeKutta(tableau: .forwardEuler)` are both `.tableau(.forwardEuler)`). An archive stores
/// a `.tableau` as its coefficients (`/integrator/a`, `b`, `c`) and a `.kind` by its name and
/// parameters; ``IntegratorCatalogue`` turns an identity back into a method.
public enum IntegratorIdentity: Hashable, Sendable, CustomStringConvertible {
    /// An explicit Runge–Kutta method, given by its tableau.
    case tableau(ButcherTableau)
    /// Any other method (multistep, with auxiliary states, …): a kind name, e.g. `"leapfrog"`, that
    /// an ``IntegratorCatalogue`` knows, with the method's real parameters (often none).
    case kind(String, parameters: [Double])

    /// The tableau's name, or the kind with its parameters, e.g. `leapfrog[0.5]`.
    public var description: String {
        switch self {
        case let .tableau(tableau): return tableau.name
        case let .kind(name, parameters):
            return parameters.isEmpty ? name : "\(name)\(parameters)"
        }
    }
}
