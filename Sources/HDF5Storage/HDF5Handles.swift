internal import CHDF5

/// The open HDF5 file identifier shared by every object opened from it.
///
/// Files are opened with close degree `H5F_CLOSE_STRONG`: `close()` closes every object still
/// open in the file, and later operations through those objects throw ``HDF5Error/fileClosed``.
/// The identifier is closed in `deinit` when neither the ``HDF5File`` nor any group or dataset
/// of it is referenced any more.
final class HDF5FileHandle: @unchecked Sendable {
    let path: String
    let isReadOnly: Bool
    /// The file identifier; meaningful only while `isOpen`.
    let id: hid_t
    /// Guarded by the HDF5 lock.
    private(set) var isOpen = true

    init(id: hid_t, path: String, isReadOnly: Bool) {
        self.id = id
        self.path = path
        self.isReadOnly = isReadOnly
    }

    /// Throws ``HDF5Error/fileClosed`` when the file was closed (call under the lock).
    func ensureOpen(_ object: String) throws {
        guard isOpen else { throw HDF5Error.fileClosed(file: path, object: object) }
    }

    /// Throws when the file is closed or read-only (call under the lock).
    func ensureWritable(_ object: String) throws {
        try ensureOpen(object)
        guard !isReadOnly else { throw HDF5Error.readOnlyFile(file: path, object: object) }
    }

    /// Closes the file (and, by the strong close degree, all its objects); idempotent.
    func close() throws {
        try HDF5Library.withLock {
            guard isOpen else { return }
            isOpen = false
            let status = H5Fclose(id)
            try HDF5Location(file: path, object: "/").check(status, "H5Fclose")
        }
    }

    deinit {
        HDF5Library.withLock {
            if isOpen { _ = H5Fclose(id) }
        }
    }
}

/// An open group or dataset identifier, closed with `H5Oclose` in `deinit` unless its file was
/// closed first (which closed it already).
final class HDF5ObjectHandle: @unchecked Sendable {
    let id: hid_t
    let file: HDF5FileHandle
    let location: HDF5Location

    init(id: hid_t, file: HDF5FileHandle, object: String) {
        self.id = id
        self.file = file
        self.location = HDF5Location(file: file.path, object: object)
    }

    deinit {
        HDF5Library.withLock {
            if file.isOpen { _ = H5Oclose(id) }
        }
    }
}

/// Runs `body` with a transient identifier that is closed afterwards with `close`.
func withHDF5ID<R>(_ id: hid_t, close: (hid_t) -> herr_t, _ body: (hid_t) throws -> R) rethrows -> R {
    defer { _ = close(id) }
    return try body(id)
}
