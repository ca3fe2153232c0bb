public import Foundation

/// What to do with an output folder that already holds files.
public enum OutputFolderPolicy: String, Sendable, Hashable, CaseIterable {
    /// Refuse a folder that holds anything (the default: a run is never overwritten silently).
    case new
    /// Continue the run in the folder (`--resume`).
    case resume
    /// Start over: remove the run's own files first (`--overwrite`); files that a run does not
    /// write are kept and named.
    case overwrite
}

/// The files of run folders (`mlresnet train` and `compare`, sweeps included) and the check that
/// keeps a new run out of a folder that holds another.
///
/// A run's own files ("run files"), at the top of a folder or in a sweep member's folder
/// `<integrator>-seed<S>/`:
/// ```
/// status.json  .lock  plan.json (a sweep's)  results.json  summary.json  summary.csv  analysis.json  analysis.csv
/// levels.h5  train.jsonl  checkpoint.h5                       (mlresnet train: TrainingRun.Files.single)
/// <run>.h5  <run>.jsonl  <run>.checkpoint.h5   run ∈ full, multilevel, naive, shallow (compare)
/// the checkpoints' other generations: <checkpoint stem> + "." | "-" | "_" + … holding ".h5"
/// .<any of these>.tmp-*                                       (temporaries of killed atomic writes)
/// ```
public enum RunFolder {
    /// The names of the files a run writes at the top of its folder (checkpoints by prefix).
    static let fixedNames: Set<String> = [
        RunStatus.fileName, RunLock.fileName, "plan.json", "config.json", "results.json", "summary.json", "summary.csv", "analysis.json", "analysis.csv",
    ]

    /// Whether `name` (a file name, not a path) is one of the files a run writes.
    ///
    /// - Parameter name: a file name.
    /// - Returns: `true` for the names listed on ``RunFolder``.
    public static func isRunFile(_ name: String) -> Bool {
        if name.hasPrefix("."), let range = name.range(of: ".tmp-") {
            return isRunFile(String(name[name.index(after: name.startIndex)..<range.lowerBound]))
        }
        if fixedNames.contains(name) { return true }
        let files = [TrainingRun.Files.single] + ComparisonRunKind.allCases.map(TrainingRun.Files.comparisonRun)
        // A checkpoint and its other generations: <stem>.h5, <stem>.h5.1, <stem>.previous.h5, <stem>-1.h5 …
        let isCheckpoint = { (stem: String) in
            name.contains(".h5") && [".", "-", "_"].contains { name.hasPrefix(stem + $0) }
        }
        return files.contains { name == $0.archive || name == $0.damagedArchive || name == $0.log || isCheckpoint($0.checkpointStem) }
    }

    /// Whether `url` is a sweep member's folder (`<name>-seed<digits>`) holding only run files.
    static func isMemberFolder(_ url: URL) -> Bool {
        let name = url.lastPathComponent
        guard let range = name.range(of: "-seed", options: .backwards), range.lowerBound > name.startIndex,
              case let digits = name[range.upperBound...], !digits.isEmpty,
              digits.allSatisfy({ $0.isASCII && $0.isNumber }),
              let entries = try? FileManager.default.contentsOfDirectory(atPath: url.path) else { return false }
        return entries.allSatisfy(isRunFile)
    }

