import Archiving
public import Foundation

/// The state of a run folder, kept in `<folder>/status.json` (written atomically at every change),
/// so that a reader can tell a finished run from one still going, killed, stopped or failed.
///
/// Format (JSON, sorted keys; times ISO 8601 UTC):
/// ```
/// {"state": "running" | "complete" | "failed" | "interrupted",
///  "commandLine": ["mlresnet", "compare", …],   the command of the session that wrote it
///  "startedAt": "2026-12-01T06:00:00Z",         when that session started
///  "endedAt": "…",                              when it ended (absent while running)
///  "error": "…",                                the error of a failed session
///  "resumeCommand": "…",                        the shell command that continues the run
///  "processIdentifier": 1234, "host": "…"}      who wrote it
/// ```
/// A folder whose status says `running` is either being written now or was killed (SIGKILL, power
/// loss): once no process writes it, resume it (`--resume`) or start over (`--overwrite`); two
/// sessions must never write one folder at once. Readers (`mlresnet analyze`,
/// `notebooks-export/export`) use only folders whose state is `complete`.
public struct RunStatus: Sendable, Hashable, Codable {
    /// The life cycle of a run folder.
    public enum State: String, Sendable, Hashable, Codable, CaseIterable {
        /// A session is writing the folder, or was killed while writing it.
        case running
        /// Every file of the run is written; the results are final.
        case complete
        /// The session stopped on an error (``RunStatus/error``); the files are partial.
        case failed
        /// The session was stopped by SIGINT/SIGTERM after a checkpoint; `--resume` continues it.
        case interrupted
    }

    /// The file name, `status.json`.
    public static let fileName = "status.json"

    /// The state.
    public var state: State
    /// The command line of the session that wrote the status.
    public var commandLine: [String]
    /// When that session started (ISO 8601, UTC).
    public var startedAt: String
    /// When it ended (ISO 8601, UTC); `nil` while running.
    public var endedAt: String?
    /// The error that stopped a failed session.
    public var error: String?
    /// The shell command that continues the run (interrupted or failed sessions).
    public var resumeCommand: String?
    /// The writer's process identifier.
    public var processIdentifier: Int32?
    /// The writer's host name.
    public var host: String?

    /// A status of a session starting now, in the running state.
    ///
    /// - Parameters:
    ///   - commandLine: the session's command line.
    ///   - resumeCommand: the shell command that would continue the run.
    public init(commandLine: [String], resumeCommand: String? = nil) {
        state = .running
        self.commandLine = commandLine
        startedAt = RunStatus.timestamp()
        self.resumeCommand = resumeCommand
        processIdentifier = ProcessInfo.processInfo.processIdentifier
        host = ProcessInfo.processInfo.hostName
    }

    /// The path of the status file in `folder`.
    public static func url(in folder: URL) -> URL { folder.appendingPathComponent(fileName) }

    /// Reads `<folder>/status.json`.
    ///
    /// - Parameter folder: a run folder.
    /// - Returns: the status, or `nil` when the folder has no status file.
    /// - Throws: ``RunFolderError/malformedStatus(file:message:)`` when the file cannot be read or
    ///   is not a status.
    public static func read(in folder: URL) throws -> RunStatus? {
        let url = url(in: folder)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        do {
            return try JSONDecoder().decode(RunStatus.self, from: FileContents.data(at: url))
        } catch let error as DecodingError {
            throw RunFolderError.malformedStatus(file: url.path, message: "not a run status (\(error))")
        } catch {
            throw RunFolderError.malformedStatus(file: url.path, message: "cannot be read (\(error.localizedDescription))")
        }
    }

    /// Writes the status to `<folder>/status.json` atomically (temporary file, `fsync`, `rename`).
    ///
    /// - Parameter folder: the run folder (it must exist).
    /// - Throws: the errors of `AtomicFileWriter.writeJSON(_:to:)`.
    public func write(in folder: URL) throws {
        try AtomicFileWriter.writeJSON(self, to: RunStatus.url(in: folder).path)
    }

    /// Requires `<folder>/status.json` to say `complete`.
    ///
    /// - Parameters:
    ///   - folder: a run folder.
    ///   - missingIsAnError: refuse a folder without a status file (else return `nil` for it).
    /// - Returns: the status, or `nil` for a folder without one (when allowed).
    /// - Throws: ``RunFolderError/notComplete(folder:statusFile:state:detail:)`` when the status is
    ///   not complete (or missing, with `missingIsAnError`); ``RunFolderError/malformedStatus(file:message:)``.
    @discardableResult
    public static func requireComplete(in folder: URL, missingIsAnError: Bool = true) throws -> RunStatus? {
        let file = url(in: folder).path
        guard let status = try read(in: folder) else {
            guard missingIsAnError else { return nil }
            throw RunFolderError.notComplete(folder: folder.path, statusFile: file, state: nil,
                                             detail: "no status file (not a run folder, or written by an older mlresnet)")
        }
        guard status.state == .complete else {
            throw RunFolderError.notComplete(folder: folder.path, statusFile: file, state: status.state,
                                             detail: status.explanation)
        }
        return status
    }

    /// What a state means for a reader, with the resume command when known.
    var explanation: String {
        let resume = resumeCommand.map { "; continue it with: \($0)" } ?? ""
        switch state {
        case .running:
            return "a run is writing it, or was killed while writing it (started \(startedAt))" + resume
        case .complete:
            return "complete"
        case .failed:
            return "the run failed: \(error ?? "unknown error")" + resume
        case .interrupted:
            return "the run was interrupted" + resume
        }
    }

    /// Runs `body` as one session of the run in `folder`: the status says `running` while it
    /// runs, then `complete` when it returns, `interrupted` when it throws ``TrainingInterrupted``,
    /// `failed` (with the error's description) for any other error, which is rethrown.
    ///
    /// - Parameters:
    ///   - folder: the run folder (it must exist).
    ///   - commandLine: the session's command line.
    ///   - resumeCommand: the shell command that continues the run, recorded for interrupted and
    ///     failed sessions when `resumable` says there is something to continue.
    ///   - resumable: asked when the session ends without completing: whether the folder holds
    ///     something to resume (e.g. a checkpoint); when not, no resume command is recorded (a run
    ///     that failed before its first checkpoint has nothing to continue).
    ///   - body: the session's work.
    /// - Returns: what `body` returns.
    /// - Throws: what `body` throws; the status file's write errors.
    public static func track<Result>(in folder: URL, commandLine: [String], resumeCommand: String?,
                                     resumable: () -> Bool = { true },
                                     _ body: () throws -> Result) throws -> Result {
        var status = RunStatus(commandLine: commandLine)
        try status.write(in: folder)
        do {
            let result = try body()
            status.state = .complete
            status.endedAt = timestamp()
            try status.write(in: folder)
            return result
        } catch {
            status.state = error is TrainingInterrupted ? .interrupted : .failed
            status.error = error is TrainingInterrupted ? nil : "\(error)"
            status.resumeCommand = resumable() ? resumeCommand : nil
            status.endedAt = timestamp()
            try? status.write(in: folder)
            throw error
        }
    }

    /// Now, as ISO 8601 UTC.
    static func timestamp() -> String {
        ISO8601DateFormatter().string(from: Date())
    }
}
