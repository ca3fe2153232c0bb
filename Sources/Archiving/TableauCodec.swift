import HDF5Storage
import Integrators

/// Stores the Butcher tableaux of a network's stages in `/integrator` and reads them back.
///
/// Layout: when every stage uses one method, `/integrator/a` `[s, s]`, `/integrator/b` `[s]`,
/// `/integrator/c` `[s]` (float64), optionally `/integrator/b_hat`, with attributes `name`, `order`
/// (and `embedded_order`); otherwise the same under `/integrator/<stage>/` for every stage, and the
/// attribute `per_stage = 1` on `/integrator`.
enum TableauCodec {
    static func write(_ integrators: [ExplicitRungeKutta], to root: HDF5Group) throws {
        let group = try root.createGroup("integrator")
        let distinct = Set(integrators.map(\.tableau))
        if distinct.count == 1 {
            try group.attributes.set(.int64(0), for: "per_stage")
            try write(integrators[0].tableau, to: group)
        } else {
            try group.attributes.set(.int64(1), for: "per_stage")
            for (s, integrator) in integrators.enumerated() {
                try write(integrator.tableau, to: group.createGroup("\(s)"))
            }
        }
    }

    private static func write(_ tableau: ButcherTableau, to group: HDF5Group) throws {
        let s = tableau.stageCount
        try group.attributes.set(.string(tableau.name), for: "name")
        try group.attributes.set(.int64(Int64(tableau.order)), for: "order")
        try group.write(tableau.a.flatMap { $0 }, shape: [s, s], to: "a")
        try group.write(tableau.b, shape: [s], to: "b")
        try group.write(tableau.c, shape: [s], to: "c")
        if let bHat = tableau.bHat, let order = tableau.embeddedOrder {
            try group.write(bHat, shape: [s], to: "b_hat")
            try group.attributes.set(.int64(Int64(order)), for: "embedded_order")
        }
    }

    /// One integrator per stage, from `/integrator`.
    ///
    /// A tableau whose name and coefficients equal a catalogue method's is that method (bit for bit);
    /// any other is rebuilt and validated by `ButcherTableau.init`.
    static func read(from root: HDF5Group, stageCount: Int, file: String) throws -> [ExplicitRungeKutta] {
        let group = try root.openGroup("integrator")
        if try group.attributes.int64("per_stage") == 0 {
            return Array(repeating: try read(group, file: file), count: stageCount)
        }
        return try (0..<stageCount).map { try read(group.openGroup("\($0)"), file: file) }
    }

    private static func read(_ group: HDF5Group, file: String) throws -> ExplicitRungeKutta {
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
            return ExplicitRungeKutta(tableau: known)
        }
        do {
            return ExplicitRungeKutta(tableau: try ButcherTableau(name: name, a: a, b: b, c: c, order: order,
                                                                  bHat: bHat, embeddedOrder: embeddedOrder))
        } catch {
            throw ArchiveError.invalidValue(file: file, object: group.path, message: "invalid tableau: \(error)")
        }
    }
}