    /// The entries of `folder`, split into those a run writes and the others.
    ///
    /// - Parameter folder: a folder (missing: both lists are empty).
    /// - Returns: the names, sorted; sub-folders carry a trailing `/`.
    /// - Throws: ``RunFolderError/notAFolder(path:)`` when `folder` is a file;
    ///   ``RunFolderError/unreadable(folder:message:)`` when it cannot be listed.
    public static func contents(of folder: URL) throws -> (run: [String], others: [String]) {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder) else { return ([], []) }
        guard isFolder.boolValue else { throw RunFolderError.notAFolder(path: folder.path) }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        } catch {
            throw RunFolderError.unreadable(folder: folder.path, message: error.localizedDescription)
        }
        var run: [String] = []
        var others: [String] = []
        for name in names {
            let url = folder.appendingPathComponent(name)
            var entryIsFolder: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: url.path, isDirectory: &entryIsFolder)
            if entryIsFolder.boolValue {
                if isMemberFolder(url) { run.append(name + "/") } else { others.append(name + "/") }
            } else if isRunFile(name) {
                run.append(name)
            } else {
                others.append(name)
            }
        }
        return (run, others)
    }

    /// Makes `folder` ready for a run under `policy`, before anything of the run is written. The
    /// caller may hold the folder's ``RunLock`` already: its lock file is neither counted nor removed.
    ///
    /// - ``OutputFolderPolicy/new``: the folder must be missing or empty (it is created).
    /// - ``OutputFolderPolicy/resume``: the folder is used as it is (the run checks its checkpoint).
    /// - ``OutputFolderPolicy/overwrite``: the run files are **removed** (sweep members' folders
    ///   included); other files are kept and returned.
    ///
    /// - Parameters:
    ///   - folder: the output folder.
    ///   - policy: what to do with existing files.
    /// - Returns: the entries kept that no run writes (empty unless overwriting around them).
    /// - Throws: ``RunFolderError/notEmpty(folder:status:runFiles:otherFiles:)`` for a non-empty
    ///   folder under ``OutputFolderPolicy/new``; ``RunFolderError/notAFolder(path:)``;
    ///   ``RunFolderError/unreadable(folder:message:)``; ``RunFolderError/notWritable(path:message:)``
    ///   when a run file cannot be removed; the file system's errors when the folder cannot be created.
    @discardableResult
    public static func prepare(_ folder: URL, policy: OutputFolderPolicy) throws -> [String] {
        let (run, others) = try contents(of: folder)
        switch policy {
        case .new:
            try requireEmpty(folder, ignoringLock: true)
        case .resume:
            break
        case .overwrite:
            for name in run where name != RunLock.fileName {
                let url = folder.appendingPathComponent(name)
                do {
                    try FileManager.default.removeItem(at: url)
                } catch {
                    throw RunFolderError.notWritable(path: url.path, message: "cannot remove it (\(error.localizedDescription))")
                }
            }
        }
        try create(folder)
        return policy == .overwrite ? others : []
    }

    /// Creates `folder` and its missing parents.
    ///
    /// - Parameter folder: the run's folder.
    /// - Throws: ``RunFolderError/notWritable(path:message:)`` naming the folder, the nearest ancestor
    ///   that exists and the system's reason (not a Foundation error dump).
    public static func create(_ folder: URL) throws {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            var ancestor = folder.standardizedFileURL
            while !FileManager.default.fileExists(atPath: ancestor.path), ancestor.path != "/" {
                ancestor.deleteLastPathComponent()
            }
            let reason = ((error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError)?.localizedDescription ?? error.localizedDescription
            throw RunFolderError.notWritable(path: folder.path, message: "cannot create this folder in \(ancestor.path): \(reason)")
        }
    }

    /// Refuses a path that exists but is not a regular file (a directory, a FIFO, a socket, a
    /// device; a symbolic link is followed): a run's atomic rename could not replace it.
    ///
    /// - Parameter url: a run file's path (missing is fine).
    /// - Throws: ``RunFolderError/notARegularFile(path:kind:)``.
    public static func requireRegularFileOrNothing(_ url: URL) throws {
        var info = stat()
        guard stat(url.path, &info) == 0 else { return }
        let kind: String
        switch info.st_mode & S_IFMT {
        case S_IFREG: return
        case S_IFDIR: kind = "a directory"
        case S_IFIFO: kind = "a FIFO"
        case S_IFSOCK: kind = "a socket"
        case S_IFCHR, S_IFBLK: kind = "a device"
        default: kind = "not a file"
        }
        throw RunFolderError.notARegularFile(path: url.path, kind: kind)
    }

    /// Refuses a folder that holds anything, naming what it holds.
    ///
    /// - Parameter folder: the output folder (missing is fine).
    /// - Throws: ``RunFolderError/notEmpty(folder:status:runFiles:otherFiles:)``;
    ///   ``RunFolderError/notAFolder(path:)``; ``RunFolderError/unreadable(folder:message:)``.
    public static func requireEmpty(_ folder: URL) throws {
        try requireEmpty(folder, ignoringLock: false)
    }

    /// ``requireEmpty(_:)``, not counting the lock file when `ignoringLock` (the caller holds it).
    static func requireEmpty(_ folder: URL, ignoringLock: Bool) throws {
        var (run, others) = try contents(of: folder)
        if ignoringLock { run.removeAll { $0 == RunLock.fileName } }
        guard run.isEmpty && others.isEmpty else {
            throw RunFolderError.notEmpty(folder: folder.path, status: (try? RunStatus.read(in: folder))??.state,
                                          runFiles: run, otherFiles: others)
        }
    }
}

