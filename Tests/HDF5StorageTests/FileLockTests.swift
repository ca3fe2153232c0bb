import Foundation
import HDF5Storage
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A file that another process holds open for writing is a lock conflict, reported as
/// ``HDF5Error/fileLocked(file:function:message:)`` naming `HDF5_USE_FILE_LOCKING`, never as a
/// truncated or corrupt file (issue 12, defect 5).
///
/// HDF5 1.10.8 locks with `flock` (shared for reading, exclusive for writing). These tests need
/// locking on: they are skipped when `HDF5_USE_FILE_LOCKING` is `FALSE` in the environment.
@Suite struct FileLockTests {
    static let lockingEnabled = ProcessInfo.processInfo.environment["HDF5_USE_FILE_LOCKING"]?.uppercased() != "FALSE"

    func makeFile(_ directory: TemporaryDirectory) throws -> String {
        let path = directory.file("held.h5")
        let file = try HDF5File.create(at: path)
        try file.root.write([Int32(1), 2, 3], shape: [3], to: "x")
        try file.close()
        return path
    }

    /// Asserts that `body` throws `fileLocked` for `path`, with a description naming the variable.
    func expectLocked(_ path: String, _ body: () throws -> Void) {
        do {
            try body()
            Issue.record("expected fileLocked for \(path), the open succeeded")
        } catch let error as HDF5Error {
            guard case let .fileLocked(file, _, message) = error else {
                Issue.record("expected fileLocked, got \(error)")
                return
            }
            #expect(file == path)
            #expect(message.contains("lock"))
            #expect(error.description.contains("HDF5_USE_FILE_LOCKING"))
            #expect(!error.description.contains("truncated"))
        } catch {
            Issue.record("expected HDF5Error.fileLocked, got \(error)")
        }
    }

    @Test(.enabled(if: lockingEnabled, "HDF5_USE_FILE_LOCKING=FALSE: no lock to conflict with"))
    func exclusiveFlockHeldInThisProcessIsALockConflict() throws {
        let directory = try TemporaryDirectory()
        let path = try makeFile(directory)
        // What HDF5 itself does for a writer: an exclusive flock on its own open file description.
        let fd = Glibc.open(path, O_RDWR)
        try #require(fd >= 0)
        defer { Glibc.close(fd) }
        try #require(flock(fd, LOCK_EX | LOCK_NB) == 0)
        expectLocked(path) { _ = try HDF5File.open(at: path) }
        expectLocked(path) { _ = try HDF5File.open(at: path, mode: .readWrite) }
        // (No `create` here: H5Fcreate truncates the file before it tries the lock.)
        // Released: the same file opens, so the lock (not the file) was the problem.
        try #require(flock(fd, LOCK_UN) == 0)
        let file = try HDF5File.open(at: path)
        #expect(try file.root.read("x", as: Int32.self).values == [1, 2, 3])
        try file.close()
    }

    @Test(.enabled(if: lockingEnabled && H5py.isAvailable, "needs /usr/bin/python3 with h5py and file locking on"))
    func fileHeldOpenForWritingByH5pyIsALockConflict() throws {
        let directory = try TemporaryDirectory()
        let path = try makeFile(directory)
        // h5py holds the file in append (read-write) mode until its stdin closes.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: H5py.python)
        process.arguments = ["-c", """
            import sys, h5py
            f = h5py.File(sys.argv[1], "a")
            print("open", flush=True)
            sys.stdin.read()
            f.close()
            """, path]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let line = String(decoding: output.fileHandleForReading.availableDataOrLine(), as: UTF8.self)
        try #require(line.hasPrefix("open"), "h5py did not open \(path): \(line)")
        expectLocked(path) { _ = try HDF5File.open(at: path) }
        expectLocked(path) { _ = try HDF5File.open(at: path, mode: .readWrite) }
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let file = try HDF5File.open(at: path)
        try file.close()
    }
}

/// Child processes started elsewhere in this process hold copies of HDF5's descriptors (and their
/// `flock`) until they exec, so a file closed, renamed into place and reopened meanwhile looked
/// locked: seen as a flaky `TrainingRunTests` failure under `scripts/asan` while other tests ran
/// `python3` and `mlresnet`. Before the fix this loop failed 1–4 times in 300.
@Suite struct SpawnWhileOpenTests {
    final class Flag: @unchecked Sendable {
        private let lock = NSLock()
        private var value = false
        var isSet: Bool { lock.withLock { value } }
        func set() { lock.withLock { value = true } }
    }

    @Test(.enabled(if: FileLockTests.lockingEnabled, "HDF5_USE_FILE_LOCKING=FALSE: no lock to inherit"))
    func reopeningWhileChildProcessesStartIsNoLockConflict() throws {
        let directory = try TemporaryDirectory()
        let stop = Flag()
        let spawner = Thread {
            while !stop.isSet {
                let child = Process()
                child.executableURL = URL(fileURLWithPath: "/bin/true")
                try? child.run()
                child.waitUntilExit()
            }
        }
        spawner.start()
        defer { stop.set() }
        var failures: [String] = []
        let target = directory.file("target.h5")
        for i in 0..<400 {
            // What AtomicFileWriter does: write a temporary file, close, rename over the target; then read.
            let temporary = directory.file("t\(i).tmp")
            let file = try HDF5File.create(at: temporary)
            try file.root.write([Float(i)], shape: [1], to: "x")
            try file.close()
            try #require(rename(temporary, target) == 0)
            do {
                let reopened = try HDF5File.open(at: target)
                try reopened.close()
            } catch {
                failures.append("\(i): \(error)")
            }
        }
        #expect(failures.isEmpty, "\(failures.count) of 400 reopenings failed; first: \(failures.first ?? "")")
    }
}

extension FileHandle {
    /// Reads until a newline or end of file.
    func availableDataOrLine() -> Data {
        var data = Data()
        while true {
            let chunk = availableData
            if chunk.isEmpty { return data }
            data.append(chunk)
            if chunk.contains(UInt8(ascii: "\n")) { return data }
        }
    }
}
