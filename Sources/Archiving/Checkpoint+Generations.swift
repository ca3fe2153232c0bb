import Foundation

extension Checkpoint {
    /// The path of the previous generation kept beside `path`: `checkpoint.h5` →
    /// `checkpoint.previous.h5` (the extension, if any, is kept last).
    ///
    /// - Parameter path: the newest checkpoint's path.
    /// - Returns: the previous generation's path, in the same folder.
    public static func previousGenerationPath(of path: String) -> String {
        let url = URL(fileURLWithPath: path)
        let ext = url.pathExtension
        let base = url.deletingPathExtension().lastPathComponent
        let name = ext.isEmpty ? base + ".previous" : base + ".previous." + ext
        return url.deletingLastPathComponent().appendingPathComponent(name).path
    }

    /// Writes the checkpoint to `path` atomically and, when `keepingPreviousGeneration`, keeps the
    /// checkpoint it replaces at ``previousGenerationPath(of:)``.
    ///
    /// Order: verify the current `path` (checksums); if intact, hard-link it to a temporary name and
    /// `rename(2)` that over the previous generation (so both names hold the same complete file),
    /// `fsync(2)` the folder; then write the new checkpoint with ``AtomicFileWriter`` (temporary
    /// file, `fsync`, `rename`). At every instant `path` holds a complete checkpoint, and after the
    /// first write of a run the previous generation does too. A damaged current file is not rotated
    /// (the older previous generation is kept).
    ///
    /// - Parameters:
    ///   - path: the target file; its folder must exist.
    ///   - keepingPreviousGeneration: keep the replaced checkpoint.
    /// - Throws: those of ``write(to:)``; ``ArchiveError/systemCallFailed(function:errno:file:message:)``
    ///   naming `link` or `rename` of the rotation (nothing was replaced then).
    public func write(to path: String, keepingPreviousGeneration: Bool) throws {
        if keepingPreviousGeneration { try Self.rotate(path) }
        try write(to: path)
    }

    /// Hard-links an intact `path` to its previous generation (atomically replacing the older one).
    static func rotate(_ path: String) throws {
        guard FileManager.default.fileExists(atPath: path), (try? verify(at: path)) != nil else { return }
        let previous = previousGenerationPath(of: path)
        AtomicFileWriter.removeStaleTemporaries(of: previous)
        let temporary = AtomicFileWriter.temporaryPrefix(for: previous) + "\(getpid())-link"
        _ = unlink(temporary)
        guard link(path, temporary) == 0 else { throw AtomicFileWriter.systemError("link", previous) }
        guard rename(temporary, previous) == 0 else {
            let error = AtomicFileWriter.systemError("rename", previous)
            _ = unlink(temporary)
            throw error
        }
        // When `previous` already was a link to the same file (a run killed between this rotation and
        // the write that follows it, then resumed), rename(2) succeeds without removing `temporary`.
        _ = unlink(temporary)
        try AtomicFileWriter.syncFolder(URL(fileURLWithPath: path).deletingLastPathComponent().path)
    }

    /// Checks that `path` is a complete checkpoint whose checksums match, without building anything.
    ///
    /// - Parameter path: the checkpoint.
    /// - Throws: ``ArchiveError/checksumMismatch(file:object:stored:computed:)`` naming the damaged
    ///   dataset; ``ArchiveError/unreadableFile(file:object:message:)`` (e.g. truncated);
    ///   ``ArchiveError/fileNotFound(file:)``, ``ArchiveError/notHDF5File(file:)``,
    ///   ``ArchiveError/unknownFormat(file:expected:found:)``, ``ArchiveError/unsupportedVersion(file:found:supported:)``.
    public static func verify(at path: String) throws {
        let file = try FileFormat.open(path)
        defer { try? file.close() }
        try ArchiveError.translating(reading: true) {
            try FileFormat.checkpoint.checkHeader(of: file.root, file: path)
            try ArchiveChecksum.verify(file.root, file: path)
        }
    }

    /// Reads the newest intact generation of the checkpoint at `path`: `path` itself or, when it is
    /// damaged (missing, unreadable, truncated, a checksum mismatch, or refused by `accept`), the
    /// previous generation (``previousGenerationPath(of:)``).
    ///
    /// - Parameters:
    ///   - path: the newest checkpoint's path.
    ///   - expectedConfiguration: as in ``read(from:expectedConfiguration:integrators:)``.
    ///   - accept: turns a checkpoint into what the caller needs (e.g. decodes its trainer state);
    ///     a throw counts as damage and moves on to the previous generation.
    /// - Returns: the value of `accept`, the path it came from, and the newest's failure when the
    ///   previous generation was used (say it to the user: it names the file and the reason).
    /// - Throws: ``ArchiveError/configurationMismatch(file:differences:)`` at once (an older generation
    ///   of the same run has the same configuration); otherwise, when no generation is intact, the
    ///   newest's error.
    public static func readNewestIntact<Accepted>(
        at path: String, expectedConfiguration: String?, accept: (Checkpoint) throws -> Accepted
    ) throws -> CheckpointGeneration<Accepted> {
        var newestFailure: (any Error)?
        for candidate in [path, previousGenerationPath(of: path)] {
            do {
                let checkpoint = try read(from: candidate, expectedConfiguration: expectedConfiguration)
                return CheckpointGeneration(value: try accept(checkpoint), path: candidate,
                                            damagedNewest: newestFailure.map { "\($0)" })
            } catch let error as ArchiveError {
                if case .configurationMismatch = error { throw error }
                if newestFailure == nil { newestFailure = error }
            } catch {
                if newestFailure == nil { newestFailure = error }
            }
        }
        throw newestFailure ?? ArchiveError.fileNotFound(file: path)
    }
}

/// What ``Checkpoint/readNewestIntact(at:expectedConfiguration:accept:)`` found.
public struct CheckpointGeneration<Value> {
    /// The accepted value.
    public var value: Value
    /// The file it was read from (the newest, or the previous generation).
    public var path: String
    /// Why the newest generation was not used (a description naming its file), `nil` when it was.
    public var damagedNewest: String?
}
