import Foundation
public import HDF5Storage

/// Writes an HDF5 file so that a crash at any instant leaves either the previous file or the
/// complete new one at the target path, never a partial file.
///
/// Order: create a temporary file `.<name>.tmp-<pid>-<random>` in the target's folder, with the
/// 512-byte user block of the whole-file seal; write it with HDF5 and close it; seal it
/// (``/HDF5Storage/HDF5FileSeal/seal(fileAt:)``: length and CRC-32 of the HDF5 bytes in the user block, so
/// that a later open refuses a damaged file before libhdf5 parses it); `fsync(2)` it;
/// `rename(2)` it over the target (atomic on POSIX file systems within one folder); `fsync(2)` the
/// folder so the rename itself is durable. On any failure the temporary file is removed and the
/// target is untouched.
///
/// Temporary files left by a killed process carry the prefix `.<name>.tmp-`; readers never open
/// them, and the next write to the same target removes them. Concurrent writers to one target are
/// not supported.
///
/// Reference: `open(2)`, `fsync(2)`, `rename(2)` (POSIX.1-2017).
public enum AtomicFileWriter {
    /// Writes `path` atomically.
    ///
    /// - Parameters:
    ///   - path: the target file; its folder must exist.
    ///   - body: fills the newly created HDF5 file (the writer closes it afterwards).
    /// - Throws: whatever `body` throws (HDF5 failures as ``ArchiveError``);
    ///   ``ArchiveError/invalidArgument(file:message:)`` for an empty path or one ending in `/`;
    ///   ``ArchiveError/missingFolder(file:folder:)`` when the target's folder does not exist;
    ///   ``ArchiveError/storage(_:)`` with ``/HDF5Storage/HDF5Error/ioFailed(file:function:errno:message:)`` when
    ///   the seal cannot be written;
    ///   ``ArchiveError/systemCallFailed(function:errno:file:message:)`` naming `open`, `fsync` or
    ///   `rename`. The target is unchanged after any throw.
    public static func write(to path: String, _ body: (HDF5File) throws -> Void) throws {
        try write(to: path, beforeRename: {}, body)
    }

    /// ``write(to:_:)`` with a hook run after the temporary file is complete and synced, just before
    /// the rename (tests throw from it to simulate a crash at that instant).
    static func write(to path: String, beforeRename: () throws -> Void, _ body: (HDF5File) throws -> Void) throws {
        try checkTarget(path)
        let target = URL(fileURLWithPath: path)
        let folder = target.deletingLastPathComponent().path
        removeStaleTemporaries(of: path)
        let temporary = temporaryPath(for: path)
        var committed = false
        defer { if !committed { _ = unlink(temporary) } }
        try ArchiveError.translating(reading: false) {
            let file = try HDF5File.create(at: temporary, userBlock: .seal)
            do {
                try body(file)
            } catch {
                try? file.close()
                throw error
            }
            try file.close()
            try HDF5FileSeal.seal(fileAt: temporary)
        }
        try commit(temporary, to: path, folder: folder, beforeRename: beforeRename)
        committed = true
    }

