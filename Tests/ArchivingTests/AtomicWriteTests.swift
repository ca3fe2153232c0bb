import Foundation
import HDF5Storage
import Testing
@testable import Archiving

private struct SimulatedCrash: Error {}

@Suite struct AtomicWriteTests {
    @Test func aCrashBeforeTheRenameLeavesThePreviousFileIntact() throws {
        let folder = try Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("run.h5").path
        let levels = try Fixture.levels()
        try LevelArchive.write(levels: Array(levels.prefix(1)), metadata: Fixture.metadata, to: path)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))

        var hookRan = false
        #expect(throws: SimulatedCrash.self) {
            try LevelArchive.write(levels: levels, metadata: Fixture.metadata, to: path, beforeRename: {
                hookRan = true
                // The complete new file exists beside the target at this instant.
                let names = try Fixture.contents(of: folder)
                #expect(names.count == 2 && names.contains { $0.hasPrefix(".run.h5.tmp-") }, "\(names)")
                throw SimulatedCrash()
            })
        }
        #expect(hookRan)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        #expect(try Fixture.contents(of: folder) == ["run.h5"])
        #expect(try LevelArchive.read(from: path).levels.map(\.index) == [2])

        // A stale temporary file of a killed writer is ignored by readers and removed by the next write.
        let stale = folder.appendingPathComponent(".run.h5.tmp-999999-1").path
        try "partial".write(toFile: stale, atomically: false, encoding: .utf8)
        #expect(try LevelArchive.read(from: path).levels.count == 1)
        try LevelArchive.write(levels: levels, metadata: Fixture.metadata, to: path)
        #expect(try Fixture.contents(of: folder) == ["run.h5"])
        #expect(try LevelArchive.read(from: path).levels.map(\.index) == [0, 1, 2])
    }

    @Test func aFailingBodyLeavesNoTrace() throws {
        let folder = try Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("file.h5").path
        try AtomicFileWriter.write(to: path) { file in try file.attributes.set("old", for: "version") }
        #expect(throws: ArchiveError.self) {
            try AtomicFileWriter.write(to: path) { file in
                try file.attributes.set("new", for: "version")
                _ = try file.root.write([Float](repeating: 0, count: 3), shape: [2], to: "bad")  // shape mismatch
            }
        }
        #expect(try Fixture.contents(of: folder) == ["file.h5"])
        let file = try HDF5File.open(at: path)
        defer { try? file.close() }
        #expect(try file.attributes.string("version") == "old")
    }

    @Test func aMissingFolderIsATypedError() throws {
        let folder = try Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("no/such/folder/run.h5").path
        let missing = folder.appendingPathComponent("no/such/folder").path
        // The message names the missing folder (it used to be HDF5's bare `H5Fcreate … errno = 2`).
        #expect(throws: ArchiveError.missingFolder(file: path, folder: missing)) {
            try LevelArchive.write(levels: Fixture.levels(), metadata: Fixture.metadata, to: path)
        }
        let json = folder.appendingPathComponent("no/such/folder/results.json").path
        let error = try #require(throws: ArchiveError.self) { try AtomicFileWriter.write(Data("{}".utf8), to: json) }
        #expect(error == .missingFolder(file: json, folder: missing))
        #expect(error.description.contains(missing) && error.description.contains("does not exist")
                && !error.description.contains("errno"), "\(error)")
        #expect(!FileManager.default.fileExists(atPath: missing))
    }

    @Test func bytesJSONAndLinesAreWrittenWholeAndReplaceTheTarget() throws {
        let folder = try Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("results.json").path
        try AtomicFileWriter.writeJSON(["b": 2, "a": 1], to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "{\n  \"a\" : 1,\n  \"b\" : 2\n}")
        // A stale temporary of a killed writer is removed; the target is replaced.
        try "partial".write(toFile: folder.appendingPathComponent(".results.json.tmp-1-2").path, atomically: false,
                            encoding: .utf8)
        try AtomicFileWriter.writeLines(["x,y", "1,2"], to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "x,y\n1,2\n")
        #expect(try Fixture.contents(of: folder) == ["results.json"])
        let large = Data((0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        try AtomicFileWriter.write(large, to: path)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == large)

        // A missing folder is named (open(2) would say only ENOENT); any other failure of open names it.
        let missing = folder.appendingPathComponent("no/such/summary.csv").path
        #expect(throws: ArchiveError.missingFolder(file: missing, folder: folder.appendingPathComponent("no/such").path)) {
            try AtomicFileWriter.writeLines(["a"], to: missing)
        }
        let refused = "/proc/mlresnet-test-\(getpid()).csv"
        do {
            try AtomicFileWriter.writeLines(["a"], to: refused)
            Issue.record("a write into /proc succeeded")
        } catch let ArchiveError.systemCallFailed(function, _, file, _) {
            #expect(function == "open" && file == refused)
        }
    }

    @Test func valuesJSONCannotHoldAndPathsNamingNoFileAreTypedErrorsThatWriteNothing() throws {
        let folder = try Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("summary.json").path
        try AtomicFileWriter.writeJSON(["mean": 0.5], to: path)
        for value in [Double.nan, .infinity] {
            do {
                try AtomicFileWriter.writeJSON(["levels": [["mean": 0.5], ["mean": value]]], to: path)
                Issue.record("\(value) was encoded")
            } catch let ArchiveError.invalidArgument(file, message) {
                #expect(file == path && message.contains("levels[1].mean"), "\(message)")
            }
        }
        // The previous file is intact and no temporary is left.
        #expect(try String(contentsOfFile: path, encoding: .utf8).contains("0.5"))
        #expect(try Fixture.contents(of: folder) == ["summary.json"])
        for target in ["", folder.path + "/"] {
            #expect(throws: ArchiveError.self, "'\(target)'") { try AtomicFileWriter.writeLines(["a"], to: target) }
            #expect(throws: ArchiveError.self, "'\(target)'") { try AtomicFileWriter.write(to: target) { _ in } }
        }
        // A target that is an existing folder: the rename fails, the folder and its contents stay.
        #expect(throws: ArchiveError.self) { try AtomicFileWriter.writeLines(["a"], to: folder.path) }
        #expect(try Fixture.contents(of: folder) == ["summary.json"])
    }
}
