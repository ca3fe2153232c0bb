import Foundation
import HDF5Storage
import Testing

/// Every error path: each must throw the typed error naming the file and object, never crash.
@Suite struct ErrorTests {
    /// A small valid file: `/g/x` (int32 [2, 3]) with attribute `s` (string) on `/g`.
    func makeFile(_ directory: TemporaryDirectory) throws -> String {
        let path = directory.file("small.h5")
        let file = try HDF5File.create(at: path)
        let group = try file.root.createGroup("g")
        try group.write((0..<6).map(Int32.init), shape: [2, 3], to: "x")
        try group.attributes.set(.string("text"), for: "s")
        try file.close()
        return path
    }

    @Test func nonexistentFileIsFileNotFound() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("absent.h5")
        #expect(throws: HDF5Error.fileNotFound(file: path)) { try HDF5File.open(at: path) }
    }

    @Test func textFileIsNotHDF5() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("notes.txt")
        try "not an HDF5 file\n".write(toFile: path, atomically: false, encoding: .utf8)
        #expect(throws: HDF5Error.notHDF5File(file: path)) { try HDF5File.open(at: path) }
    }

    @Test func truncatedFileGivesOpenFailureWithHDF5Message() throws {
        let directory = try TemporaryDirectory()
        let path = try makeFile(directory)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: path))
        let error = try #require(throws: HDF5Error.self) { try HDF5File.open(at: path) }
        guard case let .callFailed(function, status, file, _, message) = error else {
            Issue.record("expected callFailed, got \(error)")
            return
        }
        #expect(function == "H5Fopen")
        #expect(status < 0)
        #expect(file == path)
        #expect(message.contains("truncated"), "message: \(message)")
    }

    @Test func missingObjectsNameTheirPath() throws {
        let directory = try TemporaryDirectory()
        let path = try makeFile(directory)
        let root = try HDF5File.open(at: path).root
        #expect(throws: HDF5Error.missingObject(file: path, object: "/g/nope", kind: .dataset)) {
            try root.openGroup("g").read("nope", as: Int32.self)
        }
        #expect(throws: HDF5Error.missingObject(file: path, object: "/a/b/c", kind: .dataset)) {
            try root.datasetInfo("a/b/c")
        }
        #expect(throws: HDF5Error.missingObject(file: path, object: "/h", kind: .group)) {
            try root.openGroup("h")
        }
        #expect(throws: HDF5Error.missingAttribute(file: path, object: "/g", name: "h")) {
            try root.openGroup("g").attributes.double("h")
        }
    }

    @Test func wrongKindsAndTypes() throws {
        let directory = try TemporaryDirectory()
        let path = try makeFile(directory)
        let group = try HDF5File.open(at: path).root.openGroup("g")
        let wrongType = HDF5Error.wrongElementType(file: path, object: "/g/x", expected: .float32, found: .int32)
        #expect(throws: wrongType) { try group.read("x", as: Float.self) }
        #expect(wrongType.description.contains("float32") && wrongType.description.contains("int32"))
        #expect(throws: HDF5Error.wrongShape(file: path, object: "/g/x", expected: [3, 2], found: [2, 3])) {
            try group.read("x", as: Int32.self, expectedShape: [3, 2])
        }
        #expect(throws: HDF5Error.wrongObjectKind(file: path, object: "/g/x", expected: .group, found: .dataset)) {
            try group.openGroup("x")
        }
        #expect(throws: HDF5Error.wrongObjectKind(file: path, object: "/g", expected: .dataset, found: .group)) {
            try group.openDataset("/g")
        }
        #expect(throws: HDF5Error.wrongAttributeType(file: path, object: "/g", name: "s",
                                                     expected: "double", found: "string")) {
            try group.attributes.double("s")
        }
    }

    @Test func fixtureInt16IsNotReadableAsInt32() throws {
        let url = try #require(Bundle.module.url(forResource: "fixture", withExtension: "h5", subdirectory: "Fixtures"))
        #expect(throws: HDF5Error.wrongElementType(file: url.path, object: "/levels/0/g_i16",
                                                   expected: .int32, found: .int16)) {
            try HDF5File.open(at: url.path).root.read("levels/0/g_i16", as: Int32.self)
        }
    }

    @Test func badShapesAndDuplicatesOnWrite() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("w.h5")
        let file = try HDF5File.create(at: path)
        #expect(throws: HDF5Error.shapeMismatch(file: path, object: "/y", shape: [2, 3], valueCount: 5)) {
            try file.root.write([Float](repeating: 0, count: 5), shape: [2, 3], to: "y")
        }
        #expect(throws: HDF5Error.shapeMismatch(file: path, object: "/y", shape: [-1, -2], valueCount: 2)) {
            try file.root.write([Float](repeating: 0, count: 2), shape: [-1, -2], to: "y")
        }
        #expect(throws: HDF5Error.shapeMismatch(file: "", object: "", shape: [4], valueCount: 3)) {
            try HDF5Array(values: [1.0, 2, 3], shape: [4])
        }
        #expect(try !file.root.contains("y"))   // nothing was created by the failed writes
        try file.root.write([1.0], shape: [1], to: "y")
        #expect(throws: HDF5Error.objectExists(file: path, object: "/y")) {
            try file.root.write([2.0], shape: [1], to: "y")
        }
        #expect(throws: HDF5Error.objectExists(file: path, object: "/y")) { try file.root.createGroup("y") }
        #expect(throws: HDF5Error.wrongObjectKind(file: path, object: "/y", expected: .group, found: .dataset)) {
            try file.root.requireGroup("y")
        }
        #expect(try file.root.read("y", as: Double.self).values == [1.0])   // not overwritten
    }

    @Test func writesToReadOnlyFileThrow() throws {
        let directory = try TemporaryDirectory()
        let path = try makeFile(directory)
        let file = try HDF5File.open(at: path, mode: .readOnly)
        let group = try file.root.openGroup("g")
        #expect(throws: HDF5Error.readOnlyFile(file: path, object: "/g/z")) {
            try group.write([Int64(1)], shape: [1], to: "z")
        }
        #expect(throws: HDF5Error.readOnlyFile(file: path, object: "/g/h")) { try group.createGroup("h") }
        #expect(throws: HDF5Error.readOnlyFile(file: path, object: "/g/h")) { try group.requireGroup("h") }
        #expect(throws: HDF5Error.readOnlyFile(file: path, object: "/g")) {
            try group.attributes.set(.double(1), for: "h")
        }
        #expect(try group.attributes.string("s") == "text")   // reads still work
    }

    @Test func closedFileThrowsFileClosed() throws {
        let directory = try TemporaryDirectory()
        let path = try makeFile(directory)
        let file = try HDF5File.open(at: path, mode: .readWrite)
        let group = try file.root.openGroup("g")
        let dataset = try group.openDataset("x")
        try file.close()
        try file.close()
        #expect(throws: HDF5Error.fileClosed(file: path, object: "/g/x")) { try dataset.read(as: Int32.self) }
        #expect(throws: HDF5Error.fileClosed(file: path, object: "/g")) { try group.children() }
        #expect(throws: HDF5Error.fileClosed(file: path, object: "/g")) { try group.attributes.names() }
        #expect(throws: HDF5Error.fileClosed(file: path, object: "/")) { try file.flush() }
        // The file handle was really released: it can be re-created (truncated) now.
        _ = try HDF5File.create(at: path)
    }

    @Test func createInMissingDirectoryNamesTheFolder() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("no/such/dir.h5")
        // Named before HDF5 is called, which would say only `errno = 2`.
        let error = try #require(throws: HDF5Error.self) { try HDF5File.create(at: path) }
        #expect(error == .missingFolder(file: path, folder: directory.file("no/such")))
        #expect(error.description.contains(directory.file("no/such")) && error.description.contains("does not exist")
                && !error.description.contains("errno"), "\(error)")
        // A folder that is a file is no folder either.
        let file = directory.file("plain")
        FileManager.default.createFile(atPath: file, contents: Data())
        #expect(throws: HDF5Error.missingFolder(file: file + "/x.h5", folder: file)) { try HDF5File.create(at: file + "/x.h5") }
    }

    @Test func createWhereTheSystemRefusesNamesH5Fcreate() throws {
        // /proc exists, but no file can be created there (not even by root).
        let path = "/proc/mlresnet-test-\(getpid()).h5"
        let error = try #require(throws: HDF5Error.self) { try HDF5File.create(at: path) }
        guard case let .callFailed(function, _, file, _, _) = error else {
            Issue.record("expected callFailed, got \(error)")
            return
        }
        #expect(function == "H5Fcreate")
        #expect(file == path)
    }
}