    /// Writes `data` to `path` atomically, as ``write(to:_:)`` does for HDF5 (temporary file,
    /// `fsync`, `rename`, `fsync` of the folder): used for JSON results, CSV tables and logs of record.
    ///
    /// - Parameters:
    ///   - data: the bytes.
    ///   - path: the target file; its folder must exist.
    /// - Throws: ``ArchiveError/invalidArgument(file:message:)`` for an empty path or one ending in
    ///   `/`; ``ArchiveError/missingFolder(file:folder:)`` when the target's folder does not exist;
    ///   ``ArchiveError/systemCallFailed(function:errno:file:message:)`` naming `open`, `write`,
    ///   `fsync` or `rename`. The target is unchanged after any throw.
    public static func write(_ data: Data, to path: String) throws {
        try checkTarget(path)
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        removeStaleTemporaries(of: path)
        let temporary = temporaryPath(for: path)
        var committed = false
        defer { if !committed { _ = unlink(temporary) } }
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard descriptor >= 0 else { throw systemError("open", path) }
        var failure: ArchiveError?
        data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < bytes.count {
                let written = Foundation.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = systemError("write", path)
                    return
                }
                offset += written
            }
        }
        _ = close(descriptor)
        if let failure { throw failure }
        try commit(temporary, to: path, folder: folder, beforeRename: {})
        committed = true
    }

    /// Writes `value` as pretty-printed JSON with sorted keys to `path` atomically (``write(_:to:)``).
    ///
    /// - Throws: ``ArchiveError/invalidArgument(file:message:)`` naming `path` and the field when
    ///   `value` cannot be encoded (e.g. a NaN or infinite `Double`, which JSON cannot hold; nothing is
    ///   written), or those of ``write(_:to:)``.
    public static func writeJSON<Value: Encodable>(_ value: Value, to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data: Data
        do {
            data = try encoder.encode(value)
        } catch let EncodingError.invalidValue(item, context) {
            let field = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            throw ArchiveError.invalidArgument(
                file: path, message: "cannot encode \(item) at \(field.isEmpty ? "the top" : field) as JSON "
                    + "(\(context.debugDescription))")
        }
        try write(data, to: path)
    }

    /// Writes lines of text (each ended by a newline) to `path` atomically (``write(_:to:)``).
    ///
    /// - Throws: those of ``write(_:to:)``.
    public static func writeLines(_ lines: [String], to path: String) throws {
        try write(Data(lines.map { $0 + "\n" }.joined().utf8), to: path)
    }

    /// Refuses a target that names no file (an empty path, or one ending in `/`) or lies in a folder
    /// that does not exist (`open(2)` would say only `ENOENT`).
    private static func checkTarget(_ path: String) throws {
        guard !path.isEmpty, !path.hasSuffix("/") else {
            throw ArchiveError.invalidArgument(file: path, message: "the target must name a file, got '\(path)'")
        }
        let folder = (path as NSString).deletingLastPathComponent
        var isFolder: ObjCBool = false
        guard folder.isEmpty || (FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) && isFolder.boolValue)
        else {
            throw ArchiveError.missingFolder(file: path, folder: folder)
        }
    }

    /// `fsync` of the complete temporary file, the hook, `rename` over the target, `fsync` of the folder.
    private static func commit(_ temporary: String, to path: String, folder: String,
                               beforeRename: () throws -> Void) throws {
        try sync(path: temporary, reportedAs: path, directory: false)
        faultInjectionPause()
        try beforeRename()
        guard rename(temporary, path) == 0 else { throw systemError("rename", path) }
        try sync(path: folder, reportedAs: folder, directory: true)
    }

    /// The environment variable that widens the window between a complete temporary file and its
    /// rename, for fault-injection tests (`scripts/fault-injection`): seconds to sleep, e.g. `0.2`.
    /// Unset (the default) or not a positive number: no pause.
    public static let faultInjectionDelayVariable = "MLRESNET_FAULT_INJECTION_WRITE_DELAY"

    /// Sleeps for ``faultInjectionDelayVariable`` seconds when it is set (a kill then lands inside
    /// a write with a useful probability).
    static func faultInjectionPause() {
        guard let text = ProcessInfo.processInfo.environment[faultInjectionDelayVariable],
              let seconds = Double(text), seconds > 0, seconds.isFinite else { return }
        Thread.sleep(forTimeInterval: min(seconds, 60))
    }

    /// `fsync(2)` of `folder` (after a rename or link in it).
    static func syncFolder(_ folder: String) throws {
        try sync(path: folder, reportedAs: folder, directory: true)
    }

    /// The prefix of every temporary file written for `path`: `.<name>.tmp-` in the same folder.
    static func temporaryPrefix(for path: String) -> String {
        let url = URL(fileURLWithPath: path)
        return url.deletingLastPathComponent().appendingPathComponent("." + url.lastPathComponent + ".tmp-").path
    }

    private static func temporaryPath(for path: String) -> String {
        temporaryPrefix(for: path) + "\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    }

    /// Removes temporary files left behind by earlier (killed) writes to `path`.
    static func removeStaleTemporaries(of path: String) {
        let prefix = URL(fileURLWithPath: temporaryPrefix(for: path)).lastPathComponent
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return }
        for name in names where name.hasPrefix(prefix) {
            _ = unlink(folder.appendingPathComponent(name).path)
        }
    }

    /// `open(2)` + `fsync(2)` + `close(2)`.
    private static func sync(path: String, reportedAs name: String, directory: Bool) throws {
        let descriptor = open(path, directory ? O_RDONLY | O_DIRECTORY : O_RDONLY)
        guard descriptor >= 0 else { throw systemError("open", name) }
        defer { _ = close(descriptor) }
        guard fsync(descriptor) == 0 else { throw systemError("fsync", name) }
    }

    static func systemError(_ function: String, _ path: String) -> ArchiveError {
        let code = errno
        return .systemCallFailed(function: function, errno: code, file: path, message: String(cString: strerror(code)))
    }
}
