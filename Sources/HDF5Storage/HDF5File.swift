internal import CHDF5
import Foundation

/// An HDF5 file on disk, opened for reading or writing, with its root group.
///
/// ```swift
/// let file = try HDF5File.create(at: "/tmp/run.h5")
/// try file.attributes.set("rk4Classic", for: "integrator")
/// let stage = try file.root.requireGroup("levels/0/stages/1")
/// try stage.write(weights, shape: [N, out, inp, 3, 3], to: "conv1.weight")
/// try file.close()
/// ```
///
/// Invariants: the file identifier is closed by `close()` or, at the latest, when the file and
/// every group/dataset opened from it are released. `close()` is explicit and idempotent; it closes
/// all objects of the file, after which they throw ``HDF5Error/fileClosed(file:object:)``.
/// Writes are not atomic (a crash mid-write can leave a corrupt file): callers needing atomicity
/// write to a temporary path and rename.
///
/// Thread safety: HDF5's serial builds are not thread-safe in general (Debian's 1.10.8 happens to
/// be built with `--enable-threadsafe`, but nothing here relies on it). All HDF5 calls of this
/// module are serialized by one process-wide lock, so objects may be shared between threads, but
/// calls never run in parallel.
///
/// Reference: `H5Fcreate`, `H5Fopen`, `H5Fis_hdf5`, `H5Fflush`, `H5Fclose` (HDF5 1.10).
public final class HDF5File: @unchecked Sendable {
    /// How an existing file is opened.
    public enum Mode: Sendable, Hashable {
        /// Reading only (`H5F_ACC_RDONLY`); every write throws ``HDF5Error/readOnlyFile(file:object:)``.
        case readOnly
        /// Reading and writing (`H5F_ACC_RDWR`).
        case readWrite
    }

    /// The file's path on disk, as given.
    public let path: String
    /// The access mode (`create(at:)` gives `.readWrite`).
    public let mode: Mode
    /// The root group `/`.
    public let root: HDF5Group

    let handle: HDF5FileHandle

    private init(handle: HDF5FileHandle, mode: Mode) throws {
        self.handle = handle
        self.path = handle.path
        self.mode = mode
        self.root = try HDF5Group.open(in: handle, path: "/")
    }

    /// What a new file reserves before its HDF5 superblock.
    public enum UserBlock: Sendable, Hashable {
        /// Nothing: the superblock starts at byte 0 (HDF5's default).
        case none
        /// A user block of ``HDF5FileSeal/userBlockSize`` (512) bytes, zero-filled, to hold the
        /// whole-file seal written by ``HDF5FileSeal/seal(fileAt:)`` after the file is closed.
        /// h5py, h5dump and every HDF5 reader skip it.
        case seal
    }

    /// Creates a new file, truncating any existing file at `path`.
    ///
    /// - Parameters:
    ///   - path: where to create the file; its directory must exist.
    ///   - userBlock: `.seal` reserves the user block for ``HDF5FileSeal`` (the caller seals the
    ///     file after closing it); `.none` (default) writes a plain HDF5 file.
    /// - Returns: the file, open for reading and writing.
    /// - Throws: ``HDF5Error/missingFolder(file:folder:)`` when the folder of `path` does not
    ///   exist; ``HDF5Error/notRegularFile(file:kind:)`` when something other than a regular file
    ///   exists at `path` (a directory, FIFO, device, socket or dangling symbolic link), both checked
    ///   before HDF5 is called; ``HDF5Error/fileLocked(file:function:message:)`` when another
    ///   process holds the file open (HDF5's `flock`; see `HDF5_USE_FILE_LOCKING`. HDF5 1.10
    ///   truncates the file before it tries the lock, so create new files under a temporary name
    ///   and rename, never over a file another process may hold);
    ///   ``HDF5Error/callFailed(function:status:file:object:message:)`` naming `H5Fcreate` when
    ///   HDF5 cannot create the file (missing directory, no permission). A lock conflict is retried
    ///   for one second first, as in ``open(at:mode:)``.
    public static func create(at path: String, userBlock: UserBlock = .none) throws -> HDF5File {
        if let folder = FileKind.missingFolder(of: path) {
            throw HDF5Error.missingFolder(file: path, folder: folder)
        }
        if case let .other(kind)? = FileKind.of(path) {
            throw HDF5Error.notRegularFile(file: path, kind: kind)
        }
        // A child process started elsewhere in this process between HDF5's open(2) of a previous
        // file at `path` and our close-on-exec holds that descriptor's flock for a moment (seen:
        // HDF5StorageTests' ConcurrencyTests under ASan while other suites spawn processes).
        return try retryingLockConflicts { try createOnce(at: path, userBlock: userBlock) }
    }

