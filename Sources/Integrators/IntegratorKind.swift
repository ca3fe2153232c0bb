/// The catalogue of methods by name: for the command line, HDF5 metadata and loops over every
/// method in tests. Raw values are the tableau names (`"rk4Classic"`, …).
///
/// Users who want another method pass an ``ExplicitRungeKutta`` with their own tableau instead;
/// this enum only names the built-in ones.
public enum IntegratorKind: String, CaseIterable, Codable, Sendable {
    case forwardEuler
    case explicitMidpoint
    case heun
    case ralston
    case kutta3
    case ssprk3
    case rk4Classic
    case rk4ThreeEighths
    case bogackiShampine32
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
}
