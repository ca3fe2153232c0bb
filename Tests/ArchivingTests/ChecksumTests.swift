import Foundation
import HDF5Storage
import ODENet
import Testing
@testable import Archiving

/// Every dataset of a checkpoint and a level archive carries zlib's CRC-32; a damaged byte is
/// refused with the dataset's name, and files without checksums (older files) still read.
@Suite struct ChecksumTests {
    /// Flips one byte in the middle of the first occurrence of `tensor`'s bytes in the file.
    private func flipByte(of values: [Float], in path: String) throws {
        var data = try Data(contentsOf: URL(fileURLWithPath: path))
        let pattern = values.withUnsafeBytes { Data($0) }
        let range = try #require(data.range(of: pattern), "the tensor's bytes are stored contiguously")
        let index = range.lowerBound + range.count / 2
        data[index] ^= 0x10
        try data.write(to: URL(fileURLWithPath: path))
        // The whole-file seal would refuse the file before any dataset is read (SealedArchiveTests);
        // without it (a file older than the seal) the datasets' own checksums must name the damage.
        try HDF5FileSeal.unseal(fileAt: path)
    }

    private func checksumFailure(_ body: () throws -> Void) -> (object: String, stored: UInt32?, computed: UInt32)? {
        do {
            try body()
        } catch let ArchiveError.checksumMismatch(_, object, stored, computed) {
            return (object, stored, computed)
        } catch {
            Issue.record("expected a checksum mismatch, got \(error)")
        }
        return nil
    }

    @Test("A checkpoint with one flipped byte in a dataset is refused, naming the dataset")
    func flippedByteInCheckpoint() throws {
        let folder = try Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("checkpoint.h5").path
        let network = try ODENetwork(spec: Fixture.spec(), seed: 1)
        try Checkpoint(network: network, counters: ["epoch": 2], configuration: "c").write(to: path)
        _ = try Checkpoint.read(from: path, expectedConfiguration: nil)  // intact: reads
        try flipByte(of: network.stem.value.elements, in: path)
        let failure = checksumFailure { _ = try Checkpoint.read(from: path, expectedConfiguration: nil) }
        #expect(failure?.object == "/network/stem/weight")
        #expect(failure.map { $0.stored != $0.computed } == true)
        #expect(throws: ArchiveError.self) { try Checkpoint.verify(at: path) }
        let message = "\(ArchiveError.checksumMismatch(file: path, object: "/network/stem/weight", stored: 1, computed: 2))"
        #expect(message.contains(path) && message.contains("/network/stem/weight") && message.contains("damaged"))
    }

    /// Removing the root checksum used to switch every check off (the file then passed as one
    /// written before checksums existed), so a damaged dataset resumed silently.
    @Test("A checkpoint whose root checksum went missing is still verified: damage named, then the root",
          .enabled(if: Fixture.h5pyAvailable, "needs python3 with h5py"))
    func missingRootChecksumIsDamage() throws {
        let folder = try Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("checkpoint.h5").path
        let network = try ODENetwork(spec: Fixture.spec(), seed: 1)
        try Checkpoint(network: network, counters: ["epoch": 2], configuration: "c").write(to: path)
        let strip = try Fixture.runPython("import h5py, sys\nwith h5py.File(sys.argv[1], 'r+') as f: del f.attrs['crc32']", [path])
        #expect(strip.status == 0, "\(strip.output)")
        try HDF5FileSeal.unseal(fileAt: path)  // else the stale whole-file seal refuses it first
        // Only the root attribute is gone: the file is damaged, not old.
        #expect(checksumFailure { _ = try Checkpoint.read(from: path, expectedConfiguration: nil) }?.object == "/")
        // And a flipped byte is named as before.
        try flipByte(of: network.stem.value.elements, in: path)
        #expect(checksumFailure { _ = try Checkpoint.read(from: path, expectedConfiguration: nil) }?.object
                == "/network/stem/weight")
    }

    @Test("A level archive with one flipped byte in a dataset is refused, naming the dataset")
    func flippedByteInLevelArchive() throws {
        let folder = try Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("levels.h5").path
        let levels = try Fixture.levels()
        try LevelArchive.write(levels: levels, metadata: Fixture.metadata, to: path)
        _ = try LevelArchive.read(from: path)
        try flipByte(of: levels[0].network.classifierWeight.value.elements, in: path)
        let failure = checksumFailure { _ = try LevelArchive.read(from: path) }
        // The coarse level's classifier is copied unchanged into the finer ones; the first copy in the file is hit.
        #expect(failure?.object.hasPrefix("/levels/") == true && failure?.object.hasSuffix("/head/linear.weight") == true)
    }

    @Test("A changed checksum attribute is refused, naming the dataset; a changed counter names the root")
    func changedAttributes() throws {
        let folder = try Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("checkpoint.h5").path
        try Checkpoint(network: ODENetwork(spec: Fixture.spec(), seed: 1), counters: ["epoch": 2], configuration: "c")
            .write(to: path)
        var file = try HDF5File.open(at: path, mode: .readWrite)
        let bias = try file.root.openDataset("network/head/linear.bias")
        let stored = try bias.attributes.int64("crc32")
        try bias.attributes.set(.int64(stored ^ 1), for: "crc32")
        try file.close()
        let failure = checksumFailure { _ = try Checkpoint.read(from: path, expectedConfiguration: nil) }
        #expect(failure?.object == "/network/head/linear.bias")
        #expect(failure?.stored == UInt32(stored ^ 1))

        file = try HDF5File.open(at: path, mode: .readWrite)
        try file.root.openDataset("network/head/linear.bias").attributes.set(.int64(stored), for: "crc32")
        try file.root.openGroup("counters").attributes.set(.int64(3), for: "epoch")
        try file.close()
        #expect(checksumFailure { _ = try Checkpoint.read(from: path, expectedConfiguration: nil) }?.object == "/")
    }

    @Test("Files without checksums (written before them) still read",
          .enabled(if: Fixture.h5pyAvailable, "needs python3 with h5py"))
    func filesWithoutChecksumsRead() throws {
        let folder = try Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("levels.h5").path
        try LevelArchive.write(levels: Fixture.levels(), metadata: Fixture.metadata, to: path)
        // h5py's zlib.crc32 of each dataset's bytes equals the stored attribute; then strip them all.
        let script = """
            import sys, zlib, h5py
            with h5py.File(sys.argv[1], "r+") as f:
                checked = []
                def visit(name, obj):
                    if isinstance(obj, h5py.Dataset):
                        assert zlib.crc32(obj[()].tobytes()) == obj.attrs["crc32"], name
                        checked.append(name)
                f.visititems(visit)
                for name in checked: del f[name].attrs["crc32"]
                del f.attrs["crc32"]
                print(len(checked))
            """
        let (status, output) = try Fixture.runPython(script, [path])
        #expect(status == 0, "\(output)")
        #expect((Int(output.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) > 10)
        try HDF5FileSeal.unseal(fileAt: path)  // files older than checksums have no whole-file seal either
        let archive = try LevelArchive.read(from: path)
        #expect(archive.levels.map(\.index) == [0, 1, 2])
    }
}
