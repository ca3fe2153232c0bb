public import Integrators

/// The method of one network stage as a comparison's settings name it: a catalogue method or a
/// user's explicit Runge–Kutta tableau.
///
/// ```swift
/// configuration.integrators = [.method(.rk4Classic), .method(.forwardEuler), .method(.forwardEuler)]
/// configuration.integrators = [.tableau(try ButcherTableau(name: "mine", a: …, b: …, c: …, order: 2))]
/// ```
/// `.method(kind)` builds ``/Integrators/IntegratorKind/method`` — the fast path where one exists
/// (``/Integrators/ForwardEuler`` for `.forwardEuler`), so a network is the same as one built from the kind
/// directly; `.tableau(t)` builds `ExplicitRungeKutta(tableau: t)`.
///
/// JSON: `{"method": "rk4Classic"}` or `{"tableau": {"name": …, "a": …, "b": …, "c": …, "order": …}}`
/// (the tableau as ``/Integrators/ButcherTableau``'s own coding, validated when decoded).
///
/// Order: the method's `p`; it evaluates `F` ``rungeKuttaStageCount`` (`s`) times per step.
public enum IntegratorChoice: Sendable, Hashable, Codable, CustomStringConvertible {
    /// A method of the catalogue, e.g. `.method(.rk4Classic)`.
    case method(IntegratorKind)
    /// A user's explicit Runge–Kutta method, given by its (validated) tableau.
    case tableau(ButcherTableau)

    /// The method a network stage runs (see the type's summary for which value).
    public var integrator: any Integrator {
        switch self {
        case let .method(kind): return kind.method
        case let .tableau(tableau): return ExplicitRungeKutta(tableau: tableau)
        }
    }

    /// `s`: evaluations of `F` per step (the tableau's stage count, not a network stage).
    public var rungeKuttaStageCount: Int {
        switch self {
        case let .method(kind): return kind.tableau.stageCount
        case let .tableau(tableau): return tableau.stageCount
        }
    }

    /// The method's name: the kind's raw value (e.g. `rk4Classic`) or the tableau's ``/Integrators/ButcherTableau/name``.
    public var name: String {
        switch self {
        case let .method(kind): return kind.rawValue
        case let .tableau(tableau): return tableau.name
        }
    }

    /// ``name``.
    public var description: String { name }

    private enum CodingKeys: String, CodingKey {
        case method, tableau
    }

    /// Decodes `{"method": <IntegratorKind raw value>}` or `{"tableau": <ButcherTableau>}`.
    ///
    /// - Parameter decoder: the decoder.
    /// - Throws: `DecodingError.dataCorrupted` when neither or both keys are present; the kind's or
    ///   the tableau's decoding errors (an unknown method name, any ``/Integrators/ButcherTableauError``).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let keys = container.allKeys
        guard keys.count == 1, let key = keys.first else {
            throw DecodingError.dataCorrupted(DecodingError.Context(
                codingPath: decoder.codingPath,
                debugDescription: "an integrator choice holds exactly one of \"method\" (e.g. \"rk4Classic\") or "
                    + "\"tableau\" (name, a, b, c, order), found \(keys.map(\.stringValue))"))
        }
        switch key {
        case .method: self = .method(try container.decode(IntegratorKind.self, forKey: .method))
        case .tableau: self = .tableau(try container.decode(ButcherTableau.self, forKey: .tableau))
        }
    }

    /// Encodes `{"method": <raw value>}` or `{"tableau": <tableau>}`.
    ///
    /// - Parameter encoder: the encoder.
    /// - Throws: whatever the encoder throws.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case let .method(kind): try container.encode(kind, forKey: .method)
        case let .tableau(tableau): try container.encode(tableau, forKey: .tableau)
        }
    }
}
