/// The catalogue of methods by name: for the command line, HDF5 metadata and loops over every
/// method in tests. Raw values are the tableau names (`"rk4Classic"`, …).
///
/// Users who want another method pass an ``ExplicitRungeKutta`` with their own tableau, or any
/// other ``Integrator``, instead; this enum only names the built-in ones.
public enum IntegratorKind: String, CaseIterable, Codable, Sendable {
    /// ``ButcherTableau/forwardEuler``: order 1, 1 stage.
    case forwardEuler
    /// ``ButcherTableau/explicitMidpoint``: order 2, 2 stages.
    case explicitMidpoint
    /// ``ButcherTableau/heun``: order 2, 2 stages.
    case heun
    /// ``ButcherTableau/ralston``: order 2, 2 stages.
    case ralston
    /// ``ButcherTableau/kutta3``: order 3, 3 stages.
    case kutta3
    /// ``ButcherTableau/ssprk3``: order 3, 3 stages.
    case ssprk3
    /// ``ButcherTableau/rk4Classic``: order 4, 4 stages.
    case rk4Classic
    /// ``ButcherTableau/rk4ThreeEighths``: order 4, 4 stages.
    case rk4ThreeEighths
    /// ``ButcherTableau/bogackiShampine32``: order 3, 4 stages.
    case bogackiShampine32
    /// ``ButcherTableau/dormandPrince54``: order 5, 7 stages.
    case dormandPrince54

    /// The method's tableau (one exhaustive switch: a new case does not compile without one).
    public var tableau: ButcherTableau {
        switch self {
        case .forwardEuler: return .forwardEuler
        case .explicitMidpoint: return .explicitMidpoint
        case .heun: return .heun
        case .ralston: return .ralston
        case .kutta3: return .kutta3
        case .ssprk3: return .ssprk3
        case .rk4Classic: return .rk4Classic
        case .rk4ThreeEighths: return .rk4ThreeEighths
        case .bogackiShampine32: return .bogackiShampine32
        case .dormandPrince54: return .dormandPrince54
        }
    }

    /// The generic reference integrator for this method.
    public var integrator: ExplicitRungeKutta { ExplicitRungeKutta(tableau: tableau) }

    /// The method a network runs: the fast path where one exists (``ForwardEuler`` for
    /// ``forwardEuler``, equal to the reference bit for bit), otherwise ``integrator``.
    ///
    /// Its ``Integrator/identity`` is `.tableau(tableau)` either way.
    public var method: any Integrator {
        switch self {
        case .forwardEuler: return ForwardEuler()
        default: return integrator
        }
    }
}
