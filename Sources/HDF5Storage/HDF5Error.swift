/// A failure of an HDF5 storage operation, naming the file and the object it concerns.
///
/// Every case carries `file`, the path of the HDF5 file on disk, and (except the file-level cases)
/// `object`, the absolute path of the group or dataset inside the file (e.g. `/levels/0/t`).
/// Attribute cases also name the attribute.
public enum HDF5Error: Error, Equatable, Sendable, CustomStringConvertible {
    /// No file exists at `file`.
    case fileNotFound(file: String)
    /// The path names something other than a regular file: `kind` says what (a directory, a named
    /// pipe (FIFO), a character or block device, a socket, or a dangling symbolic link). Checked
    /// with `stat` before HDF5 is called, because HDF5 would block forever opening a FIFO.
    case notRegularFile(file: String, kind: String)
    /// A new file cannot be created because its folder `folder` does not exist (or is not a
    /// folder). Checked before HDF5 is called, which would only say `errno = 2`.
    case missingFolder(file: String, folder: String)
    /// The file exists but does not carry an HDF5 signature (`H5Fis_hdf5` returned false).
    case notHDF5File(file: String)
    /// HDF5 could not lock the file because another process holds it open in a conflicting mode
    /// (typically for writing: a running `mlresnet train` rewriting its archive, or h5py's
    /// `File(path, "a")`). HDF5 1.10 locks every file it opens with `flock` (shared for reading,
    /// exclusive for writing) unless the environment variable `HDF5_USE_FILE_LOCKING=FALSE` turns
    /// locking off. `message` is HDF5's reason (e.g. `unable to lock file, errno = 11`).
    case fileLocked(file: String, function: String, message: String)
    /// The file was closed (explicitly with `HDF5File.close()`) before this operation.
    case fileClosed(file: String, object: String)
    /// A write was attempted on a file opened with `.readOnly`.
    case readOnlyFile(file: String, object: String)
    /// No group or dataset of that path exists.
    case missingObject(file: String, object: String, kind: HDF5ObjectKind)
    /// The object exists but is of another kind (e.g. a dataset was opened as a group).
    case wrongObjectKind(file: String, object: String, expected: HDF5ObjectKind, found: HDF5ObjectKind)
    /// A group or dataset of that path already exists (datasets are never silently overwritten).
    case objectExists(file: String, object: String)
    /// No attribute `name` exists on `object`.
    case missingAttribute(file: String, object: String, name: String)
    /// The attribute holds another kind of value than the one asked for (e.g. asked `Double`,
    /// stored a string); `expected` and `found` describe both.
    case wrongAttributeType(file: String, object: String, name: String, expected: String, found: String)
    /// The dataset's stored element type differs from the requested one. No conversion is made:
    /// asking `Float` for an `int32` dataset fails.
    case wrongElementType(file: String, object: String, expected: HDF5ElementType, found: HDF5ElementType)
    /// The dataset's shape differs from the shape the caller stated.
    case wrongShape(file: String, object: String, expected: [Int], found: [Int])
    /// A shape with a negative extent, more than 32 dimensions, or whose element count
    /// `∏ shape` differs from the number of values given.
    case shapeMismatch(file: String, object: String, shape: [Int], valueCount: Int)
    /// The dataset has a NULL dataspace (h5py's `h5py.Empty(dtype)`): it holds no value at all,
    /// not even a scalar, so there is nothing to read. ``HDF5DatasetInfo/isNull`` tells it apart
    /// beforehand.
    case nullDataspace(file: String, object: String)
    /// Reading the dataset would need more memory than the machine has: `byteCount` bytes
    /// (`∏ shape · element size`; `nil` when that product overflows 64 bits) exceed `limit`, the
    /// physical memory (`ProcessInfo.physicalMemory`). Refused before allocating anything. `shape`
    /// holds the stored extents as HDF5 reports them (`hsize_t`).
    case datasetTooLarge(file: String, object: String, shape: [UInt64], byteCount: UInt64?, limit: UInt64)
    /// The file's whole-file seal (``HDF5FileSeal``, written into its user block when it was
    /// written) does not match its bytes: the file is corrupt or was modified after it was written.
    /// `field` names the first part that differs; `expected` is the seal's value (for `.header`, the
    /// stored header CRC-32; for `.version` and `.userBlockSize`, what this library reads) and
    /// `found` the file's. Checked before libhdf5 is called, so a corrupt file cannot crash it.
    case sealMismatch(file: String, field: HDF5FileSeal.Field, expected: UInt64, found: UInt64)
    /// ``HDF5FileSeal/seal(fileAt:)`` was asked to seal a file that has no room for a seal;
    /// `reason` says why (no 512-byte user block before the HDF5 superblock).
    case notSealable(file: String, reason: String)
    /// A POSIX call reading or writing the file outside libhdf5 (the seal's `open`, `read`,
    /// `fstat`, `write`) failed; `errno` and its text.
    case ioFailed(file: String, function: String, errno: Int32, message: String)
    /// An HDF5 C function returned a failure status; `message` is the innermost description from
    /// HDF5's error stack (empty when HDF5 gave none).
    case callFailed(function: String, status: Int, file: String, object: String, message: String)

