import Foundation
import HDF5Storage
import Testing

/// The whole-file seal in the HDF5 user block: a sealed file whose bytes changed is refused with a
/// typed error before libhdf5 sees it; unsealed files (h5py's, older ones) open as before; h5py
/// reads sealed files and computes the same CRC-32 from the documented layout.
@Suite struct FileSealTests {
    /// Writes a small sealed file (one float dataset of 4096 values and a string attribute).
    private func makeSealedFile(_ directory: TemporaryDirectory, name: String = "sealed.h5") throws -> String {
        let path = directory.file(name)
        let file = try HDF5File.create(at: path, userBlock: .seal)
        try file.attributes.set(.string("seal-test"), for: "format")
        try file.root.requireGroup("levels/0").write((0..<4096).map { Float($0) * 0.25 }, shape: [64, 64], to: "w")
        try file.close()
        try HDF5FileSeal.seal(fileAt: path)
        return path
    }

    private func bytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    private func write(_ data: Data, _ path: String) throws { try data.write(to: URL(fileURLWithPath: path)) }

    /// The seal error of opening `path`, or `nil` (recording an issue) for any other outcome.
    private func sealError(_ path: String) -> (field: HDF5FileSeal.Field, expected: UInt64, found: UInt64)? {
        do {
            _ = try HDF5File.open(at: path)
            Issue.record("\(path) opened; expected a seal mismatch")
        } catch let HDF5Error.sealMismatch(file, field, expected, found) {
            #expect(file == path)
            return (field, expected, found)
        } catch {
            Issue.record("expected a seal mismatch, got \(error)")
        }
        return nil
    }

    @Test("A sealed file: user block with the magic, superblock at byte 512, verified and readable")
    func sealedFileLayout() throws {
        let directory = try TemporaryDirectory()
        let path = try makeSealedFile(directory)
        let data = try bytes(path)
        #expect(Array(data.prefix(8)) == HDF5FileSeal.magic)
        #expect(Array(data[512..<520]) == [0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A])
        #expect(data[32..<512].allSatisfy { $0 == 0 })
        #expect(try HDF5FileSeal.check(fileAt: path) == .verified)
        let file = try HDF5File.open(at: path)
        #expect(try file.root.openDataset("levels/0/w").read(as: Float.self).values[4095] == 4095 * 0.25)
        #expect(try file.attributes.string("format") == "seal-test")
    }

    @Test("One flipped byte in the middle is refused with the CRC-32 of the seal and of the file")
    func flippedByteIsRefused() throws {
        let directory = try TemporaryDirectory()
        let path = try makeSealedFile(directory)
        var data = try bytes(path)
        let stored = data[24..<28].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        data[data.count / 2] ^= 0x10
        try write(data, path)
        let failure = sealError(path)
        #expect(failure?.field == .crc32)
        #expect(failure?.expected == stored)
        #expect(failure.map { $0.expected != $0.found } == true)
        let message = "\(HDF5Error.sealMismatch(file: path, field: .crc32, expected: 1, found: 2))"
        #expect(message.contains(path) && message.contains("is corrupt or was modified after it was written"))
        #expect(message.contains("00000001") && message.contains("00000002"))
    }

    /// libhdf5 would say "not an HDF5 file" (`H5Fis_hdf5`) on a destroyed superblock signature; the
    /// seal error proves the check ran first and libhdf5 was never asked.
    @Test("A destroyed superblock is refused by the seal before libhdf5 is called")
    func damagedMetadataNeverReachesHDF5() throws {
        let directory = try TemporaryDirectory()
        let path = try makeSealedFile(directory)
        var data = try bytes(path)
        data.replaceSubrange(512..<520, with: [UInt8](repeating: 0, count: 8))
        try write(data, path)
        #expect(sealError(path)?.field == .crc32)
        // The same bytes without the seal reach libhdf5, which refuses them in its own way.
        try HDF5FileSeal.unseal(fileAt: path)
        #expect(try HDF5FileSeal.check(fileAt: path) == .unsealed)
        #expect(throws: HDF5Error.notHDF5File(file: path)) { try HDF5File.open(at: path) }
    }

    @Test("A truncated or extended sealed file is refused with both lengths")
    func truncatedOrExtendedIsRefused() throws {
        let directory = try TemporaryDirectory()
        let path = try makeSealedFile(directory)
        let data = try bytes(path)
        try write(data.prefix(data.count / 2), path)
        let truncated = sealError(path)
        #expect(truncated?.field == .length)
        #expect(truncated?.expected == UInt64(data.count) && truncated?.found == UInt64(data.count / 2))
        try write(data + Data([0]), path)
        let extended = sealError(path)
        #expect(extended?.field == .length && extended?.found == UInt64(data.count + 1))
        try write(data.prefix(20), path)  // shorter than the seal header itself
        #expect(sealError(path)?.field == .length)
    }

    @Test("A damaged seal header is named as such, and an unknown seal version is refused")
    func damagedHeader() throws {
        let directory = try TemporaryDirectory()
        let path = try makeSealedFile(directory)
        let data = try bytes(path)
        var damaged = data
        damaged[17] ^= 0x01  // the stored length
        try write(damaged, path)
        #expect(sealError(path)?.field == .header)
        // A well-formed header of a newer seal version (its header CRC recomputed as Python would).
        let script = """
            import struct, sys, zlib
            data = bytearray(open(sys.argv[1], "rb").read())
            struct.pack_into("<I", data, 8, 2)
            struct.pack_into("<I", data, 28, zlib.crc32(bytes(data[0:28])))
            open(sys.argv[1], "wb").write(data)
            """
        try write(data, path)
        guard H5py.isAvailable else { return }
        let result = try H5py.run(["-c", script, path])
        try #require(result.status == 0, "\(result.stderr)")
        let newer = sealError(path)
        #expect(newer?.field == .version && newer?.expected == 1 && newer?.found == 2)
    }

