import HDF5Storage
import Integrators

/// Stores the integrators of a network's stages in `/integrator` and reads them back.
///
/// Layout: when every stage uses one method, that method directly in `/integrator`; otherwise
/// every stage's under `/integrator/<stage>/`, with the attribute `per_stage = 1` on `/integrator`.
/// One method is
/// - a tableau method (``IntegratorIdentity/tableau(_:)``, e.g. ``ForwardEuler`` or any
///   ``ExplicitRungeKutta``): datasets `a` `[s, s]` (axes `i, j`), `b`, `c` `[s]` (axes `i`; float64), optionally `b_hat`,
///   with attributes `name`, `order` (and `embedded_order`) — the layout h5py users read;
/// - any other method (``IntegratorIdentity/kind(_:parameters:)``): attributes `kind` (the kind,
///   which identifies it), `name`, `order`, and `parameters` (float64, only when it has any); no
///   datasets. A group without `kind` is a tableau.
///
/// Reading turns the stored identity back into a method through an ``IntegratorCatalogue``: a
/// catalogue tableau gives its ``IntegratorKind/method`` (the fast path for forward Euler), another
/// tableau is validated by `ButcherTableau.init`, a kind must be registered in the catalogue.
enum TableauCodec {
    static func write(_ integrators: [any Integrator], to root: HDF5Group) throws {
        let group = try root.createGroup("integrator")
        let distinct = Set(integrators.map(\.identity))
        if distinct.count == 1 {
            try group.attributes.set(.int64(0), for: "per_stage")
            try write(integrators[0], to: group)
        } else {
            try group.attributes.set(.int64(1), for: "per_stage")
            for (s, integrator) in integrators.enumerated() {
                try write(integrator, to: group.createGroup("\(s)"))
            }
        }
    }

    private static func write(_ integrator: any Integrator, to group: HDF5Group) throws {
        switch integrator.identity {
        case let .tableau(tableau):
            try write(tableau, to: group)
        case let .kind(kind, parameters):
            try group.attributes.set(.string(kind), for: "kind")
            try group.attributes.set(.string(integrator.name), for: "name")
            try group.attributes.set(.int64(Int64(integrator.order)), for: "order")
            if !parameters.isEmpty { try group.attributes.set(.doubleArray(parameters), for: "parameters") }
        }
    }

    private static func write(_ tableau: ButcherTableau, to group: HDF5Group) throws {
        let s = tableau.stageCount
        try group.attributes.set(.string(tableau.name), for: "name")
        try group.attributes.set(.int64(Int64(tableau.order)), for: "order")
        // Axes i, j: the method's Runge–Kutta stages (rows and columns of the Butcher tableau).
        try ArchiveAnnotation.annotate(group.write(tableau.a.flatMap { $0 }, shape: [s, s], to: "a"), axes: ["i", "j"])
        try ArchiveAnnotation.annotate(group.write(tableau.b, shape: [s], to: "b"), axes: ["i"])
        try ArchiveAnnotation.annotate(group.write(tableau.c, shape: [s], to: "c"), axes: ["i"])
        if let bHat = tableau.bHat, let order = tableau.embeddedOrder {
            try ArchiveAnnotation.annotate(group.write(bHat, shape: [s], to: "b_hat"), axes: ["i"])
            try group.attributes.set(.int64(Int64(order)), for: "embedded_order")
        }
    }

    /// One integrator per stage, from `/integrator`.
    ///
    /// - Throws: ``ArchiveError/unknownIntegrator(file:object:attribute:kind:known:)`` for a kind the
    ///   catalogue does not know; ``ArchiveError/invalidValue(file:object:message:)`` for an invalid
    ///   tableau, a stored name or order that differs from the rebuilt method's, or a factory error;
    ///   HDF5 errors for missing or mistyped objects.
    static func read(from root: HDF5Group, stageCount: Int, file: String,
                     catalogue: IntegratorCatalogue = .builtIn) throws -> [any Integrator] {
        let group = try root.openGroup("integrator")
        if try group.attributes.int64("per_stage") == 0 {
            return Array(repeating: try read(group, file: file, catalogue: catalogue), count: stageCount)
        }
        return try (0..<stageCount).map { try read(group.openGroup("\($0)"), file: file, catalogue: catalogue) }
    }

    private static func read(_ group: HDF5Group, file: String, catalogue: IntegratorCatalogue) throws -> any Integrator {
        if try group.attributes.contains("kind") {
            return try readKind(group, file: file, catalogue: catalogue)
        }
        let tableau = try readTableau(group, file: file)
        do {
            return try catalogue.integrator(for: .tableau(tableau))
        } catch {
            throw ArchiveError.invalidValue(file: file, object: group.path, message: "\(error)")
        }
    }

    private static func readKind(_ group: HDF5Group, file: String, catalogue: IntegratorCatalogue) throws -> any Integrator {
        let kind = try group.attributes.string("kind")
        let name = try group.attributes.string("name")
        let order = Int(try group.attributes.int64("order"))
        let parameters = try group.attributes.contains("parameters") ? try group.attributes.doubleArray("parameters") : []
        let method: any Integrator
        do {
            method = try catalogue.integrator(for: .kind(kind, parameters: parameters))
        } catch IntegratorCatalogueError.unknownKind(_, let known) {
            throw ArchiveError.unknownIntegrator(file: file, object: group.path, attribute: "kind", kind: kind, known: known)
        } catch {
            throw ArchiveError.invalidValue(file: file, object: group.path, message: "integrator kind '\(kind)': \(error)")
        }
        guard method.name == name, method.order == order else {
            throw ArchiveError.invalidValue(
                file: file, object: group.path,
                message: "stored name '\(name)', order \(order); kind '\(kind)' builds '\(method.name)', order \(method.order)")
        }
        return method
    }

    private static func readTableau(_ group: HDF5Group, file: String) throws -> ButcherTableau {
        let name = try group.attributes.string("name")
        let order = Int(try group.attributes.int64("order"))
        let bInfo = try group.datasetInfo("b")
        guard bInfo.shape.count == 1, bInfo.shape[0] >= 1 else {
            throw ArchiveError.invalidValue(file: file, object: group.path + "/b", message: "shape \(bInfo.shape), expected [s]")
        }
        let s = bInfo.shape[0]
        let flat = try group.read("a", as: Double.self, expectedShape: [s, s]).values
        let a = (0..<s).map { Array(flat[$0 * s..<($0 + 1) * s]) }
        let b = try group.read("b", as: Double.self, expectedShape: [s]).values
        let c = try group.read("c", as: Double.self, expectedShape: [s]).values
        var bHat: [Double]?
        var embeddedOrder: Int?
        if try group.contains("b_hat") {
            bHat = try group.read("b_hat", as: Double.self, expectedShape: [s]).values
            embeddedOrder = Int(try group.attributes.int64("embedded_order"))
        }
        if let known = IntegratorKind(rawValue: name)?.tableau, known.a == a, known.b == b, known.c == c,
           known.order == order, known.bHat == bHat {
            return known
        }
        do {
            return try ButcherTableau(name: name, a: a, b: b, c: c, order: order, bHat: bHat, embeddedOrder: embeddedOrder)
        } catch {
            throw ArchiveError.invalidValue(file: file, object: group.path, message: "invalid tableau: \(error)")
        }
    }
}