    /// One attempt of ``create(at:userBlock:)`` after the file-kind check.
    private static func createOnce(at path: String, userBlock: UserBlock) throws -> HDF5File {
        try HDF5Library.withLock {
            let location = HDF5Location(file: path, object: "/")
            let fapl = try fileAccessList(location)
            defer { _ = H5Pclose(fapl) }
            let fcpl = try fileCreationList(location, userBlock: userBlock)
            defer { if fcpl != mlr_H5P_DEFAULT() { _ = H5Pclose(fcpl) } }
            let id = try location.checkFileID(
                H5Fcreate(path, mlr_H5F_ACC_TRUNC(), fcpl, fapl), "H5Fcreate")
            closeOnExec(id, fapl)
            return try HDF5File(handle: HDF5FileHandle(id: id, path: path, isReadOnly: false),
                                mode: .readWrite)
        }
    }

    /// Opens an existing HDF5 file.
    ///
    /// - Parameters:
    ///   - path: the file's path.
    ///   - mode: `.readOnly` (default) or `.readWrite`.
    /// - Returns: the open file.
    /// - Throws: ``HDF5Error/fileNotFound(file:)`` when nothing exists at `path`;
    ///   ``HDF5Error/notRegularFile(file:kind:)`` for a directory, FIFO, device, socket or dangling
    ///   symbolic link (checked with `stat` before HDF5 is called: opening a FIFO would block);
    ///   ``HDF5Error/notHDF5File(file:)`` when the file lacks the HDF5 signature (e.g. a text file);
    ///   ``HDF5Error/fileLocked(file:function:message:)`` when another process holds the file open
    ///   for writing (HDF5 1.10 cannot take its `flock`; the message names `HDF5_USE_FILE_LOCKING`)
    ///   for longer than one second: a conflict is retried every 50 ms for a second, because a
    ///   child process being started holds inherited descriptors (and their lock) for a moment;
    ///   ``HDF5Error/sealMismatch(file:field:expected:found:)`` when the file carries a whole-file
    ///   seal (``HDF5FileSeal``) that its bytes do not match — corrupt, truncated or modified after it
    ///   was written — checked with plain reads before libhdf5 is called at all;
    ///   ``HDF5Error/ioFailed(file:function:errno:message:)`` when a sealed file cannot be read, or
    ///   its seal removed (`.readWrite`);
    ///   ``HDF5Error/callFailed(function:status:file:object:message:)`` naming `H5Fis_hdf5` (file
    ///   unreadable) or `H5Fopen` (e.g. a truncated file: the message then says `truncated file`).
    ///
    /// A sealed file opened `.readWrite` is verified, then its seal is removed
    /// (``HDF5FileSeal/unseal(fileAt:)``): changes made through HDF5 are not covered by it.
    public static func open(at path: String, mode: Mode = .readOnly) throws -> HDF5File {
        switch FileKind.of(path) {
        case nil: throw HDF5Error.fileNotFound(file: path)
        case let .other(kind)?: throw HDF5Error.notRegularFile(file: path, kind: kind)
        case .regular?: break
        }
        // libhdf5 must never parse a file we sealed that was damaged since: it can crash on
        // corrupt metadata (scripts/fuzz lists such crashes).
        if try HDF5FileSeal.check(fileAt: path) == .verified, mode == .readWrite {
            try HDF5FileSeal.unseal(fileAt: path)
        }
        // A conflicting lock that lasts only milliseconds is not another writer: it is a child
        // process being started elsewhere in this process, which holds copies of our descriptors
        // (and their flock) until it execs. Retry for a moment before reporting a conflict.
        return try retryingLockConflicts { try openOnce(at: path, mode: mode) }
    }

    /// Runs `attempt`, retrying it while it throws ``HDF5Error/fileLocked(file:function:message:)``:
    /// ``lockRetryCount`` attempts ``lockRetryMicroseconds`` apart; the last attempt's error is thrown.
    private static func retryingLockConflicts(_ attempt: () throws -> HDF5File) throws -> HDF5File {
        for _ in 1..<lockRetryCount {
            do {
                return try attempt()
            } catch HDF5Error.fileLocked {
                usleep(lockRetryMicroseconds)
            }
        }
        return try attempt()
    }

    /// Attempts of ``open(at:mode:)`` and ``create(at:)`` while the file is locked: 20 × 50 ms, one second in all.
    static let lockRetryCount = 20
    /// The pause between two attempts, in microseconds.
    static let lockRetryMicroseconds: UInt32 = 50_000

