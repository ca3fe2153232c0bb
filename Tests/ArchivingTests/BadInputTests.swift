import Foundation
import HDF5Storage
import Testing
@testable import Archiving

/// Each bad file gives a typed error naming the file (and the object); nothing is overwritten.
@Suite struct BadInputTests {
    /// A folder with a valid archive `good.h5`.
    private func validArchive() throws -> (folder: URL, path: String) {
        let folder = try Fixture.temporaryFolder()
        let path = folder.appendingPathComponent("good.h5").path
        try LevelArchive.write(levels: Fixture.levels(), metadata: Fixture.metadata, to: path)
        return (folder, path)
    }

    /// Reads `path` and returns the archive error it throws.
    private func readError(_ path: String) throws -> ArchiveError {
        do {
            _ = try LevelArchive.read(from: path)
        } catch let error as ArchiveError {
            return error
        }
        Issue.record("reading \(path) did not throw")
        return .fileNotFound(file: "")
    }

    /// Copies the valid archive with one edit and returns the error of reading the copy.
    private func errorAfterEditing(_ edits: [String: Fixture.Edit]) throws -> (error: ArchiveError, path: String) {
        let (folder, good) = try validArchive()
        defer { try? FileManager.default.removeItem(at: folder) }
        let bad = folder.appendingPathComponent("bad.h5").path
        try Fixture.copy(good, to: bad, edits: edits)
        _ = try LevelArchive.read(from: good)  // the unedited copy reads fine
        return (try readError(bad), bad)
    }

    @Test func aTextFileIsNotHDF5() throws {
        let folder = try Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("notes.h5").path
        try "not an archive\n".write(toFile: path, atomically: false, encoding: .utf8)
        #expect(try readError(path) == .notHDF5File(file: path))
        #expect(throws: ArchiveError.notHDF5File(file: path)) {
            try Checkpoint.read(from: path, expectedConfiguration: nil)
        }
        let missing = folder.appendingPathComponent("missing.h5").path
        #expect(try readError(missing) == .fileNotFound(file: missing))
    }

    @Test func aTruncatedFileIsUnreadable() throws {
        let (folder, good) = try validArchive()
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = try Data(contentsOf: URL(fileURLWithPath: good))
        for fraction in [0.5, 0.9] {
            let path = folder.appendingPathComponent("truncated-\(fraction).h5").path
            try data.prefix(Int(Double(data.count) * fraction)).write(to: URL(fileURLWithPath: path))
            // Refused by the whole-file seal before HDF5 is called, naming both lengths ...
            #expect(try readError(path) == .storage(.sealMismatch(
                file: path, field: .length, expected: UInt64(data.count),
                found: UInt64(Int(Double(data.count) * fraction)))))
            // ... and, without the seal (an older file), by HDF5.
            try HDF5FileSeal.unseal(fileAt: path)
            let error = try readError(path)
            guard case let .unreadableFile(file, _, _) = error else {
                Issue.record("truncated to \(fraction): \(error)")
                continue
            }
            #expect(file == path)
        }
    }

    @Test func anUnknownFormatNameOrANewerVersionIsRefused() throws {
        let renamed = try errorAfterEditing(["/": .attributes(["format": "SomethingElse"])])
        #expect(renamed.error == .unknownFormat(file: renamed.path, expected: LevelArchive.formatName, found: "SomethingElse"))
        let newer = try errorAfterEditing(["/": .attributes(["format_version": .int64(2)])])
        #expect(newer.error == .unsupportedVersion(file: newer.path, found: 2, supported: 1))
        // A checkpoint reader refuses a level archive by its format name.
        let (folder, good) = try validArchive()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(throws: ArchiveError.unknownFormat(file: good, expected: Checkpoint.formatName,
                                                   found: LevelArchive.formatName)) {
            try Checkpoint.read(from: good, expectedConfiguration: nil)
        }
    }

    @Test func aMissingLevelOrParameterIsNamed() throws {
        let level = try errorAfterEditing(["/levels/1": .drop])
        #expect(level.error == .missingObject(file: level.path, object: "/levels/1"))
        let parameter = try errorAfterEditing(["/levels/0/stages/1/conv2.weight": .drop])
        #expect(parameter.error == .missingObject(file: parameter.path, object: "/levels/0/stages/1/conv2.weight"))
        let head = try errorAfterEditing(["/levels/2/head/linear.bias": .drop])
        #expect(head.error == .missingObject(file: head.path, object: "/levels/2/head/linear.bias"))
    }

    @Test func aShapeOrDtypeOffTheSpecIsNamed() throws {
        let shape = try errorAfterEditing(["/levels/0/stages/0/conv1.weight": .replace { group, name in
            try group.write([Float](repeating: 0, count: 3 * 8 * 8 * 9), shape: [3, 8, 8, 3, 3], to: name)
        }])
        #expect(shape.error == .shapeMismatch(file: shape.path, object: "/levels/0/stages/0/conv1.weight",
                                              expected: [4, 8, 8, 3, 3], found: [3, 8, 8, 3, 3]))
        let dtype = try errorAfterEditing(["/levels/1/stem/weight": .replace { group, name in
            try group.write([Double](repeating: 0, count: 8 * 9), shape: [8, 1, 3, 3], to: name)
        }])
        #expect(dtype.error == .dtypeMismatch(file: dtype.path, object: "/levels/1/stem/weight",
                                              expected: "float32", found: "float64"))
        // The spec itself says 16 channels in stage 1; claiming 12 makes every stage-1 tensor wrong.
        let spec = try errorAfterEditing(["/levels/2": .attributes(["stage_channels": .int64Array([8, 12])])])
        guard case let .shapeMismatch(file, object, _, _) = spec.error else {
            Issue.record("edited spec: \(spec.error)")
            return
        }
        #expect(file == spec.path && object.hasPrefix("/levels/2/"))
    }
}
