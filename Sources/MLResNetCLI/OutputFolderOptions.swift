import ArgumentParser
import Foundation
import MultilevelResNet

/// `--output`, `--resume`, `--overwrite` of `mlresnet train` and `compare`: where a run goes and
/// what happens to a folder that already holds one.
struct OutputFolderOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Output folder (default runs/<command>-<timestamp>).",
        discussion: "A folder that holds anything is refused unless --resume or --overwrite is given."))
    var output: String?

    @Flag(name: .long, help: "Continue the run in --output where it stopped (interrupted, killed or failed).")
    var resume = false

    @Flag(name: .long, help: ArgumentHelp(
        "Start over in --output: remove the run's files there first (status, results, logs, archives, checkpoints, "
            + "sweep members); other files are kept and named."))
    var overwrite = false

    /// The policy the flags ask for.
    var policy: OutputFolderPolicy { resume ? .resume : overwrite ? .overwrite : .new }

    func validate() throws {
        if resume && overwrite { throw ValidationError("--resume and --overwrite exclude each other") }
        if resume && output == nil { throw ValidationError("--resume needs the --output folder of the run to continue") }
    }

    /// Checks that `--output` can take the run: its nearest existing ancestor is a folder, and a new
    /// run's folder is empty (never a run landing on another silently). Called by the commands'
    /// `validate()` unless `--print-config` asks only for the configuration.
    ///
    /// - Throws: `ValidationError` naming the folder.
    func requireUsableFolder() throws {
        guard let output else { return }
        // The nearest existing ancestor must be a folder (else createDirectory fails with a Cocoa dump).
        var url = URL(fileURLWithPath: output).standardizedFileURL
        var isFolder: ObjCBool = false
        while !FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), url.path != "/" {
            // A symbolic link to nothing cannot be made into a folder (createDirectory said only "file exists").
            if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: url.path) {
                throw ValidationError("--output \(output): \(url.path) is a symbolic link to \(target), which does not "
                                      + "exist; create that folder or name another --output")
            }
            url.deleteLastPathComponent()
        }
        guard isFolder.boolValue else { throw ValidationError("--output \(output): \(url.path) is a file, not a folder") }
        // Before anything is loaded or written: a run never lands on another silently.
        if policy == .new {
            do {
                try RunFolder.requireEmpty(URL(fileURLWithPath: output))
            } catch let error as RunFolderError {
                throw ValidationError("--output: \(error)")
            }
        }
    }

    /// `--output`, or `runs/<prefix>-<timestamp>`.
    func folder(prefix: String) -> URL {
        if let output { return URL(fileURLWithPath: output) }
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        return URL(fileURLWithPath: "runs/\(prefix)-\(formatter.string(from: Date()))")
    }

    /// Prepares `folder` under ``policy`` (checked again: a default folder may have appeared) and
    /// says which files that no run writes were kept by `--overwrite`.
    func prepare(_ folder: URL) throws {
        let kept = try RunFolder.prepare(folder, policy: policy)
        if !kept.isEmpty {
            printLog("note: --overwrite kept \(kept.count) entr\(kept.count == 1 ? "y" : "ies") of \(folder.path) that no run "
                  + "writes: \(kept.joined(separator: ", "))")
        }
    }

    /// The shell command that continues the run in `folder`: this command line with `--overwrite`
    /// dropped, `--resume` and (when it was defaulted) `--output` added, and the `--output` folder
    /// made absolute (so the command works from any working directory).
    func resumeCommand(folder: URL) -> String {
        let absolute = folder.absoluteURL.standardizedFileURL.path
        var arguments: [String] = []
        var outputFollows = false
        for argument in CommandLine.arguments where argument != "--overwrite" {
            if outputFollows {
                arguments.append(absolute)
            } else if argument.hasPrefix("--output=") {
                arguments.append("--output=" + absolute)
            } else {
                arguments.append(argument)
            }
            outputFollows = argument == "--output"
        }
        if !arguments.contains("--resume") { arguments.append("--resume") }
        if output == nil { arguments += ["--output", absolute] }
        return arguments.map(Self.shellQuoted).joined(separator: " ")
    }

    /// `word` quoted for a POSIX shell when it holds anything but letters, digits and `_./:=,+-@%`.
    static func shellQuoted(_ word: String) -> String {
        let plain = !word.isEmpty && word.unicodeScalars.allSatisfy {
            ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || "_./:=,+-@%".unicodeScalars.contains($0)
        }
        return plain ? word : "'" + word.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }

    /// Installs the SIGINT/SIGTERM handlers (once) and returns the flag they set.
    static func interruptOnSignals() -> InterruptFlag {
        InterruptFlag.installSignalHandlers { signal in
            let name = signal == SIGINT ? "SIGINT" : signal == SIGTERM ? "SIGTERM" : "signal \(signal)"
            let message = "\nmlresnet: \(name): stopping after the current batch and writing a checkpoint "
                + "(send it again to stop at once)\n"
            FileHandle.standardError.write(Data(message.utf8))
        }
        return InterruptFlag.process
    }

    /// Prints where an interrupted run stopped and how to continue it, and returns exit status 130.
    static func interrupted(_ stop: TrainingInterrupted, folder: URL, resumeCommand: String) -> ExitCode {
        FileHandle.standardError.write(Data("""
            mlresnet: \(stop); checkpoint written, \(folder.appendingPathComponent(RunStatus.fileName).path) says interrupted.
            resume with:
              \(resumeCommand)

            """.utf8))
        return ExitCode(130)
    }
}
