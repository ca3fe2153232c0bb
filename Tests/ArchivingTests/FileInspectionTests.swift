import Foundation
import HDF5Storage
import ODENet
import Testing
@testable import Archiving

@Suite struct FileInspectionTests {
    @Test func summarizesEveryLevelOfAnArchive() throws {
        let folder = try Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("run.h5").path
        try LevelArchive.write(levels: Fixture.levels(), metadata: Fixture.metadata, to: path)
        let inspection = try FileInspection.inspect(path)
        #expect(inspection.format == LevelArchive.formatName && inspection.formatVersion == 1)
        #expect(inspection.problem == nil)
        #expect(inspection.networks.map(\.level) == [0, 1, 2])
        #expect(inspection.networks.map(\.stepsPerStage) == [4, 2, 1])
        #expect(inspection.networks.map(\.h) == [0.25, 0.5, 1])
        #expect(inspection.networks.map(\.testAccuracy) == [0.75, 0.625, 0.5])
        let conv = try #require(inspection.objects.first { $0.path == "/levels/0/stages/1/conv1.weight" })
        #expect(conv.kind == "dataset" && conv.elementType == "float32" && conv.shape == [4, 16, 16, 3, 3])
        #expect(inspection.objects.first?.path == "/")
        #expect(inspection.objects.first?.attributes.contains { $0.name == "format" } == true)
        // The JSON form encodes attribute values natively.
        let json = String(decoding: try JSONEncoder().encode(inspection), as: UTF8.self)
        #expect(json.contains("\"stepsPerStage\":4") && json.contains("MultilevelResNet.LevelArchive"))
    }

    @Test func listsACheckpointAndAForeignFile() throws {
        let folder = try Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let checkpoint = folder.appendingPathComponent("c.h5").path
        try Checkpoint(network: ODENetwork(spec: Fixture.spec(stepCount: 2), seed: 1), counters: ["level": 1],
                       configuration: "c").write(to: checkpoint)
        let inspected = try FileInspection.inspect(checkpoint)
        #expect(inspected.format == Checkpoint.formatName && inspected.problem == nil)
        #expect(inspected.networks.map(\.stepsPerStage) == [2] && inspected.networks.map(\.level) == [1])

        let foreign = folder.appendingPathComponent("other.h5").path
        let file = try HDF5File.create(at: foreign)
        try file.root.write([1, 2, 3] as [Double], shape: [3], to: "x/y")
        try file.close()
        let other = try FileInspection.inspect(foreign)
        #expect(other.format == nil && other.problem == nil && other.networks.isEmpty)
        #expect(other.objects.map(\.path) == ["/", "/x", "/x/y"])
    }

    @Test func reportsABrokenArchiveAndRefusesANonHDF5File() throws {
        let folder = try Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let good = folder.appendingPathComponent("good.h5").path
        try LevelArchive.write(levels: Fixture.levels(), metadata: Fixture.metadata, to: good)
        let bad = folder.appendingPathComponent("bad.h5").path
        try Fixture.copy(good, to: bad, edits: ["/levels/0/head/linear.weight": .drop])
        let inspection = try FileInspection.inspect(bad)
        #expect(inspection.problem?.contains("/levels/0/head/linear.weight") == true)
        #expect(inspection.objects.contains { $0.path == "/levels/0/head/linear.bias" })

        let text = folder.appendingPathComponent("text.h5").path
        try "hello".write(toFile: text, atomically: false, encoding: .utf8)
        #expect(throws: ArchiveError.notHDF5File(file: text)) { try FileInspection.inspect(text) }
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["ARCHIVING_SAMPLE_DIR"] != nil))
    func writesSampleFilesForManualChecks() throws {
        let folder = try #require(ProcessInfo.processInfo.environment["ARCHIVING_SAMPLE_DIR"])
        try LevelArchive.write(levels: Fixture.levels(), metadata: Fixture.metadata, to: folder + "/run.h5")
        try Checkpoint(network: ODENetwork(spec: Fixture.spec(stepCount: 2), seed: 1), counters: ["epoch": 2],
                       configuration: "sample").write(to: folder + "/checkpoint.h5")
        #expect(FileManager.default.fileExists(atPath: folder + "/run.h5"))
    }
}
