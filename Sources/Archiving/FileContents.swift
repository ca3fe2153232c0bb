public import Foundation

/// Reads whole small files of record (JSON documents such as `status.json` and `results.json`).
public enum FileContents {
    /// The bytes of the file at `url`; an empty regular file gives empty data without calling
    /// Foundation's `Data(contentsOf:)`, which leaks its 4 KiB read buffer on a zero-length file
    /// (found by LeakSanitizer; swift-corelibs-foundation with Swift 6.3).
    ///
    /// - Parameter url: a file URL.
    /// - Returns: the file's bytes.
    /// - Throws: Foundation's file-reading errors (missing file, no permission, a folder).
    public static func data(at url: URL) throws -> Data {
        let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
        if attributes?[.type] as? FileAttributeType == .typeRegular, (attributes?[.size] as? Int) == 0 {
            return Data()
        }
        return try Data(contentsOf: url)
    }
}
