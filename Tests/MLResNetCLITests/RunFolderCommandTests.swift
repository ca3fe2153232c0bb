import Foundation
import Testing

/// `mlresnet train` and `compare` against folders that hold runs: refused unless --resume or
/// --overwrite, a status file at every end, SIGINT → checkpoint, status interrupted, exit 130 and a
/// resume that equals the uninterrupted run; `analyze` and the export refuse incomplete folders.
@Suite("Run folders from the command line", .serialized)
struct RunFolderCommandTests {
    private func remove(_ folders: URL...) {
        for folder in folders { try? FileManager.default.removeItem(at: folder) }
    }

    @Test("train and compare refuse a folder that holds a run or other files, and leave it untouched")
    func nonEmptyFolderRefused() throws {
        let train = CLI.temporaryFolder().appendingPathComponent("train")
        let compare = CLI.temporaryFolder()
        defer { remove(train.deletingLastPathComponent(), compare) }
        let first = try CLI.run(["train"] + CLI.tiny + ["--epochs", "2", "--output", train.path])
        #expect(first.status == 0, "\(first.errors)")
        let checkpoint = try Data(contentsOf: train.appendingPathComponent("checkpoint.h5"))
        let status = try? Data(contentsOf: train.appendingPathComponent("status.json"))

        // The forgotten --resume: refused before anything is written, naming the folder and its files.
        let again = try CLI.run(["train"] + CLI.tiny + ["--epochs", "2", "--seed", "5", "--output", train.path])
        #expect(again.status != 0)
        #expect(again.errors.contains(train.path) && again.errors.contains("checkpoint.h5")
                && again.errors.contains("--resume") && again.errors.contains("--overwrite"), "\(again.errors)")
        #expect(try Data(contentsOf: train.appendingPathComponent("checkpoint.h5")) == checkpoint)
        #expect((try? Data(contentsOf: train.appendingPathComponent("status.json"))) == status)

