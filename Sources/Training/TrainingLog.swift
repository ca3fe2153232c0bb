import Foundation

/// A JSON-lines log: one ``EpochRecord`` per line, appended and flushed after every epoch so a
/// killed run keeps what it logged.
///
/// Format: each line is a JSON object with sorted keys (the fields of ``EpochRecord``; absent
/// optional fields are left out), terminated by `\n`.
public final class TrainingLog {
    /// The file written.
    public let url: URL
    private let handle: FileHandle
    private let encoder: JSONEncoder

    /// Opens (creating or truncating) the log file.
    ///
    /// - Parameters:
    ///   - url: the file; its folder is created if needed.
    ///   - append: keep existing lines (a resumed run) instead of truncating.
    /// - Throws: ``TrainingError/invalidConfiguration(name:value:expected:)`` when the file cannot
    ///   be created or opened.
    public init(url: URL, append: Bool = false) throws {
        let manager = FileManager.default
        do {
            try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw TrainingError.invalidConfiguration(name: "log folder", value: url.deletingLastPathComponent().path,
                                                     expected: "a creatable folder (\(error.localizedDescription))")
        }
        if !append || !manager.fileExists(atPath: url.path) {
            guard manager.createFile(atPath: url.path, contents: nil) else {
                throw TrainingError.invalidConfiguration(name: "log file", value: url.path, expected: "a writable path")
            }
        }
        guard let handle = FileHandle(forWritingAtPath: url.path) else {
            throw TrainingError.invalidConfiguration(name: "log file", value: url.path, expected: "a writable path")
        }
        handle.seekToEndOfFile()
        self.url = url
        self.handle = handle
        encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
    }

    deinit { try? handle.close() }

    /// Appends one record as a line.
    ///
    /// - Throws: `EncodingError` (a non-finite number), or the write's error.
    public func append(_ record: EpochRecord) throws {
        var line = try encoder.encode(record)
        line.append(0x0A)
        try handle.write(contentsOf: line)
    }

    /// Reads a JSON-lines log back.
    ///
    /// - Parameter url: the file.
    /// - Returns: the records, in file order (blank lines skipped).
    /// - Throws: the read's error; `DecodingError` naming the malformed line's content.
    public static func records(at url: URL) throws -> [EpochRecord] {
        let text = try String(contentsOf: url, encoding: .utf8)
        let decoder = JSONDecoder()
        return try text.split(separator: "\n").filter { !$0.allSatisfy(\.isWhitespace) }.map {
            try decoder.decode(EpochRecord.self, from: Data($0.utf8))
        }
    }
}
