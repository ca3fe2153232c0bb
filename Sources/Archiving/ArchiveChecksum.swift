import HDF5Storage

/// CRC-32 checksums (zlib) of every dataset of an archive or checkpoint, and of the whole file.
///
/// Stored as attributes when a file is written:
/// ```
/// <every dataset>  attr crc32 (int64): zlib crc32 of the dataset's stored bytes (row-major),
///                                      i.e. zlib.crc32(ds[()].tobytes()) in h5py
/// /                attr crc32 (int64): zlib crc32 of the file's manifest (below)
/// ```
/// The manifest covers the layout and every attribute, so a damaged counter, text or a missing
/// dataset is caught too. It is the UTF-8 text of one line per object, every group and dataset in
/// ascending bytewise order of its absolute path (the root first):
/// ```
/// G <path>\n                        a group
/// D <path> <crc32 as 8 hex digits>\n  a dataset (its stored crc32 attribute)
/// A <name> <value>\n                per attribute of the object above, by name, except `crc32`
/// ```
/// with `<value>` = `i<decimal>` (int64), `d<16 hex digits of the IEEE bits>` (float64),
/// `s<UTF-8 byte count>:<text>` (string), and arrays as `[` + elements joined by `,` + `]` with the
/// same element forms.
///
/// Readers verify both when the root carries `crc32`; files written before checksums existed
/// (no root `crc32`) are read unverified.
enum ArchiveChecksum {
    /// The attribute name on every dataset and on the root.
    static let attributeName = "crc32"

    /// Stamps every dataset below `root` and the root itself (call last, when the file is complete).
    static func stamp(_ root: HDF5Group) throws {
        var manifest: [UInt8] = []
        try walk(root) { object in
            switch object {
            case let .group(group):
                try appendLine(&manifest, "G \(group.path)", attributes: group.attributes)
            case let .dataset(dataset):
                let crc = try dataset.crc32()
                try dataset.attributes.set(.int64(Int64(crc)), for: attributeName)
                try appendLine(&manifest, "D \(dataset.path) \(hex(crc))", attributes: dataset.attributes)
            }
        }
        try root.attributes.set(.int64(Int64(HDF5Checksum.crc32(manifest))), for: attributeName)
    }

    /// Verifies a stamped file. A file with no `crc32` attribute anywhere was written before
    /// checksums existed and is not checked; a file with any of them must have all of them, and
    /// right (a root or dataset checksum that went missing is damage, not an older file).
    ///
    /// - Throws: ``ArchiveError/checksumMismatch(file:object:stored:computed:)`` naming the first
    ///   dataset whose bytes differ from its checksum, else the first dataset that lacks one, else
    ///   `/` when the manifest (layout or attributes) differs or the root checksum is missing;
    ///   HDF5 read failures (truncated files) as `HDF5Error`.
    static func verify(_ root: HDF5Group, file: String) throws {
        let storedFile = try root.attributes.contains(attributeName) ? try root.attributes.int64(attributeName) : nil
        var manifest: [UInt8] = []
        var missing: (path: String, computed: UInt32)?
        var checksummedDatasets = 0
        try walk(root) { object in
            switch object {
            case let .group(group):
                try appendLine(&manifest, "G \(group.path)", attributes: group.attributes)
            case let .dataset(dataset):
                let computed = try dataset.crc32()
                guard try dataset.attributes.contains(attributeName) else {
                    if missing == nil { missing = (dataset.path, computed) }
                    return
                }
                checksummedDatasets += 1
                let stored = try dataset.attributes.int64(attributeName)
                guard stored == Int64(computed) else {
                    throw ArchiveError.checksumMismatch(file: file, object: dataset.path,
                                                        stored: UInt32(truncatingIfNeeded: stored), computed: computed)
                }
                try appendLine(&manifest, "D \(dataset.path) \(hex(computed))", attributes: dataset.attributes)
            }
        }
        if storedFile == nil && checksummedDatasets == 0 { return }  // written before checksums existed
        if let missing {
            throw ArchiveError.checksumMismatch(file: file, object: missing.path, stored: nil, computed: missing.computed)
        }
        let computed = HDF5Checksum.crc32(manifest)
        guard let storedFile, storedFile == Int64(computed) else {
            throw ArchiveError.checksumMismatch(file: file, object: "/", stored: storedFile.map { UInt32(truncatingIfNeeded: $0) },
                                                computed: computed)
        }
    }

    private enum Object {
        case group(HDF5Group)
        case dataset(HDF5Dataset)
    }

    /// Visits `group` and everything below it in ascending bytewise order of absolute path.
    private static func walk(_ group: HDF5Group, _ visit: (Object) throws -> Void) throws {
        var objects: [(path: String, object: Object)] = []
        func collect(_ group: HDF5Group) throws {
            objects.append((group.path, .group(group)))
            for child in try group.children() {
                switch child.kind {
                case .group: try collect(group.openGroup(child.name))
                case .dataset:
                    let dataset = try group.openDataset(child.name)
                    objects.append((dataset.path, .dataset(dataset)))
                case .other: continue
                }
            }
        }
        try collect(group)
        for (_, object) in objects.sorted(by: { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }) {
            try visit(object)
        }
    }

    private static func appendLine(_ manifest: inout [UInt8], _ line: String, attributes: HDF5Attributes) throws {
        manifest += Array((line + "\n").utf8)
        for name in try attributes.names() where name != attributeName {
            manifest += Array("A \(name) ".utf8) + canonical(try attributes.value(name)) + Array("\n".utf8)
        }
    }

    private static func canonical(_ value: HDF5AttributeValue) -> [UInt8] {
        func int(_ x: Int64) -> String { "i\(x)" }
        func double(_ x: Double) -> String { "d" + String(x.bitPattern, radix: 16).leftPadded(to: 16) }
        func string(_ s: String) -> String { "s\(s.utf8.count):\(s)" }
        let text: String
        switch value {
        case let .int64(x): text = int(x)
        case let .double(x): text = double(x)
        case let .string(s): text = string(s)
        case let .int64Array(xs): text = "[" + xs.map(int).joined(separator: ",") + "]"
        case let .doubleArray(xs): text = "[" + xs.map(double).joined(separator: ",") + "]"
        case let .stringArray(xs): text = "[" + xs.map(string).joined(separator: ",") + "]"
        }
        return Array(text.utf8)
    }

    static func hex(_ crc: UInt32) -> String { String(crc, radix: 16).leftPadded(to: 8) }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