        // compare into a folder holding someone's notes, and into a train run's folder.
        try Data("mine".utf8).write(to: compare.appendingPathComponent("notes.txt"))
        let notes = try CLI.run(["compare"] + CLI.tiny + ["--epochs", "2", "--output", compare.path])
        #expect(notes.status != 0 && notes.errors.contains("notes.txt"), "\(notes.errors)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: compare.path) == ["notes.txt"])
        let onTrain = try CLI.run(["compare"] + CLI.tiny + ["--epochs", "2", "--seeds", "2", "--output", train.path])
        #expect(onTrain.status != 0 && onTrain.errors.contains("status: complete"), "\(onTrain.errors)")
        #expect(try Data(contentsOf: train.appendingPathComponent("checkpoint.h5")) == checkpoint)
    }

    @Test("--overwrite removes the run's files (sweep members included), keeps and names the others, and starts over")
    func overwriteStartsOver() throws {
        let folder = CLI.temporaryFolder()
        defer { remove(folder) }
        let sweep = try CLI.run(["compare"] + CLI.tiny + ["--epochs", "2", "--seeds", "2", "--output", folder.path])
        #expect(sweep.status == 0, "\(sweep.errors)")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("forwardEuler-seed2/results.json").path))
        try Data("mine".utf8).write(to: folder.appendingPathComponent("notes.txt"))

        let both = try CLI.run(["compare"] + CLI.tiny + ["--epochs", "2", "--output", folder.path, "--resume", "--overwrite"])
        #expect(both.status != 0 && both.errors.contains("--resume and --overwrite"), "\(both.errors)")

        let redo = try CLI.run(["compare"] + CLI.tiny + ["--epochs", "2", "--seed", "4", "--output", folder.path, "--overwrite"])
        #expect(redo.status == 0, "\(redo.errors)")
        #expect(redo.errors.contains("notes.txt"), "the kept file is named (a note, on standard error): \(redo.errors)")
        let names = Set(try FileManager.default.contentsOfDirectory(atPath: folder.path))
        #expect(!names.contains("forwardEuler-seed1") && !names.contains("summary.json"), "\(names)")
        #expect(names.isSuperset(of: ["notes.txt", "results.json", "status.json", "full.checkpoint.h5", "multilevel.h5"]))
        #expect(CLI.state(folder) == "complete")
        let results = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("results.json")))
        #expect((results as? [String: Any])?["seeds"] as? [Int] == [4, 4])
    }

    @Test("status.json says complete after a run, failed (with the error) after one that fails; a refused --resume leaves it as it was")
    func statusAfterSuccessAndFailure() throws {
        let folder = CLI.temporaryFolder().appendingPathComponent("run")
        defer { remove(folder.deletingLastPathComponent()) }
        let statusFile = folder.appendingPathComponent("status.json")
        let run = try CLI.run(["train"] + CLI.tiny + ["--epochs", "2", "--output", folder.path])
        #expect(run.status == 0, "\(run.errors)")
        let recorded = try Data(contentsOf: statusFile)
        let status = try #require(try JSONSerialization.jsonObject(with: recorded) as? [String: Any])
        #expect(status["state"] as? String == "complete")
        #expect((status["commandLine"] as? [String])?.contains(folder.path) == true)
        #expect(status["startedAt"] is String && status["endedAt"] is String)

        // Resuming with another configuration is refused before the folder is touched: the complete
        // run's record stays byte for byte (it used to be overwritten with "failed").
        let other = try CLI.run(["train"] + CLI.tiny + ["--epochs", "4", "--output", folder.path, "--resume"])
        #expect(other.status != 0)
        #expect(try Data(contentsOf: statusFile) == recorded)

        // Without config.json only the checkpoint's fingerprint can tell, inside the run: status failed,
        // with the error and the command that resumes.
        try FileManager.default.removeItem(at: folder.appendingPathComponent("config.json"))
        let unrecorded = try CLI.run(["train"] + CLI.tiny + ["--epochs", "4", "--output", folder.path, "--resume"])
        #expect(unrecorded.status != 0)
        let refused = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: statusFile)) as? [String: Any])
        #expect(refused["state"] as? String == "failed")
        #expect((refused["error"] as? String)?.isEmpty == false)
        #expect((refused["resumeCommand"] as? String)?.contains("--resume") == true)

        // A run that fails (it diverges) records the state and its error.
        let diverged = try CLI.run(["train"] + CLI.tiny + ["--lr-max", "1e3", "--output", folder.path, "--overwrite"])
        #expect(diverged.status != 0)
        let failed = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: statusFile)) as? [String: Any])
        #expect(failed["state"] as? String == "failed")
        #expect((failed["error"] as? String)?.contains("diverged") == true, "\(failed)")
    }

    @Test("compare stopped by SIGINT exits 130 with the resume command; the resumed comparison equals an uninterrupted one")
    func compareInterruptedAndResumed() throws {
        let reference = CLI.temporaryFolder()
        let folder = CLI.temporaryFolder().appendingPathComponent("run")
        let exported = CLI.temporaryFolder()
        defer { remove(reference, folder.deletingLastPathComponent(), exported) }
        let settings = CLI.tiny + ["--channels", "4,8", "--epochs", "2"]
        let whole = try CLI.run(["compare"] + settings + ["--output", reference.path])
        #expect(whole.status == 0, "\(whole.errors)")

        // SIGINT once the first run has saved its first epoch: it stops inside its second.
        let started = try CLI.start(["compare"] + settings + ["--output", folder.path])
        let checkpointed = CLI.wait(seconds: 120) {
            FileManager.default.fileExists(atPath: folder.appendingPathComponent("full.checkpoint.h5").path)
        }
        kill(started.0.processIdentifier, SIGINT)
        let stopped = CLI.finish(started)
        #expect(checkpointed)
        #expect(stopped.status == 130, "\(stopped.errors)")
        #expect(CLI.state(folder) == "interrupted")
        #expect(stopped.errors.contains("resume with:") && stopped.errors.contains("--output \(folder.path) --resume"),
                "\(stopped.errors)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("results.json").path))

        // The export refuses the partial folder, naming its status file.
        let export = Process()
        export.executableURL = CLI.repositoryRoot.appendingPathComponent("notebooks-export/export")
        export.arguments = [folder.path, "--output", exported.path, "--notebooks", "compare"]
        let errors = Pipe()
        export.standardError = errors
        export.standardOutput = FileHandle.nullDevice
        try export.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        export.waitUntilExit()
        #expect(export.terminationStatus == 2 && message.contains("status.json") && message.contains("interrupted"),
                "\(export.terminationStatus): \(message)")

        let resumed = try CLI.run(["compare"] + settings + ["--output", folder.path, "--resume"])
        #expect(resumed.status == 0, "\(resumed.errors)")
        #expect(CLI.state(folder) == "complete")
        #expect(try CLI.numbers(folder.appendingPathComponent("results.json"))
                == CLI.numbers(reference.appendingPathComponent("results.json")))
        for run in ["full", "multilevel", "naive"] {
            #expect(try CLI.identicalArchives(folder.appendingPathComponent("\(run).h5"),
                                              reference.appendingPathComponent("\(run).h5")), "\(run).h5 differs")
        }
        // Complete now: a plain re-run is refused, a resume has nothing to do.
        let rerun = try CLI.run(["compare"] + settings + ["--output", folder.path])
        #expect(rerun.status != 0 && rerun.errors.contains("status: complete"), "\(rerun.errors)")
        let nothing = try CLI.run(["compare"] + settings + ["--output", folder.path, "--resume"])
        // The table of the finished comparison on standard output, the note on standard error.
        #expect(nothing.status == 0 && nothing.errors.contains("nothing to resume") && !nothing.output.contains("nothing to resume")
                && nothing.output.contains("full"), "\(nothing.output) / \(nothing.errors)")
    }

    @Test("A sweep stopped by SIGINT keeps its complete members on --resume and ends as an uninterrupted sweep")
    func sweepInterruptedAndResumed() throws {
        let reference = CLI.temporaryFolder()
        let folder = CLI.temporaryFolder().appendingPathComponent("run")
        defer { remove(reference, folder.deletingLastPathComponent()) }
        let settings = CLI.tiny + ["--epochs", "2", "--seeds", "2"]
        let whole = try CLI.run(["compare"] + settings + ["--output", reference.path])
        #expect(whole.status == 0, "\(whole.errors)")

        // SIGINT once the second member's first run has saved an epoch.
        let (first, second) = (folder.appendingPathComponent("forwardEuler-seed1"), folder.appendingPathComponent("forwardEuler-seed2"))
        let started = try CLI.start(["compare"] + settings + ["--output", folder.path])
        let checkpointed = CLI.wait(seconds: 120) {
            FileManager.default.fileExists(atPath: second.appendingPathComponent("full.checkpoint.h5").path)
        }
        kill(started.0.processIdentifier, SIGINT)
        let stopped = CLI.finish(started)
        #expect(checkpointed)
        #expect(stopped.status == 130, "\(stopped.errors)")
        #expect(CLI.state(folder) == "interrupted" && CLI.state(first) == "complete" && CLI.state(second) == "interrupted")
        let kept = try Data(contentsOf: first.appendingPathComponent("results.json"))

        let resumed = try CLI.run(["compare"] + settings + ["--output", folder.path, "--resume"])
        #expect(resumed.status == 0, "\(resumed.errors)")
        #expect([folder, first, second].allSatisfy { CLI.state($0) == "complete" })
        #expect(try Data(contentsOf: first.appendingPathComponent("results.json")) == kept, "a complete member was redone")
        for name in ["forwardEuler-seed1", "forwardEuler-seed2"] {
            #expect(try CLI.numbers(folder.appendingPathComponent("\(name)/results.json"))
                    == CLI.numbers(reference.appendingPathComponent("\(name)/results.json")), "\(name)")
        }
        #expect(try CLI.numbers(folder.appendingPathComponent("summary.json"))
                == CLI.numbers(reference.appendingPathComponent("summary.json")))
    }

    @Test("train stopped by SIGINT: status interrupted, analyze refuses its archive, the resume equals an uninterrupted run")
    func trainInterruptedAndResumed() throws {
        let reference = CLI.temporaryFolder()
        let folder = CLI.temporaryFolder().appendingPathComponent("run")
        defer { remove(reference, folder.deletingLastPathComponent()) }
        let settings = CLI.tiny + ["--epochs", "4"]
        let whole = try CLI.run(["train"] + settings + ["--output", reference.path])
        #expect(whole.status == 0, "\(whole.errors)")

        // SIGINT once the first level is archived (after 2 of 4 epochs).
        let started = try CLI.start(["train"] + settings + ["--output", folder.path])
        let archived = CLI.wait(seconds: 120) {
            FileManager.default.fileExists(atPath: folder.appendingPathComponent("levels.h5").path)
        }
        kill(started.0.processIdentifier, SIGINT)
        let stopped = CLI.finish(started)
        #expect(archived)
        #expect(stopped.status == 130, "\(stopped.errors)")
        #expect(CLI.state(folder) == "interrupted")
        #expect(stopped.errors.contains("--resume"), "\(stopped.errors)")

        let analyze = try CLI.run(["analyze", folder.appendingPathComponent("levels.h5").path, "--lesion-seeds", "0"])
        #expect(analyze.status != 0 && analyze.errors.contains("status.json") && analyze.errors.contains("interrupted"),
                "\(analyze.status): \(analyze.errors)")

        let resumed = try CLI.run(["train"] + settings + ["--output", folder.path, "--resume"])
        #expect(resumed.status == 0, "\(resumed.errors)")
        #expect(CLI.state(folder) == "complete")
        #expect(try CLI.identicalArchives(folder.appendingPathComponent("levels.h5"),
                                          reference.appendingPathComponent("levels.h5")))
    }
}