/// Errors about run folders: a run that would overwrite or mix with another, a folder whose run
/// is not complete, a malformed status file.
public enum RunFolderError: Error, Equatable, CustomStringConvertible {
    /// A new run was asked for in a folder that holds files (the run's status when it has one).
    case notEmpty(folder: String, status: RunStatus.State?, runFiles: [String], otherFiles: [String])
    /// The folder's run is not complete (`state` nil: no status file), so its results are partial.
    case notComplete(folder: String, statusFile: String, state: RunStatus.State?, detail: String)
    /// `--resume` on a folder that holds no run to continue.
    case nothingToResume(folder: String, reason: String)
    /// A file or folder of the run cannot be created, written or removed (`message`: the system's reason).
    case notWritable(path: String, message: String)
    /// Another process holds the folder's lock (``RunLock``): a run is writing it.
    case locked(folder: String, pid: Int32?)
    /// `--resume` of a sweep with another plan than the one recorded in the folder (each
    /// difference as `field: recorded → now`).
    case differentPlan(folder: String, planFile: String, differences: [String])
    /// A status file that cannot be read or is not a status.
    case malformedStatus(file: String, message: String)
    /// The output path is a file.
    case notAFolder(path: String)
    /// The folder cannot be listed.
    case unreadable(folder: String, message: String)
    /// A run file's path holds a directory or another non-regular file (`kind` says what), so the
    /// run could not replace it.
    case notARegularFile(path: String, kind: String)

    /// A readable message naming the folder and what to do.
    public var description: String {
        switch self {
        case let .notEmpty(folder, status, runFiles, otherFiles):
            func list(_ names: [String]) -> String {
                names.count <= 6 ? names.joined(separator: ", ") : names.prefix(5).joined(separator: ", ") + ", … (\(names.count) in all)"
            }
            var holds: [String] = []
            if !runFiles.isEmpty {
                holds.append("a run" + (status.map { " (status: \($0.rawValue))" } ?? "") + ": " + list(runFiles))
            }
            if !otherFiles.isEmpty { holds.append("files no run writes: " + list(otherFiles)) }
            let remedy = runFiles.isEmpty
                ? "choose an empty or new folder"
                : "continue it with --resume, start over with --overwrite (removes the run's files"
                    + (otherFiles.isEmpty ? ")" : ", keeps the others)") + ", or choose another folder"
            return "output folder \(folder) is not empty; it holds \(holds.joined(separator: "; and ")): \(remedy)"
        case let .notComplete(folder, statusFile, state, detail):
            return "\(folder): the run is not complete (\(statusFile): \(state?.rawValue ?? "missing"); \(detail)); "
                + "its files are partial or mixed"
        case let .nothingToResume(folder, reason):
            return "--resume: nothing to continue in \(folder): \(reason)"
        case let .notWritable(path, message):
            return "\(path) cannot be written: \(message)"
        case let .locked(folder, pid):
            return "output folder \(folder) is in use by another mlresnet process"
                + (pid.map { " (pid \($0), holding \(RunLock.fileName))" } ?? " (holding \(RunLock.fileName))")
                + ": wait for it to end, or stop it, before writing to this folder"
        case let .differentPlan(folder, planFile, differences):
            return "--resume: the sweep in \(folder) was started with another plan (\(planFile)): "
                + differences.joined(separator: "; ") + "; continue it with its own options, or write this sweep "
                + "to another folder (or start over with --overwrite)"
        case let .malformedStatus(file, message):
            return "\(file): \(message)"
        case let .notAFolder(path):
            return "output \(path) is a file, not a folder"
        case let .unreadable(folder, message):
            return "output folder \(folder) cannot be listed: \(message)"
        case let .notARegularFile(path, kind):
            return "\(path) is \(kind), not a regular file: the run cannot write it; move it away or start over "
                + "with --overwrite"
        }
    }
}
