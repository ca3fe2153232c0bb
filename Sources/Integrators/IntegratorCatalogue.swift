/// Turns an ``IntegratorIdentity`` back into a method: what an archive reader uses to rebuild the
/// integrator of every stage.
///
/// Tableaux need no registration: a tableau equal to a catalogue method's (``IntegratorKind``) gives
/// that method's ``IntegratorKind/method`` (the fast path where one exists, e.g. ``ForwardEuler``),
/// any other tableau an ``ExplicitRungeKutta``. A method of another kind is known only once
/// registered with ``registering(kind:_:)``:
/// ```swift
/// let catalogue = IntegratorCatalogue.builtIn.registering(kind: "leapfrog") { _ in Leapfrog() }
/// let archive = try LevelArchive.read(from: path, integrators: catalogue)
/// ```
public struct IntegratorCatalogue: Sendable {
    /// Builds a method of one kind from its stored parameters.
    public typealias Factory = @Sendable (_ parameters: [Double]) throws -> any Integrator

    private var factories: [String: Factory] = [:]

    /// The catalogue that knows every tableau and no other kind.
    public static let builtIn = IntegratorCatalogue()

    /// A catalogue that knows every tableau and no other kind (``builtIn``).
    public init() {}

    /// The registered kinds, sorted.
    public var kinds: [String] { factories.keys.sorted() }

    /// This catalogue with one more kind (replacing a registration of the same name).
    ///
    /// - Parameters:
    ///   - kind: the name in ``IntegratorIdentity/kind(_:parameters:)``.
    ///   - make: builds the method from its parameters; its ``Integrator/identity`` must be
    ///     `.kind(kind, parameters: parameters)`.
    /// - Returns: the extended catalogue.
    public func registering(kind: String, _ make: @escaping Factory) -> IntegratorCatalogue {
        var copy = self
        copy.factories[kind] = make
        return copy
    }

    /// The method of `identity`.
    ///
    /// - Parameter identity: a tableau or a registered kind with its parameters.
    /// - Returns: the method; its ``Integrator/identity`` equals `identity`.
    /// - Throws: ``IntegratorCatalogueError/unknownKind(_:known:)`` for a kind never registered;
    ///   ``IntegratorCatalogueError/identityMismatch(requested:built:)`` when a factory builds another
    ///   method; whatever the factory throws (e.g. invalid parameters).
    public func integrator(for identity: IntegratorIdentity) throws -> any Integrator {
        switch identity {
        case let .tableau(tableau):
            if let kind = IntegratorKind.allCases.first(where: { $0.tableau == tableau }) { return kind.method }
            return ExplicitRungeKutta(tableau: tableau)
        case let .kind(name, parameters):
            guard let make = factories[name] else { throw IntegratorCatalogueError.unknownKind(name, known: kinds) }
            let method = try make(parameters)
            guard method.identity == identity else {
                throw IntegratorCatalogueError.identityMismatch(requested: identity, built: method.identity)
            }
            return method
        }
    }
}

/// Why an ``IntegratorCatalogue`` could not build a method.
public enum IntegratorCatalogueError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No method of this kind is registered; `known` lists the registered kinds.
    case unknownKind(String, known: [String])
    /// The factory of a kind built a method of another identity.
    case identityMismatch(requested: IntegratorIdentity, built: IntegratorIdentity)

    /// A one-line message naming the kind.
    public var description: String {
        switch self {
        case let .unknownKind(kind, known):
            return "unknown integrator kind '\(kind)'; known kinds: "
                + (known.isEmpty ? "none (tableaux only)" : known.joined(separator: ", "))
        case let .identityMismatch(requested, built):
            return "the factory of integrator \(requested) built \(built)"
        }
    }
}
