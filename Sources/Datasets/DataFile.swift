import Foundation

/// The bytes of one dataset file, gunzipped when the file starts with the gzip magic `1F 8B`.
struct DataFile {
    /// The file's path as given.
    let path: String
    /// The file's contents, decompressed when it was gzip.
    let bytes: [UInt8]
    /// Whether `bytes` came out of a gzip stream.
    let wasCompressed: Bool

    /// The path reported in errors about `bytes`: offsets in a gzip file refer to the
    /// decompressed stream, which the suffix ` (decompressed)` says.
    var reportedPath: String { wasCompressed ? path + " (decompressed)" : path }

    /// Reads `url`, inflating it when it is gzip.
    ///
    /// - Parameter url: a file URL.
    /// - Throws: ``DatasetError/fileNotFound(path:)``; ``DatasetError/readFailed(path:message:)``
    ///   for a directory or an I/O error; the gzip errors of ``GzipStream/inflateAll(_:)``.
    init(_ url: URL) throws {
        let path = url.path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw DatasetError.fileNotFound(path: path)
        }
        guard !isDirectory.boolValue else {
            throw DatasetError.readFailed(path: path, message: "is a directory")
        }
        let raw: [UInt8]
        do {
            raw = [UInt8](try Data(contentsOf: url))
        } catch {
            throw DatasetError.readFailed(path: path, message: "\(error)")
        }
        self.path = path
        if raw.count >= 2, raw[0] == 0x1F, raw[1] == 0x8B {
            bytes = try GzipStream(path: path).inflateAll(raw)
            wasCompressed = true
        } else {
            bytes = raw
            wasCompressed = false
        }
    }

    /// The big-endian `UInt32` at `offset`, as an `Int`.
    ///
    /// - Throws: ``DatasetError/truncated(path:field:offset:expectedBytes:availableBytes:)``
    ///   naming `field` when fewer than 4 bytes remain.
    func bigEndianUInt32(at offset: Int, field: String) throws -> Int {
        try require(4, at: offset, field: field)
        return Int(bytes[offset]) << 24 | Int(bytes[offset + 1]) << 16
            | Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
    }

    /// Throws unless `length` bytes are available at `offset`.
    ///
    /// - Throws: ``DatasetError/truncated(path:field:offset:expectedBytes:availableBytes:)``.
    func require(_ length: Int, at offset: Int, field: String) throws {
        let available = max(0, bytes.count - offset)
        guard available >= length else {
            throw DatasetError.truncated(path: reportedPath, field: field, offset: offset,
                                         expectedBytes: length, availableBytes: available)
        }
    }
}
