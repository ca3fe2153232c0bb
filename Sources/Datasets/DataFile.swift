import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
    /// - Parameters:
    ///   - url: a file URL.
    ///   - payloadSize: for gzip input, the total decompressed size the format announces, computed
    ///     from the decompressed prefix (`nil` while the prefix is too short to tell). Inflation
    ///     stops one byte past it (the extra byte shows trailing data), so a small header followed
    ///     by gigabytes of compressed zeros costs nothing (see ``GzipStream/inflateAll(_:payloadSize:)``).
    ///     `nil` (the default) inflates everything.
    /// - Throws: ``DatasetError/fileNotFound(path:)``; ``DatasetError/readFailed(path:message:)``
    ///   for a directory, a named pipe, a device, a socket or a dangling link ("not a regular
    ///   file", checked with `stat` before reading: reading a FIFO would block) or an I/O error;
    ///   the gzip errors of ``GzipStream/inflateAll(_:payloadSize:)``.
    init(_ url: URL, payloadSize: (([UInt8]) -> Int?)? = nil) throws {
        let path = url.path
        if let problem = try DataFile.nonRegularKind(path) {
            throw DatasetError.readFailed(path: path, message: "not a regular file: it is \(problem)")
        }
        let raw: [UInt8]
        do {
            // An empty regular file is not handed to Foundation: `Data(contentsOf:)` leaks its
            // 4 KiB read buffer on a zero-length file (swift-foundation, found by scripts/fuzz).
            raw = DataFile.isEmptyRegularFile(path) ? [] : [UInt8](try Data(contentsOf: url))
        } catch {
            throw DatasetError.readFailed(path: path, message: "\(error)")
        }
        self.path = path
        if raw.count >= 2, raw[0] == 0x1F, raw[1] == 0x8B {
            bytes = try GzipStream(path: path).inflateAll(raw, payloadSize: payloadSize)
            wasCompressed = true
        } else {
            bytes = raw
            wasCompressed = false
        }
    }

    /// What `path` is when it is not a regular file (`a directory`, `a named pipe (FIFO)`, …), or
    /// `nil` for a regular file (possibly behind symbolic links).
    ///
    /// - Throws: ``DatasetError/fileNotFound(path:)`` when nothing, not even a link, exists there.
    static func nonRegularKind(_ path: String) throws -> String? {
        var linkStatus = stat()
        guard lstat(path, &linkStatus) == 0 else { throw DatasetError.fileNotFound(path: path) }
        var status = stat()
        guard stat(path, &status) == 0 else { return "a dangling symbolic link" }
        switch status.st_mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFDIR: return "a directory"
        case S_IFIFO: return "a named pipe (FIFO)"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFSOCK: return "a socket"
        default: return "of an unknown kind"
        }
    }

    /// Whether `path` (a regular file, checked before) has size 0 according to `stat`.
    static func isEmptyRegularFile(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && status.st_size == 0
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
