import HDF5Storage
import Integrators

extension ArchivedLevel {
    /// Writes the level into `group`: attributes `level`, `cycle`, `epochs`, `test_accuracy`,
    /// `wall_seconds`, and the network (``NetworkCodec``). Shared by the level archive's
    /// `/levels/<ℓ>` and the checkpoint's `/finished_levels/<cycle>`; `file` names the target in
    /// errors (a non-finite tensor is refused).
    func write(to group: HDF5Group, file: String) throws {
        let a = group.attributes
        try a.set(.int64(Int64(index)), for: "level")
        try a.set(.int64(Int64(cycle)), for: "cycle")
        try a.set(.int64(Int64(epochs)), for: "epochs")
        try a.set(.double(testAccuracy), for: "test_accuracy")
        try a.set(.double(wallSeconds), for: "wall_seconds")
        try NetworkCodec.write(network, to: group, file: file)
    }

    /// Reads a level written by ``write(to:)``, checking every dataset against the stored spec.
    static func read(from group: HDF5Group, integrators: [any Integrator], file: String) throws -> ArchivedLevel {
        let a = group.attributes
        let spec = try NetworkCodec.readSpec(from: group, integrators: integrators, file: file)
        let network = try NetworkCodec.readNetwork(from: group, spec: spec, file: file)
        return ArchivedLevel(index: Int(try a.int64("level")), network: network, cycle: Int(try a.int64("cycle")),
                             epochs: Int(try a.int64("epochs")), testAccuracy: try a.double("test_accuracy"),
                             wallSeconds: try a.double("wall_seconds"))
    }
}
