import Foundation
import HDF5Storage
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Files and paths built to break the reader: non-regular files, NULL dataspaces, and datasets
/// whose size overflows or exceeds the machine's memory. Each must throw a typed error naming the
/// file and object, before allocating or blocking.
@Suite struct HostileFileTests {
    /// Writes, with h5py, a 2 KB file holding `/empty` (`h5py.Empty('f4')`), `/huge` (chunked,
    /// never written, float32 `[2⁴⁰]`: 4 TiB) and `/overflow` (float32 `[2³¹, 2³¹, 4]`: the
    /// element count overflows `Int`).
    static func makeHostileFile(_ directory: TemporaryDirectory) throws -> String {
        let path = directory.file("hostile.h5")
        let script = """
            import sys, h5py
            with h5py.File(sys.argv[1], "w") as f:
                f.create_dataset("empty", data=h5py.Empty("f4"))
                f.create_dataset("huge", shape=(2**40,), dtype="f4", chunks=(1024,))
                f.create_dataset("overflow", shape=(2**31, 2**31, 4), dtype="f4", chunks=(1, 1, 4))
            """
        let result = try H5py.run(["-c", script, path])
        try #require(result.status == 0, "h5py failed: \(result.stderr)")
        return path
    }

    @Test(.enabled(if: H5py.isAvailable, "needs /usr/bin/python3 with h5py and numpy; skipped"))
    func nullDataspaceIsReportedNotRead() throws {
        let directory = try TemporaryDirectory()
        let path = try Self.makeHostileFile(directory)
        let file = try HDF5File.open(at: path)
        let info = try file.root.datasetInfo("empty")
        #expect(info.isNull)
        #expect(info.shape == [])
        #expect(info.elementCount == 0)
        #expect(throws: HDF5Error.nullDataspace(file: path, object: "/empty")) {
            try file.root.read("empty", as: Float.self)
        }
    }

    @Test(.enabled(if: H5py.isAvailable, "needs /usr/bin/python3 with h5py and numpy; skipped"))
    func datasetLargerThanMemoryIsRefusedBeforeAllocating() throws {
        let directory = try TemporaryDirectory()
        let path = try Self.makeHostileFile(directory)
        let file = try HDF5File.open(at: path)
        #expect(try file.root.datasetInfo("huge").shape == [1 << 40])
        let limit = ProcessInfo.processInfo.physicalMemory
        try #require(limit < 1 << 42, "this machine has more than 4 TiB of memory")
        #expect(throws: HDF5Error.datasetTooLarge(file: path, object: "/huge", shape: [1 << 40],
                                                  byteCount: 1 << 42, limit: limit)) {
            try file.root.read("huge", as: Float.self)
        }
    }

    @Test(.enabled(if: H5py.isAvailable, "needs /usr/bin/python3 with h5py and numpy; skipped"))
    func elementCountOverflowIsRefused() throws {
        let directory = try TemporaryDirectory()
        let path = try Self.makeHostileFile(directory)
        let file = try HDF5File.open(at: path)
        let info = try file.root.datasetInfo("overflow")
        #expect(info.shape == [1 << 31, 1 << 31, 4])
        #expect(info.elementCount == Int.max)  // saturated, not trapped
        #expect(throws: HDF5Error.datasetTooLarge(file: path, object: "/overflow", shape: [1 << 31, 1 << 31, 4],
                                                  byteCount: nil,
                                                  limit: ProcessInfo.processInfo.physicalMemory)) {
            try file.root.read("overflow", as: Float.self)
        }
    }

    @Test func fifoIsNotARegularFileAndDoesNotBlock() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("fifo")
        try #require(mkfifo(path, 0o600) == 0)
        #expect(throws: HDF5Error.notRegularFile(file: path, kind: "a named pipe (FIFO)")) {
            try HDF5File.open(at: path)
        }
        #expect(throws: HDF5Error.notRegularFile(file: path, kind: "a named pipe (FIFO)")) {
            try HDF5File.create(at: path)
        }
    }

    @Test func directoryDeviceAndDanglingLinkAreNotRegularFiles() throws {
        let directory = try TemporaryDirectory()
        #expect(throws: HDF5Error.notRegularFile(file: directory.path, kind: "a directory")) {
            try HDF5File.open(at: directory.path)
        }
        #expect(throws: HDF5Error.notRegularFile(file: directory.path, kind: "a directory")) {
            try HDF5File.create(at: directory.path)
        }
        #expect(throws: HDF5Error.notRegularFile(file: "/dev/null", kind: "a character device")) {
            try HDF5File.open(at: "/dev/null")
        }
        let link = directory.file("dangling.h5")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: directory.file("absent"))
        #expect(throws: HDF5Error.notRegularFile(file: link, kind: "a dangling symbolic link")) {
            try HDF5File.open(at: link)
        }
        #expect(throws: HDF5Error.notRegularFile(file: link, kind: "a dangling symbolic link")) {
            try HDF5File.create(at: link)
        }
        #expect(!FileManager.default.fileExists(atPath: directory.file("absent")))
    }

    @Test func messagesReadNaturally() {
        let kind = HDF5Error.wrongObjectKind(file: "f.h5", object: "/x", expected: .group, found: .other)
        #expect(!kind.description.contains("a other"))
        #expect(kind.description.contains("an object of another kind"))
        let size = HDF5Error.datasetTooLarge(file: "f.h5", object: "/huge", shape: [1 << 40],
                                             byteCount: 1 << 42, limit: 1 << 30)
        for part in ["f.h5", "/huge", "[1099511627776]", "4398046511104 bytes"] {
            #expect(size.description.contains(part), "\(part)")
        }
        #expect(HDF5Error.notRegularFile(file: "p", kind: "a named pipe (FIFO)").description
                    .contains("not a regular file"))
    }
}
