public import HDF5Storage

/// A failure to write or read a level archive or a checkpoint, naming the file (and, where it
/// applies, the object inside it: a group or dataset path such as `/levels/0/stages/1/conv1.weight`).
///
/// A failed write never replaces an existing file (see ``AtomicFileWriter``).
public enum ArchiveError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Nothing exists at `file`.
    case fileNotFound(file: String)
    /// The file lacks the HDF5 signature (e.g. a text file).
    case notHDF5File(file: String)
    /// HDF5 cannot open or read the file (e.g. truncated); `message` is HDF5's reason.
    case unreadableFile(file: String, object: String, message: String)
    /// The root attribute `format` differs from the format being read.
    case unknownFormat(file: String, expected: String, found: String)
    /// The file's `format_version` is newer than (or otherwise not one of) the versions this library reads.
    case unsupportedVersion(file: String, found: Int, supported: Int)
    /// A group or dataset the format requires (a level, a stage, a parameter) is missing.
    case missingObject(file: String, object: String)
    /// An attribute the format requires is missing.
    case missingAttribute(file: String, object: String, name: String)
    /// A dataset's shape differs from the one the network spec implies.
    case shapeMismatch(file: String, object: String, expected: [Int], found: [Int])
    /// A dataset's or attribute's element type differs from the format's (e.g. float64 weights).
    case dtypeMismatch(file: String, object: String, expected: String, found: String)
    /// A value that is present but invalid (unknown rule name, inconsistent spec, bad tableau …).
    case invalidValue(file: String, object: String, message: String)
    /// The integrator stored in `object` (e.g. `/integrator` or `/integrator/1`) has, in its
    /// attribute `attribute` (`"kind"`), a method kind the reader's `IntegratorCatalogue` does not
    /// know; `known` lists the kinds it knows (register the method to read the file).
    case unknownIntegrator(file: String, object: String, attribute: String, kind: String, known: [String])
    /// A checkpoint written for another run configuration than the one resuming: the fields that
    /// differ, each with both values (see ``ConfigurationFingerprint/differences(checkpoint:thisRun:)``).
    case configurationMismatch(file: String, differences: [ConfigurationDifference])
    /// A dataset's bytes (or, for `object == "/"`, the file's layout and attributes) differ from the
    /// CRC-32 stored when the file was written: the file is damaged. `stored` is `nil` when a dataset
    /// of a checksummed file has no checksum. The layout of the checksums is documented in
    /// `Sources/Archiving/ArchiveChecksum.swift` (and on ``LevelArchive``).
    case checksumMismatch(file: String, object: String, stored: UInt32?, computed: UInt32)
    /// A tensor to be written holds `count` NaN or ±∞ values (of `total`): the write was refused and
    /// nothing was written (a previous file at `file` is unchanged). `object` is the dataset it would
    /// have been (e.g. `/levels/0/stages/1/conv1.weight`).
    case nonFiniteTensor(file: String, object: String, count: Int, total: Int)
    /// A stored float dataset holds `count` NaN or ±∞ values (of `total`).
    case nonFiniteDataset(file: String, object: String, count: Int, total: Int)
    /// The folder `folder` of a file to be written does not exist (or is not a folder); nothing was written.
    case missingFolder(file: String, folder: String)
    /// The arguments of a write are inconsistent (no levels, duplicate level indices, …); nothing was written.
    case invalidArgument(file: String, message: String)
    /// A POSIX call of the atomic write failed (`open`, `fsync`, `rename`); `errno` and its text.
    case systemCallFailed(function: String, errno: Int32, file: String, message: String)
    /// Any other HDF5 failure, unchanged.
    case storage(HDF5Error)

    /// A one-line description naming the file and object.
    public var description: String {
        switch self {
        case let .fileNotFound(file): return "archive: file not found: \(file)"
        case let .notHDF5File(file): return "archive: not an HDF5 file: \(file)"
        case let .unreadableFile(file, object, message):
            return "archive: cannot read \(object) in \(file) (truncated or corrupt?): \(message)"
        case let .unknownFormat(file, expected, found):
            return "archive: \(file) has format '\(found)', expected '\(expected)'"
        case let .unsupportedVersion(file, found, supported):
            return "archive: \(file) has format version \(found); this library reads version \(supported)"
        case let .missingObject(file, object): return "archive: \(object) is missing in \(file)"
        case let .missingAttribute(file, object, name):
            return "archive: attribute '\(name)' of \(object) is missing in \(file)"
        case let .shapeMismatch(file, object, expected, found):
            return "archive: \(object) in \(file) has shape \(found), the network spec needs \(expected)"
        case let .dtypeMismatch(file, object, expected, found):
            return "archive: \(object) in \(file) stores \(found), expected \(expected)"
        case let .invalidValue(file, object, message): return "archive: \(object) in \(file): \(message)"
        case let .unknownIntegrator(file, object, attribute, kind, known):
            return "archive: \(object) in \(file): attribute '\(attribute)' names the integrator kind '\(kind)', "
                + "unknown to this reader (known kinds: \(known.isEmpty ? "none; tableaux only" : known.joined(separator: ", ")))"
        case let .configurationMismatch(file, differences):
            return "checkpoint \(file) was written for another configuration; "
                + "\(differences.count == 1 ? "1 field differs" : "\(differences.count) fields differ"): "
                + differences.map(\.description).joined(separator: "; ")
        case let .checksumMismatch(file, object, stored, computed):
            let what = object == "/" ? "the layout or attributes (root checksum)" : object
            let storedText = stored.map { "stored CRC-32 \(ArchiveChecksum.hex($0))" } ?? "no stored CRC-32"
            return "archive: \(file) is damaged: \(what) fails its checksum (\(storedText), "
                + "computed \(ArchiveChecksum.hex(computed)))"
        case let .nonFiniteTensor(file, object, count, total):
            return "archive: refusing to write \(file): \(object) holds \(count) non-finite value\(count == 1 ? "" : "s") "
                + "(NaN or ±∞) of \(total); nothing was written, a previous file is unchanged"
        case let .nonFiniteDataset(file, object, count, total):
            return "archive: \(object) in \(file) holds \(count) non-finite value\(count == 1 ? "" : "s") (NaN or ±∞) "
                + "of \(total)"
        case let .missingFolder(file, folder):
            return "archive: cannot write \(file): the folder \(folder) does not exist (create it first)"
        case let .invalidArgument(file, message): return "archive: cannot write \(file): \(message)"
        case let .systemCallFailed(function, errno, file, message):
            return "archive: \(function) failed on \(file) (errno \(errno)): \(message)"
        case let .storage(error): return error.description
        }
    }

    /// Translates an HDF5 failure into the archive's cases (file-level and lookup failures get their
    /// own case; while `reading`, a failed HDF5 call means a corrupt file; the rest is wrapped in
    /// ``storage(_:)``).
    static func from(_ error: HDF5Error, reading: Bool) -> ArchiveError {
        switch error {
        case let .fileNotFound(file): return .fileNotFound(file: file)
        case let .notHDF5File(file): return .notHDF5File(file: file)
        case let .missingFolder(file, folder): return .missingFolder(file: file, folder: folder)
        case let .missingObject(file, object, _): return .missingObject(file: file, object: object)
        case let .missingAttribute(file, object, name): return .missingAttribute(file: file, object: object, name: name)
        case let .wrongShape(file, object, expected, found):
            return .shapeMismatch(file: file, object: object, expected: expected, found: found)
        case let .wrongElementType(file, object, expected, found):
            return .dtypeMismatch(file: file, object: object, expected: expected.description, found: found.description)
        case let .wrongAttributeType(file, object, name, expected, found):
            return .dtypeMismatch(file: file, object: "\(object) attribute '\(name)'", expected: expected, found: found)
        case let .wrongObjectKind(file, object, expected, found) where reading:
            return .invalidValue(file: file, object: object, message: "is \(found.withArticle), expected \(expected.withArticle)")
        case let .callFailed(function, _, file, object, message) where reading:
            return .unreadableFile(file: file, object: object, message: "\(function): \(message)")
        default: return .storage(error)
        }
    }

    /// Runs `body`, translating an `HDF5Error` with ``from(_:reading:)``.
    static func translating<T>(reading: Bool, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as HDF5Error {
            throw ArchiveError.from(error, reading: reading)
        }
    }
}
