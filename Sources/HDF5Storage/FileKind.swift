import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a path names on disk, found with `lstat`/`stat` before HDF5 touches it.
///
/// HDF5 opens whatever it is given: `H5Fopen` on a named pipe blocks forever waiting for a
/// writer, and a directory or device gives an obscure error. Callers check the kind first.
enum FileKind: Equatable {
    /// A regular file, possibly reached through symbolic links.
    case regular
    /// Something else; the associated text names it for messages (`a directory`, …).
    case other(String)

    /// The folder a file at `path` would be created in, when that folder does not exist (or is not
    /// a folder): `open(2)` would fail with `ENOENT`/`ENOTDIR`, which HDF5 reports as a bare
    /// `errno = 2`. `nil` when the folder is there. A relative `path` without a folder is in `.`.
    static func missingFolder(of path: String) -> String? {
        let folder = (path as NSString).deletingLastPathComponent
        var status = stat()
        guard stat(folder.isEmpty ? "." : folder, &status) == 0 else { return folder.isEmpty ? "." : folder }
        return status.st_mode & S_IFMT == S_IFDIR ? nil : folder
    }

    /// The kind of `path`, or `nil` when nothing (not even a link) exists there.
    static func of(_ path: String) -> FileKind? {
        var linkStatus = stat()
        guard lstat(path, &linkStatus) == 0 else { return nil }
        var status = stat()
        guard stat(path, &status) == 0 else { return .other("a dangling symbolic link") }
        switch status.st_mode & S_IFMT {
        case S_IFREG: return .regular
        case S_IFDIR: return .other("a directory")
        case S_IFIFO: return .other("a named pipe (FIFO)")
        case S_IFCHR: return .other("a character device")
        case S_IFBLK: return .other("a block device")
        case S_IFSOCK: return .other("a socket")
        default: return .other("not a regular file")
        }
    }
}
