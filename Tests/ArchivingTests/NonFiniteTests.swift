import Autodiff
import Foundation
import HDF5Storage
import ODENet
import TensorCore
import Testing
@testable import Archiving

/// Issue 12, defect 2: writers refuse non-finite tensors; readers, `inspect` and `analyze` report them.
@Suite struct NonFiniteTests {
    /// Sets element `index` of the tensor of `parameter` to `value`.
    private func poke(_ parameter: Parameter, _ index: Int, _ value: Float) {
        parameter.update { theta, _ in theta[index] = value }
    }

    private func conv1(_ network: ODENetwork, stage: Int, step: Int) throws -> Parameter {
        try #require(network.parameters.first { $0.name == "stage\(stage).step\(step).conv1.weight" })
    }

    @Test("A level archive holding NaN is refused, naming file and dataset; the previous file stays")
    func levelArchiveWriterRefuses() throws {
        let folder = try Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("levels.h5").path
        let levels = try Fixture.levels()
        try LevelArchive.write(levels: levels, metadata: Fixture.metadata, to: path)
        let previous = try Data(contentsOf: URL(fileURLWithPath: path))
        // Level 0 has N = 4; NaN in step 3's conv1 weight of stage 1 ([16, 16, 3, 3] each).
        let fine = try #require(levels.first { $0.index == 0 }).network
        poke(try conv1(fine, stage: 1, step: 3), 5, .nan)
        #expect(throws: ArchiveError.nonFiniteTensor(file: path, object: "/levels/0/stages/1/conv1.weight", count: 1,
                                                     total: 4 * 16 * 16 * 9)) {
            try LevelArchive.write(levels: levels, metadata: Fixture.metadata, to: path)
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == previous)
        #expect(try Fixture.contents(of: folder) == ["levels.h5"])  // no temporary file left
        // Without a previous file, nothing is created.
        let fresh = folder.appendingPathComponent("fresh.h5").path
        #expect(throws: ArchiveError.self) { try LevelArchive.write(levels: levels, metadata: Fixture.metadata, to: fresh) }
        #expect(!FileManager.default.fileExists(atPath: fresh))
        #expect(ArchiveError.nonFiniteTensor(file: path, object: "/x", count: 2, total: 9).description
                .contains("refusing to write \(path): /x holds 2 non-finite values"))
    }

    @Test("A checkpoint with a non-finite running statistic or momentum tensor is refused")
    func checkpointWriterRefuses() throws {
        let folder = try Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("checkpoint.h5").path
        let network = try Fixture.trainedNetwork(ODENetwork(spec: Fixture.spec(stepCount: 2), seed: 1), seed: 4)
        try Checkpoint(network: network, configuration: "c").write(to: path)
        let previous = try Data(contentsOf: URL(fileURLWithPath: path))

        var variance = network.headNorm.runningVariance
        variance.withUnsafeMutableBufferPointer { $0[3] = .infinity }
        network.headNorm.runningVariance = variance
        #expect(throws: ArchiveError.nonFiniteTensor(file: path, object: "/network/head/bn.running_var", count: 1,
                                                     total: 16)) {
            try Checkpoint(network: network, configuration: "c").write(to: path)
        }
        variance.withUnsafeMutableBufferPointer { $0[3] = 1 }
        network.headNorm.runningVariance = variance

        let momentum = try Tensor(shape: [2], elements: [1, -.infinity])
        #expect(throws: ArchiveError.nonFiniteTensor(file: path, object: "/optimizer/stem.weight", count: 1, total: 2)) {
            try Checkpoint(network: network, optimizerState: ["stem.weight": momentum], configuration: "c").write(to: path)
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == previous)
        #expect(try Fixture.contents(of: folder) == ["checkpoint.h5"])
    }

    /// A valid archive at `good` copied to `bad` with a NaN and an ∞ in `/levels/0/stages/1/conv1.weight`
    /// (through our HDF5 wrapper, as another tool would write them).
    private func archiveWithNaN(in folder: URL) throws -> (path: String, total: Int) {
        let good = folder.appendingPathComponent("good.h5").path
        try LevelArchive.write(levels: Fixture.levels(), metadata: Fixture.metadata, to: good)
        let bad = folder.appendingPathComponent("bad.h5").path
        let object = "/levels/0/stages/1/conv1.weight"
        let file = try HDF5File.open(at: good)
        var values = try file.root.read(object, as: Float.self).values
        try file.close()
        values[0] = .nan
        values[10] = .infinity
        try Fixture.copy(good, to: bad, edits: [object: .replace { group, name in
            _ = try group.write(values, shape: [4, 16, 16, 3, 3], to: name)
        }])
        return (bad, values.count)
    }

    @Test("Reading, inspect and analyze's check report a non-finite dataset with its count")
    func readersReportNonFiniteDatasets() throws {
        let folder = try Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (bad, total) = try archiveWithNaN(in: folder)
        let object = "/levels/0/stages/1/conv1.weight"
        // The reader (used by analyze, and by resume for checkpoints) refuses it.
        #expect(throws: ArchiveError.nonFiniteDataset(file: bad, object: object, count: 2, total: total)) {
            try LevelArchive.read(from: bad)
        }
        // inspect: a problem naming the dataset and the count; the tree is still listed.
        let inspection = try FileInspection.inspect(bad)
        #expect(inspection.nonFiniteDatasets == [.init(path: object, count: 2, total: total)])
        let problem = try #require(inspection.problem)
        #expect(problem.contains("\(object) (2 of \(total))"))
        #expect(inspection.objects.contains { $0.path == object })
        // analyze's check before reading.
        #expect(try FileInspection.nonFiniteDatasets(in: bad) == [.init(path: object, count: 2, total: total)])
        // The valid file passes all three.
        let good = folder.appendingPathComponent("good.h5").path
        #expect(try FileInspection.inspect(good).problem == nil)
        #expect(try FileInspection.nonFiniteDatasets(in: good).isEmpty)
    }

    @Test("A checkpoint with a NaN momentum dataset is refused on reading")
    func checkpointReaderRefuses() throws {
        let folder = try Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let good = folder.appendingPathComponent("good.h5").path
        let network = try ODENetwork(spec: Fixture.spec(stepCount: 2), seed: 1)
        try Checkpoint(network: network, optimizerState: ["stem.weight": try Tensor(zeros: [8, 1, 3, 3])],
                       configuration: "c").write(to: good)
        let bad = folder.appendingPathComponent("bad.h5").path
        try Fixture.copy(good, to: bad, edits: ["/optimizer/stem.weight": .replace { group, name in
            _ = try group.write([Float](repeating: .nan, count: 72), shape: [8, 1, 3, 3], to: name)
        }])
        #expect(throws: ArchiveError.nonFiniteDataset(file: bad, object: "/optimizer/stem.weight", count: 72, total: 72)) {
            try Checkpoint.read(from: bad, expectedConfiguration: nil)
        }
        #expect(try FileInspection.inspect(bad).problem?.contains("/optimizer/stem.weight (72 of 72)") == true)
    }

    @Test("A NaN poked in place with h5py is reported by inspect", .enabled(if: Fixture.h5pyAvailable))
    func h5pyNaNIsReported() throws {
        let folder = try Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("levels.h5").path
        try LevelArchive.write(levels: Fixture.levels(), metadata: Fixture.metadata, to: path)
        let result = try Fixture.runPython("""
            import sys, h5py, numpy
            with h5py.File(sys.argv[1], "r+") as f:
                d = f["levels/1/stages/0/conv1.weight"]
                a = d[...]
                a[1, 2, 3, 0, 0] = numpy.nan
                d[...] = a
            """, [path])
        #expect(result.status == 0, "\(result.output)")
        try HDF5FileSeal.unseal(fileAt: path)  // else the stale whole-file seal refuses the edited file first
        let inspection = try FileInspection.inspect(path)
        #expect(inspection.nonFiniteDatasets.map(\.path) == ["/levels/1/stages/0/conv1.weight"])
        #expect(inspection.nonFiniteDatasets.map(\.count) == [1])
        #expect(inspection.problem != nil)
        #expect(throws: ArchiveError.self) { try LevelArchive.read(from: path) }
    }
}
