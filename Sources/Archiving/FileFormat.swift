import Foundation
import HDF5Storage
import _ProjectInfo

/// The identity of a file format written by this module: the root attributes `format` and
/// `format_version`, checked before anything else is read.
struct FileFormat {
    /// The `format` attribute's value.
    let name: String
    /// The newest `format_version` this library writes and reads.
    let version: Int
    /// The root attribute `layout`: the page of the repository that documents this format, with
    /// the anchor of its section (every group, dataset and attribute, with shapes, types, units
    /// and axes). Files written before it existed lack it; their layout is the same page's, less
    /// the objects it marks as added later.
    let layout: String

    /// The documentation of both formats, relative to the repository's root.
    static let layoutDocument = "docs/archive-layout.md"

    /// The level archive.
    static let levelArchive = FileFormat(name: "MultilevelResNet.LevelArchive", version: 1,
                                         layout: layoutDocument + "#level-archive")
    /// The checkpoint.
    static let checkpoint = FileFormat(name: "MultilevelResNet.Checkpoint", version: 1,
                                       layout: layoutDocument + "#checkpoint")

    /// Writes `format`, `format_version`, `layout`, `library_version` and `created` (ISO 8601, UTC).
    func writeHeader(to root: HDF5Group, created: Date) throws {
        try root.attributes.set(.string(name), for: "format")
        try root.attributes.set(.int64(Int64(version)), for: "format_version")
        try root.attributes.set(.string(layout), for: "layout")
        try root.attributes.set(.string(multilevelResNetVersion), for: "library_version")
        try root.attributes.set(.string(Self.iso8601(created)), for: "created")
    }

    /// Checks `format` and `format_version` of `root`.
    ///
    /// - Throws: ``ArchiveError/missingAttribute(file:object:name:)``,
    ///   ``ArchiveError/unknownFormat(file:expected:found:)``, ``ArchiveError/unsupportedVersion(file:found:supported:)``.
    func checkHeader(of root: HDF5Group, file: String) throws {
        let found: String
        do {
            found = try root.attributes.string("format")
        } catch HDF5Error.missingAttribute {
            throw ArchiveError.unknownFormat(file: file, expected: name, found: "(no format attribute)")
        }
        guard found == name else { throw ArchiveError.unknownFormat(file: file, expected: name, found: found) }
        let foundVersion = Int(try root.attributes.int64("format_version"))
        guard foundVersion >= 1, foundVersion <= version else {
            throw ArchiveError.unsupportedVersion(file: file, found: foundVersion, supported: version)
        }
    }

    /// `yyyy-MM-ddTHH:mm:ssZ` in UTC.
    static func iso8601(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    /// Parses ``iso8601(_:)``'s format.
    static func date(fromISO8601 text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }

    /// Opens `path` read-only, translating HDF5 failures.
    static func open(_ path: String) throws -> HDF5File {
        try ArchiveError.translating(reading: true) { try HDF5File.open(at: path) }
    }
}
