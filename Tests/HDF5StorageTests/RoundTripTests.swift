import Datasets
import Foundation
import HDF5Storage
import Testing

/// Write, close, re-open read-only, and compare: datasets of every element type and rank 0…5,
/// attributes of every kind, group listings.
@Suite struct RoundTripTests {
    /// Shapes of rank 0…5, one with a zero extent.
    static let shapes: [[Int]] = [[], [7], [3, 4], [2, 1, 5], [2, 3, 2, 2], [1, 2, 3, 2, 2], [0, 3]]

    /// Writes one dataset per shape of element type `T` under `/T`, re-reads them from a
    /// read-only re-open, and checks values, shapes and element types.
    func roundTrip<T: RandomHDF5Scalar>(_ type: T.Type, seed: UInt64) throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("arrays.h5")
        var generator = SplitMix64(seed: seed)
        var written: [String: HDF5Array<T>] = [:]
        do {
            let file = try HDF5File.create(at: path)
            for shape in Self.shapes {
                let values = (0..<shape.reduce(1, *)).map { _ in T.random(using: &generator) }
                let name = "data/rank\(shape.count)_\(shape.map(String.init).joined(separator: "x"))"
                let array = try HDF5Array(values: values, shape: shape)
                let dataset = try file.root.write(array, to: name)
                #expect(dataset.info == HDF5DatasetInfo(shape: shape, elementType: T.hdf5ElementType))
                written[name] = array
            }
            try file.close()
        }
        let file = try HDF5File.open(at: path, mode: .readOnly)
        for (name, array) in written {
            let info = try file.root.datasetInfo(name)
            #expect(info.shape == array.shape, "\(name)")
            #expect(info.elementType == T.hdf5ElementType, "\(name)")
            let read = try file.root.read(name, as: T.self, expectedShape: array.shape)
            #expect(read == array, "\(name)")
        }
        let children = try file.root.openGroup("data").children()
        #expect(Set(children.map(\.name)) == Set(written.keys.map { String($0.dropFirst("data/".count)) }))
        #expect(children.allSatisfy { $0.kind == .dataset })
    }

    @Test func float32Arrays() throws { try roundTrip(Float.self, seed: 1) }
    @Test func float64Arrays() throws { try roundTrip(Double.self, seed: 2) }
    @Test func int32Arrays() throws { try roundTrip(Int32.self, seed: 3) }
    @Test func int64Arrays() throws { try roundTrip(Int64.self, seed: 4) }
    @Test func uint8Arrays() throws { try roundTrip(UInt8.self, seed: 5) }

    @Test func rowMajorOrderMatchesIndexFormula() throws {
        // Element [i, j, k] of shape [A, B, C] sits at (i * B + j) * C + k: write the index itself.
        let directory = try TemporaryDirectory()
        let path = directory.file("order.h5")
        let shape = [2, 3, 4]
        try HDF5File.create(at: path).root.write((0..<24).map(Int32.init), shape: shape, to: "x")
        let read = try HDF5File.open(at: path).root.read("x", as: Int32.self)
        for i in 0..<2 { for j in 0..<3 { for k in 0..<4 {
            #expect(read.values[(i * 3 + j) * 4 + k] == Int32(i * 12 + j * 4 + k))
        } } }
    }

    @Test func attributesOfEveryKindOnRootGroupAndDataset() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("attributes.h5")
        let values: [String: HDF5AttributeValue] = [
            "i": .int64(-1 << 40), "d": .double(0.1), "s": .string("rk4Classic ∂/∂t"),
            "empty": .string(""), "ia": .int64Array([1, -2, 3]), "da": .doubleArray([0.5, -1e-300, 7]),
            "sa": .stringArray(["conv1.weight", "bn1.γ"]), "none": .doubleArray([]),
        ]
        do {
            let file = try HDF5File.create(at: path)
            let group = try file.root.createGroup("levels/0", createIntermediates: true)
            let dataset = try group.write([Float(1)], shape: [1], to: "t")
            for owner in [file.attributes, group.attributes, dataset.attributes] {
                try owner.set(.string("replaced below"), for: "d")
                for (name, value) in values { try owner.set(value, for: name) }
            }
            try file.attributes.set("literal", for: "lit")
            try file.close()
            try file.close()   // idempotent
            #expect(!file.isOpen)
        }
        let file = try HDF5File.open(at: path)
        let owners = [file.attributes, try file.root.openGroup("levels/0").attributes,
                      try file.root.openDataset("levels/0/t").attributes]
        for owner in owners {
            for (name, value) in values { #expect(try owner.value(name) == value, "\(name)") }
            #expect(try owner.double("d") == 0.1)
            #expect(try owner.int64("i") == -1 << 40)
            #expect(try owner.string("s") == "rk4Classic ∂/∂t")
            #expect(try owner.int64Array("ia") == [1, -2, 3])
            #expect(try owner.doubleArray("da") == [0.5, -1e-300, 7])
            #expect(try owner.stringArray("sa") == ["conv1.weight", "bn1.γ"])
            #expect(try owner.contains("s"))
            #expect(try !owner.contains("absent"))
        }
        #expect(try owners[0].names() == ["d", "da", "empty", "i", "ia", "lit", "none", "s", "sa"])
        #expect(try owners[1].names() == values.keys.sorted())
        #expect(try file.attributes.string("lit") == "literal")
    }

    @Test func groupsListContainAndRequire() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("groups.h5")
        do {
            let file = try HDF5File.create(at: path)
            let levels = try file.root.requireGroup("levels")
            for level in ["2", "0", "10"] { try levels.createGroup(level) }
            let stage = try levels.requireGroup("0/stages/1")
            #expect(stage.path == "/levels/0/stages/1")
            try stage.write([0.0, 0.5], shape: [2], to: "t")
            try levels.write([Int64(3)], shape: [], to: "count")
            #expect(try levels.requireGroup("0/stages/1").path == stage.path)   // opens, not recreates
            try file.flush()
            try file.close()
        }
        let file = try HDF5File.open(at: path, mode: .readWrite)
        let levels = try file.root.openGroup("levels")
        #expect(try levels.children() == [
            .init(name: "0", kind: .group), .init(name: "10", kind: .group),
            .init(name: "2", kind: .group), .init(name: "count", kind: .dataset),
        ])
        #expect(try file.root.contains("levels/0/stages/1/t"))
        #expect(try file.root.contains("/levels/0/stages"))
        #expect(try !file.root.contains("levels/3/stages"))
        #expect(try file.root.kindOfObject("levels/0/stages/1/t") == .dataset)
        #expect(try levels.read("count", as: Int64.self) == HDF5Array(values: [3], shape: []))
        #expect(try file.root.read("levels/0/stages/1/t", as: Double.self).values == [0.0, 0.5])
        // A read-write re-open can add to the file.
        try levels.createGroup("3")
        #expect(try levels.contains("3"))
    }
}