    /// A one-line human-readable description naming the file and object.
    public var description: String {
        switch self {
        case let .fileNotFound(file):
            return "HDF5: file not found: \(file)"
        case let .notRegularFile(file, kind):
            return "HDF5: \(file) is not a regular file (it is \(kind))"
        case let .missingFolder(file, folder):
            return "HDF5: cannot create \(file): the folder \(folder) does not exist (create it first)"
        case let .notHDF5File(file):
            return "HDF5: not an HDF5 file: \(file)"
        case let .fileLocked(file, function, message):
            let detail = message.isEmpty ? "" : " (\(function): \(message))"
            return "HDF5: \(file) is locked by another process that holds it open for writing\(detail); "
                + "wait for that process to finish and close it, or, only if no other process writes it "
                + "(e.g. a stale lock on a network file system), set HDF5_USE_FILE_LOCKING=FALSE"
        case let .fileClosed(file, object):
            return "HDF5: \(file) is closed (accessing \(object))"
        case let .readOnlyFile(file, object):
            return "HDF5: \(file) is open read-only; cannot write \(object)"
        case let .missingObject(file, object, kind):
            return "HDF5: no \(kind) \(object) in \(file)"
        case let .wrongObjectKind(file, object, expected, found):
            return "HDF5: \(object) in \(file) is \(found.withArticle), expected \(expected.withArticle)"
        case let .objectExists(file, object):
            return "HDF5: \(object) already exists in \(file)"
        case let .missingAttribute(file, object, name):
            return "HDF5: no attribute '\(name)' on \(object) in \(file)"
        case let .wrongAttributeType(file, object, name, expected, found):
            return "HDF5: attribute '\(name)' on \(object) in \(file) holds \(found), expected \(expected)"
        case let .wrongElementType(file, object, expected, found):
            return "HDF5: dataset \(object) in \(file) stores \(found), expected \(expected)"
        case let .wrongShape(file, object, expected, found):
            return "HDF5: dataset \(object) in \(file) has shape \(found), expected \(expected)"
        case let .shapeMismatch(file, object, shape, valueCount):
            return "HDF5: shape \(shape) does not fit \(valueCount) values for \(object) in \(file)"
        case let .nullDataspace(file, object):
            return "HDF5: dataset \(object) in \(file) has a NULL dataspace (h5py.Empty): it holds no values"
        case let .datasetTooLarge(file, object, shape, byteCount, limit):
            let bytes = byteCount.map { "\($0) bytes" } ?? "more than \(UInt64.max) bytes"
            return "HDF5: dataset \(object) in \(file) of shape \(shape) needs \(bytes), more than the "
                + "\(limit) bytes of physical memory; refusing to read it"
        case let .sealMismatch(file, field, expected, found):
            let values: String
            switch field {
            case .header, .crc32:
                values = "the seal says \(hex(expected)), the file has \(hex(found))"
            case .version, .userBlockSize:
                values = "this library reads \(expected), the seal says \(found)"
            case .length:
                values = "the seal says \(expected) bytes, the file has \(found)"
            }
            return "HDF5: \(file) is corrupt or was modified after it was written: \(field) does not match "
                + "its seal (\(values)); not opened (HDF5 was not called)"
        case let .notSealable(file, reason):
            return "HDF5: cannot seal \(file): \(reason)"
        case let .ioFailed(file, function, errno, message):
            return "HDF5: \(function) failed on \(file) (errno \(errno)): \(message)"
        case let .callFailed(function, status, file, object, message):
            let detail = message.isEmpty ? "" : ": \(message)"
            return "HDF5: \(function) failed (status \(status)) on \(object) in \(file)\(detail)"
        }
    }
}

/// A CRC-32 as 8 hex digits.
private func hex(_ value: UInt64) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: max(0, 8 - digits.count)) + digits
}

/// The kind of an object linked in an HDF5 group.
public enum HDF5ObjectKind: String, Sendable, Hashable, CustomStringConvertible {
    /// A group (a directory of links).
    case group
    /// A dataset (an n-dimensional array).
    case dataset
    /// Anything else: a named datatype, or a soft/external link whose target cannot be resolved.
    case other

    /// The kind's name: `group`, `dataset` or `other`.
    public var description: String { rawValue }

    /// The kind as a noun phrase for messages: `a group`, `a dataset`, or `an object of another
    /// kind (a named datatype or an unresolvable link)`.
    public var withArticle: String {
        switch self {
        case .group: return "a group"
        case .dataset: return "a dataset"
        case .other: return "an object of another kind (a named datatype or an unresolvable link)"
        }
    }
}
