import Foundation
import HDF5Storage
import ODENet
import Testing
@testable import Archiving

/// Level archives and checkpoints carry the whole-file seal (``HDF5FileSeal``): a byte changed or
/// cut off after the write is refused by every reader before libhdf5 parses the file, and h5py
/// still reads the archives.
@Suite struct SealedArchiveTests {
    /// The reader's error, which must be the seal's, naming `path`.
    private func sealField(_ path: String, _ read: () throws -> Void) -> HDF5FileSeal.Field? {
        do {
            try read()
            Issue.record("\(path) was read; expected a seal mismatch")
        } catch let ArchiveError.storage(.sealMismatch(file, field, _, _)) {
            #expect(file == path)
            return field
        } catch {
            Issue.record("expected ArchiveError.storage(.sealMismatch), got \(error)")
        }
        return nil
    }

    @Test("A level archive is sealed; one flipped data byte is refused by the reader and by inspect")
    func levelArchiveFlippedByte() throws {
        let folder = try Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("levels.h5").path
        let levels = try Fixture.levels()
        try LevelArchive.write(levels: levels, metadata: Fixture.metadata, to: path)
        #expect(try HDF5FileSeal.check(fileAt: path) == .verified)
        _ = try LevelArchive.read(from: path)

        var data = try Data(contentsOf: URL(fileURLWithPath: path))
        let pattern = levels[0].network.classifierWeight.value.elements.withUnsafeBytes { Data($0) }
        let range = try #require(data.range(of: pattern))
        data[range.lowerBound + range.count / 2] ^= 0x10
        try data.write(to: URL(fileURLWithPath: path))
        #expect(sealField(path) { _ = try LevelArchive.read(from: path) } == .crc32)
        #expect(sealField(path) { _ = try FileInspection.inspect(path) } == .crc32)
        #expect(sealField(path) { _ = try FileInspection.nonFiniteDatasets(in: path) } == .crc32)
    }

    @Test("A truncated sealed checkpoint is refused by its length; the previous generation is used, naming why")
    func truncatedCheckpointFallsBackWithTheSealsReason() throws {
        let folder = try Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("checkpoint.h5").path
        for epoch in 1...2 {
            try Checkpoint(network: ODENetwork(spec: Fixture.spec(), seed: UInt64(epoch)), counters: ["epoch": epoch],
                           configuration: "c").write(to: path, keepingPreviousGeneration: true)
        }
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        try data.prefix(data.count - 1).write(to: URL(fileURLWithPath: path))
        #expect(sealField(path) { _ = try Checkpoint.read(from: path, expectedConfiguration: nil) } == .length)
        #expect(sealField(path) { try Checkpoint.verify(at: path) } == .length)
        let fallback = try Checkpoint.readNewestIntact(at: path, expectedConfiguration: "c") { $0.counters["epoch"] }
        #expect(fallback.value == 1 && fallback.path == Checkpoint.previousGenerationPath(of: path))
        #expect(fallback.damagedNewest?.contains("is corrupt or was modified after it was written") == true)
    }

    @Test("h5py reads a sealed level archive (512-byte user block)", .enabled(if: Fixture.h5pyAvailable))
    func h5pyReadsSealedArchive() throws {
        let folder = try Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("levels.h5").path
        try LevelArchive.write(levels: Fixture.levels(), metadata: Fixture.metadata, to: path)
        let result = try Fixture.runPython("""
            import sys, h5py
            with h5py.File(sys.argv[1], "r") as f:
                print(f.userblock_size, f.attrs["format"], sorted(f["levels"].keys()), f["levels/0/stages/0/t"].shape)
            """, [path])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output == "512 \(LevelArchive.formatName) ['0', '1', '2'] (4,)\n", "\(result.output)")
    }
}