    @Test("Files without a seal open as before; a file without a user block cannot be sealed")
    func unsealedFilesOpen() throws {
        let directory = try TemporaryDirectory()
        let plain = directory.file("plain.h5")
        let file = try HDF5File.create(at: plain)
        try file.root.write([Int64(7)], shape: [1], to: "n")
        try file.close()
        #expect(try HDF5FileSeal.check(fileAt: plain) == .unsealed)
        #expect(try HDF5File.open(at: plain).root.openDataset("n").read(as: Int64.self).values == [7])
        #expect(throws: HDF5Error.self) { try HDF5FileSeal.seal(fileAt: plain) }
        do {
            try HDF5FileSeal.seal(fileAt: plain)
        } catch let HDF5Error.notSealable(file, reason) {
            #expect(file == plain && reason.contains("512"))
        }
        #expect(try HDF5File.open(at: plain).root.openDataset("n").read(as: Int64.self).values == [7])  // untouched
        // A reserved but never sealed user block (all zeros) is an unsealed file too.
        let reserved = directory.file("reserved.h5")
        try HDF5File.create(at: reserved, userBlock: .seal).close()
        #expect(try HDF5FileSeal.check(fileAt: reserved) == .unsealed)
        _ = try HDF5File.open(at: reserved)
    }

    @Test("Opening a sealed file for writing verifies it, then removes the seal")
    func readWriteOpenUnseals() throws {
        let directory = try TemporaryDirectory()
        let path = try makeSealedFile(directory)
        do {
            let file = try HDF5File.open(at: path, mode: .readWrite)
            try file.attributes.set(.int64(2), for: "edited")
            try file.close()
        }
        #expect(try HDF5FileSeal.check(fileAt: path) == .unsealed)
        #expect(try HDF5File.open(at: path).attributes.int64("edited") == 2)
        // A damaged sealed file is refused for writing too (and keeps its seal).
        let other = try makeSealedFile(directory, name: "other.h5")
        var data = try bytes(other)
        data[data.count - 100] ^= 0x01
        try write(data, other)
        #expect(throws: HDF5Error.self) { try HDF5File.open(at: other, mode: .readWrite) }
        #expect(Array(try bytes(other).prefix(8)) == HDF5FileSeal.magic)
    }

    @Test("h5py reads a sealed file and computes its CRC-32 and length from the documented layout",
          .enabled(if: H5py.isAvailable, "needs /usr/bin/python3 with h5py and numpy; skipped"))
    func h5pyReadsSealedFiles() throws {
        let directory = try TemporaryDirectory()
        let path = try makeSealedFile(directory)
        let script = """
            import h5py, struct, sys, zlib
            data = open(sys.argv[1], "rb").read()
            magic, version, block, length, crc, header = struct.unpack_from("<8sIIQII", data, 0)
            assert magic == b"MLRSEAL\\n" and version == 1 and block == 512, (magic, version, block)
            assert length == len(data), (length, len(data))
            assert crc == zlib.crc32(data[512:]), (crc, zlib.crc32(data[512:]))
            assert header == zlib.crc32(data[:28])
            with h5py.File(sys.argv[1], "r") as f:
                assert f.userblock_size == 512
                w = f["levels/0/w"][()]
                print(w.shape, float(w[63, 63]), f.attrs["format"])
            """
        let result = try H5py.run(["-c", script, path])
        #expect(result.status == 0, "h5py: \(result.stderr)")
        #expect(String(decoding: result.stdout, as: UTF8.self) == "(64, 64) 1023.75 seal-test\n")
    }

    @Test("h5py's files open unsealed; one with a 512-byte user block can be sealed and then verifies",
          .enabled(if: H5py.isAvailable, "needs /usr/bin/python3 with h5py and numpy; skipped"))
    func h5pyFilesOpen() throws {
        let directory = try TemporaryDirectory()
        let plain = directory.file("h5py-plain.h5")
        let blocked = directory.file("h5py-userblock.h5")
        let script = """
            import h5py, numpy, sys
            with h5py.File(sys.argv[1], "w") as f:
                f["x"] = numpy.arange(5, dtype="<i8")
            with h5py.File(sys.argv[2], "w", userblock_size=512) as f:
                f["x"] = numpy.arange(5, dtype="<i8")
            """
        let result = try H5py.run(["-c", script, plain, blocked])
        try #require(result.status == 0, "h5py: \(result.stderr)")
        for path in [plain, blocked] {
            #expect(try HDF5FileSeal.check(fileAt: path) == .unsealed)
            #expect(try HDF5File.open(at: path).root.openDataset("x").read(as: Int64.self).values == [0, 1, 2, 3, 4])
        }
        try HDF5FileSeal.seal(fileAt: blocked)
        #expect(try HDF5FileSeal.check(fileAt: blocked) == .verified)
        #expect(try HDF5File.open(at: blocked).root.openDataset("x").read(as: Int64.self).values == [0, 1, 2, 3, 4])
    }
}
