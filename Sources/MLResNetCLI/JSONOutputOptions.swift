import ArgumentParser
import Foundation
import MultilevelResNet

/// `--json FILE`, one declaration for every command with a JSON result: the file is written
/// atomically (``AtomicFileWriter``); `-` prints the JSON to standard output instead of the text.
///
/// With `-`, validation moves everything else the process prints (tables, progress, notes, from
/// the command or the library) to standard error, so standard output holds the JSON alone and
/// parses as one document.
struct JSONOutputOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Also write the result as JSON to FILE (checked before any work); '-' prints the JSON instead of the text.",
        valueName: "file"))
    var json: String?

    /// Whether the JSON replaces the text on standard output (`--json -`).
    var toStandardOutput: Bool { json == "-" }

    func validate() throws {
        if toStandardOutput { Self.reserveStandardOutputForJSON() }
        guard let json, json != "-" else { return }
        try Self.validateOutputPath(json, option: "--json")
    }

    /// The descriptor the JSON goes to with `--json -`: a copy of the original standard output,
    /// made by ``reserveStandardOutputForJSON()`` (descriptor 1 then points at standard error).
    nonisolated(unsafe) private static var jsonDescriptor: Int32?

    /// Points descriptor 1 at standard error, keeping the original standard output for the JSON
    /// (once per process).
    ///
    /// Reference: `dup(2)`, `dup2(2)`.
    private static func reserveStandardOutputForJSON() {
        guard jsonDescriptor == nil else { return }
        fflush(nil)
        let saved = dup(STDOUT_FILENO)
        guard saved >= 0, dup2(STDERR_FILENO, STDOUT_FILENO) >= 0 else { return }
        jsonDescriptor = saved
    }

    /// Checks before any work that `path` can be written: not a directory, in an existing
    /// directory where a probe file can be created (and is removed again).
    ///
    /// - Throws: ``ValidationError`` naming `option`, the path and the reason.
    static func validateOutputPath(_ path: String, option: String) throws {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw ValidationError("\(option) \(path): is a directory, expected a file path")
        }
        // The file is replaced by a rename (atomic write): a symlink, FIFO or device there would be
        // replaced, not written through (as root, `--json /dev/full` would delete the device).
        if let type = (try? manager.attributesOfItem(atPath: path))?[.type] as? FileAttributeType,
           type != .typeRegular {
            let kind = type == .typeSymbolicLink ? "a symbolic link" : type == .typeCharacterSpecial || type == .typeBlockSpecial
                ? "a device" : type == .typeSocket ? "a socket" : "not a regular file (a FIFO?)"
            throw ValidationError("\(option) \(path): is \(kind); it would be replaced, not written through. "
                                  + "Name a regular file (or '-' for standard output)")
        }
        let parent = URL(fileURLWithPath: path).deletingLastPathComponent().path
        guard manager.fileExists(atPath: parent, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ValidationError("\(option) \(path): the directory \(parent) does not exist")
        }
        // A real probe: permission bits alone say "writable" for root, even on /proc.
        let probe = URL(fileURLWithPath: parent)
            .appendingPathComponent(".mlresnet-write-probe-\(ProcessInfo.processInfo.processIdentifier)").path
        guard manager.isWritableFile(atPath: parent), manager.createFile(atPath: probe, contents: Data()) else {
            throw ValidationError("\(option) \(path): the directory \(parent) is not writable")
        }
        try? manager.removeItem(atPath: probe)
    }

    /// Refuses a `--json` path that names one of the files a run writes in `folder` (its archive,
    /// checkpoint, status, results, …): the JSON would replace it.
    ///
    /// - Throws: ``ValidationError`` naming the file.
    func requireOutsideRunFiles(of folder: URL) throws {
        guard let json, json != "-" else { return }
        let url = URL(fileURLWithPath: json).standardizedFileURL
        let name = url.lastPathComponent
        let inFolder = url.deletingLastPathComponent().path == folder.standardizedFileURL.path
        let isMember = url.pathComponents.count >= 2 && RunFolder.isRunFile(name)
            && url.deletingLastPathComponent().path.hasPrefix(folder.standardizedFileURL.path + "/")
        if (inFolder || isMember) && (RunFolder.isRunFile(name) || name == "config.json") {
            throw ValidationError("--json \(json): is one of the run's own files in \(folder.path); name another file")
        }
    }

    /// Writes `value` where `--json` says (nothing without it): pretty-printed, sorted keys,
    /// non-finite numbers as the strings `nan`, `inf`, `-inf`.
    ///
    /// - Parameter announce: print `wrote FILE` (on standard error) after writing a file.
    func write<Value: Encodable>(_ value: Value, announce: Bool = true) throws {
        guard let json else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf",
                                                                      nan: "nan")
        let data = try encoder.encode(value)
        if toStandardOutput {
            fflush(nil)
            let handle = Self.jsonDescriptor.map { FileHandle(fileDescriptor: $0, closeOnDealloc: false) }
                ?? FileHandle.standardOutput
            handle.write(data + Data("\n".utf8))
        } else {
            try AtomicFileWriter.write(data, to: json)
            if announce { printLog("wrote \(json)") }
        }
    }
}
