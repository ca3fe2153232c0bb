import Foundation
import HDF5Storage
import Testing

/// Reads `Fixtures/fixture.h5`, written by h5py (`Fixtures/make_fixture.py`), and checks every value
/// against the script's formulas recomputed here.
@Suite struct FixtureTests {
    func openFixture() throws -> HDF5File {
        let url = try #require(Bundle.module.url(forResource: "fixture", withExtension: "h5",
                                                 subdirectory: "Fixtures"))
        return try HDF5File.open(at: url.path)
    }

    @Test func datasetsMatchTheirFormulas() throws {
        let level = try openFixture().root.openGroup("levels/0")

        let a = try level.read("a_f32", as: Float.self, expectedShape: [2, 3, 4])
        #expect(a.values == (0..<24).map { Float($0) / 4 })
        let b = try level.read("b_f64", as: Double.self)
        #expect(b.shape == [5])
        #expect(b.values == (0..<5).map { Double($0 * $0) })
        let c = try level.read("c_i32", as: Int32.self)
        #expect(c.shape == [3, 2])
        #expect(c.values == (0..<6).map { Int32($0 - 3) })
        let d = try level.read("d_i64", as: Int64.self)
        #expect(d.shape == [2, 2, 2, 2])
        #expect(d.values == (0..<16).map { Int64($0) * 1_000_000_000_000 })
        let e = try level.read("e_u8", as: UInt8.self)
        #expect(e.shape == [4, 4])
        #expect(e.values == (0..<16).map { UInt8(($0 * 17) % 256) })
        let scalar = try level.read("f_scalar", as: Double.self)
        #expect(scalar.shape == [])
        #expect(scalar.values == [2.5])
    }

    @Test func infoAndListingWithoutReading() throws {
        let file = try openFixture()
        let level = try file.root.openGroup("levels/0")
        #expect(try level.datasetInfo("a_f32") == HDF5DatasetInfo(shape: [2, 3, 4], elementType: .float32))
        #expect(try level.datasetInfo("d_i64") == HDF5DatasetInfo(shape: [2, 2, 2, 2], elementType: .int64))
        #expect(try level.datasetInfo("f_scalar") == HDF5DatasetInfo(shape: [], elementType: .float64))
        #expect(try level.datasetInfo("g_i16") == HDF5DatasetInfo(shape: [3], elementType: .int16))
        #expect(try level.children().map(\.name) == ["a_f32", "b_f64", "c_i32", "d_i64", "e_u8", "f_scalar", "g_i16"])
        #expect(try file.root.openGroup("levels").children() == [
            .init(name: "0", kind: .group), .init(name: "1", kind: .group),
        ])
        #expect(try file.root.openGroup("levels/1").children().isEmpty)
    }

    @Test func attributesWrittenByH5py() throws {
        let file = try openFixture()
        let root = file.attributes
        #expect(try root.names() == ["fixed", "format", "h", "steps", "times", "version"])
        #expect(try root.string("format") == "mlresnet-fixture")
        #expect(try root.string("fixed") == "ascii-fixed")   // fixed-length bytes
        #expect(try root.int64("version") == 3)
        #expect(try root.double("h") == 0.125)
        #expect(try root.int64Array("steps") == [1, 2, 4, 8])
        #expect(try root.doubleArray("times") == [0.0, 0.5, 1.0])
        let level = try file.root.openGroup("levels/0")
        #expect(try level.attributes.string("name") == "finest")
        #expect(try level.attributes.double("h") == 0.25)
        let a = try level.openDataset("a_f32")
        #expect(try a.attributes.string("unit") == "weights")
        #expect(try a.attributes.string("note") == "naïve ∂t")
    }
}