    /// One attempt of ``open(at:mode:)`` after the file-kind check.
    private static func openOnce(at path: String, mode: Mode) throws -> HDF5File {
        try HDF5Library.withLock {
            let location = HDF5Location(file: path, object: "/")
            let isHDF5 = H5Fis_hdf5(path)
            try location.check(isHDF5, "H5Fis_hdf5")
            guard isHDF5 > 0 else { throw HDF5Error.notHDF5File(file: path) }
            let fapl = try fileAccessList(location)
            defer { _ = H5Pclose(fapl) }
            let flags = mode == .readOnly ? mlr_H5F_ACC_RDONLY() : mlr_H5F_ACC_RDWR()
            let id = try location.checkFileID(H5Fopen(path, flags, fapl), "H5Fopen")
            closeOnExec(id, fapl)
            return try HDF5File(handle: HDF5FileHandle(id: id, path: path, isReadOnly: mode == .readOnly),
                                mode: mode)
        }
    }

    /// Marks the file's descriptor close-on-exec (HDF5's sec2 driver opens it without
    /// `O_CLOEXEC`). A child process started while the file is open (Foundation's `Process`, any
    /// `posix_spawn`) would otherwise carry the descriptor, and with it HDF5's `flock`, until it
    /// has closed its inherited descriptors: a file closed and reopened meanwhile (e.g. an archive
    /// renamed into place, then read) then fails as locked. Best effort: a driver without a file
    /// descriptor is left alone.
    private static func closeOnExec(_ id: hid_t, _ fapl: hid_t) {
        var handle: UnsafeMutableRawPointer?
        guard H5Fget_vfd_handle(id, fapl, &handle) >= 0, let handle else { return }
        let descriptor = handle.load(as: Int32.self)
        let flags = fcntl(descriptor, F_GETFD)
        if flags >= 0 { _ = fcntl(descriptor, F_SETFD, flags | FD_CLOEXEC) }
    }

    /// `H5P_DEFAULT` for `.none`; for `.seal` a file-creation property list with a user block of
    /// ``HDF5FileSeal/userBlockSize`` bytes (`H5Pset_userblock`; caller closes it).
    private static func fileCreationList(_ location: HDF5Location, userBlock: UserBlock) throws -> hid_t {
        guard userBlock == .seal else { return mlr_H5P_DEFAULT() }
        let fcpl = try location.checkID(H5Pcreate(mlr_H5P_FILE_CREATE()), "H5Pcreate")
        let status = H5Pset_userblock(fcpl, hsize_t(HDF5FileSeal.userBlockSize))
        if status < 0 {
            _ = H5Pclose(fcpl)
            try location.check(status, "H5Pset_userblock")
        }
        return fcpl
    }

    /// A file-access property list with close degree `H5F_CLOSE_STRONG` (caller closes it).
    private static func fileAccessList(_ location: HDF5Location) throws -> hid_t {
        let fapl = try location.checkID(H5Pcreate(mlr_H5P_FILE_ACCESS()), "H5Pcreate")
        let status = H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG)
        if status < 0 {
            _ = H5Pclose(fapl)
            try location.check(status, "H5Pset_fclose_degree")
        }
        return fapl
    }

    /// The attributes of the root group (what h5py shows as `f.attrs`).
    public var attributes: HDF5Attributes { root.attributes }

    /// Whether the file is still open (false after `close()`).
    public var isOpen: Bool { HDF5Library.withLock { handle.isOpen } }

    /// Writes HDF5's buffers for this file to the operating system (`H5Fflush`, global scope).
    ///
    /// This does not `fsync`; callers that need durability sync the file descriptor afterwards.
    /// - Throws: ``HDF5Error/fileClosed(file:object:)`` after `close()`;
    ///   ``HDF5Error/callFailed(function:status:file:object:message:)`` naming `H5Fflush`.
    public func flush() throws {
        try HDF5Library.withLock {
            try handle.ensureOpen("/")
            try HDF5Location(file: path, object: "/").check(H5Fflush(handle.id, H5F_SCOPE_GLOBAL), "H5Fflush")
        }
    }

    /// Closes the file and every group, dataset and attribute still open in it; idempotent.
    ///
    /// - Throws: ``HDF5Error/callFailed(function:status:file:object:message:)`` naming `H5Fclose`
    ///   when HDF5 fails to write its metadata; the file counts as closed even then.
    public func close() throws {
        try handle.close()
    }
}
