public import Foundation

/// The exclusive lock of a run folder: `flock(LOCK_EX | LOCK_NB)` on `<folder>/.lock`, which holds
/// the pid of the process that has it. Taken by `mlresnet train` and `compare` for the whole run
/// (a sweep's folder lock covers its members), so a second process writing the same folder (a
/// `--resume` while the run still runs, say) is refused instead of mixing or breaking its files.
/// The lock lasts until the process exits (the kernel releases it, also after a kill); the file
/// stays and counts as a run file (``RunFolder/isRunFile(_:)``).
public enum RunLock {
    /// The lock file's name in a run folder.
    public static let fileName = ".lock"

    /// Descriptors of the locks this process holds (kept open until exit).
    nonisolated(unsafe) private static var held: [String: Int32] = [:]
    private static let guardLock = NSLock()

    /// Creates `folder` when missing and takes its lock for the rest of the process, writing this
    /// process's pid into the lock file. Taking a lock this process already holds does nothing.
    ///
    /// - Parameter folder: the run folder.
    /// - Throws: ``RunFolderError/locked(folder:pid:)`` when another process holds it (with its pid
    ///   when the file names one); ``RunFolderError/notWritable(path:message:)`` when the lock file
    ///   cannot be created (a read-only folder); ``RunFolderError/unreadable(folder:message:)`` when
    ///   it cannot be locked for another reason; the file system's error when the folder cannot be created.
    public static func acquire(_ folder: URL) throws {
        let path = folder.appendingPathComponent(fileName).standardizedFileURL.path
        guardLock.lock()
        defer { guardLock.unlock() }
        if held[path] != nil { return }
        try RunFolder.create(folder)
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw RunFolderError.notWritable(path: path, message: "cannot create the run's lock file: \(String(cString: strerror(errno)))")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            var buffer = [UInt8](repeating: 0, count: 32)
            let count = pread(fd, &buffer, buffer.count, 0)
            close(fd)
            guard code == EWOULDBLOCK else {
                throw RunFolderError.unreadable(folder: folder.path, message: "cannot lock \(path): \(String(cString: strerror(code)))")
            }
            let text = count > 0 ? String(decoding: buffer[0..<count], as: UTF8.self) : ""
            throw RunFolderError.locked(folder: folder.path, pid: Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)))
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = pid.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        held[path] = fd
    }
}
