import Foundation
import Testing

/// The tester's defects of run folders (issue 12, defect 3 follow-ups): a resume from the previous
/// checkpoint generation when the newest is missing, non-regular run files refused before
/// training, option values checked before anything is written, a sweep's plan kept on --resume,
/// one process per run folder.
@Suite("Run folder safety from the command line", .serialized)
struct RunFolderSafetyTests {
    private let tiny = ["--dataset", "digits", "--channels", "4,8", "--schedule", "1,2", "--epochs", "2",
                        "--threads", "1", "--progress", "silent"]

    private func remove(_ folder: URL) { try? FileManager.default.removeItem(at: folder) }

    @Test("F9: --resume uses checkpoint.previous.h5 when checkpoint.h5 is missing, with a warning")
    func resumeFromPreviousGeneration() throws {
        let folder = CLI.temporaryFolder()
        defer { remove(folder) }
        let first = try CLI.run(["train"] + tiny + ["--output", folder.path, "--overwrite"])
        #expect(first.status == 0, "\(first.errors)")
        let previous = folder.appendingPathComponent("checkpoint.previous.h5")
        #expect(FileManager.default.fileExists(atPath: previous.path))
        try FileManager.default.removeItem(at: folder.appendingPathComponent("checkpoint.h5"))
        let resumed = try CLI.run(["train"] + tiny + ["--output", folder.path, "--resume"])
        #expect(resumed.status == 0, "\(resumed.errors)")
        let text = resumed.output + resumed.errors
        #expect(text.contains("warning") && text.contains(previous.path), "\(text)")
        #expect(CLI.state(folder) == "complete")
    }

    @Test("F9: a run file that is a directory is refused before training, naming the path",
          arguments: ["checkpoint.h5", "checkpoint.previous.h5", "levels.h5"])
    func nonRegularRunFileRefused(name: String) throws {
        let folder = CLI.temporaryFolder()
        defer { remove(folder) }
        let first = try CLI.run(["train"] + tiny + ["--output", folder.path, "--overwrite"])
        #expect(first.status == 0, "\(first.errors)")
        let path = folder.appendingPathComponent(name)
        try FileManager.default.removeItem(at: path)
        try FileManager.default.createDirectory(at: path, withIntermediateDirectories: false)
        let log = try Data(contentsOf: folder.appendingPathComponent("train.jsonl"))
        let resumed = try CLI.run(["train"] + tiny + ["--output", folder.path, "--resume"])
        #expect(resumed.status != 0)
        #expect(resumed.errors.contains(path.path) && resumed.errors.contains("directory"), "\(resumed.errors)")
        #expect(try Data(contentsOf: folder.appendingPathComponent("train.jsonl")) == log, "nothing trained")
    }

    @Test("F10: option values that only failed at run time are refused by validation (exit 64, nothing written)",
          arguments: [["train", "--momentum", "1"], ["train", "--weight-decay", "1e30"], ["train", "--lr-max", "nan"],
                      ["train", "--lr-min", "0"], ["compare", "--momentum", "-0.5"], ["compare", "--weight-decay", "inf"]])
    func runTimeFailuresValidated(arguments: [String]) throws {
        let parent = CLI.temporaryFolder()
        defer { remove(parent) }
        let folder = parent.appendingPathComponent("run")
        let bad = try CLI.run([arguments[0]] + tiny + Array(arguments.dropFirst()) + ["--output", folder.path])
        #expect(bad.status == 64, "\(bad.status): \(bad.errors)")
        #expect(!FileManager.default.fileExists(atPath: folder.path), "nothing written")
        let field = ["--momentum": "momentum", "--weight-decay": "weight decay", "--lr-max": "maximum learning rate",
                     "--lr-min": "minimum learning rate"][arguments[1]] ?? arguments[1]
        #expect(bad.errors.contains(field), "the field is named: \(bad.errors)")
    }

    @Test("F10: a run that fails before its first checkpoint records no resume command")
    func noResumeCommandWithoutCheckpoint() throws {
        let folder = CLI.temporaryFolder()
        defer { remove(folder) }
        let diverged = try CLI.run(["train"] + tiny + ["--lr-max", "1e3", "--output", folder.path, "--overwrite"])
        #expect(diverged.status != 0)
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("checkpoint.h5").path))
        let status = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("status.json")))
            as? [String: Any]
        #expect(status?["state"] as? String == "failed")
        #expect(status?["resumeCommand"] == nil, "\(String(describing: status))")
    }

    @Test("F6: compare --resume refuses another sweep plan, naming what differs; the same plan continues")
    func sweepPlanKept() throws {
        let folder = CLI.temporaryFolder()
        defer { remove(folder) }
        let plan = ["--seeds", "2", "--integrators", "forwardEuler,heun"]
        let first = try CLI.run(["compare"] + tiny + plan + ["--output", folder.path, "--overwrite"])
        #expect(first.status == 0, "\(first.errors)")
        let members = Set(try FileManager.default.contentsOfDirectory(atPath: folder.path))
        for (other, field) in [(["--seeds", "2", "--seed", "5", "--integrators", "forwardEuler,heun"], "seeds"),
                               (["--seeds", "3", "--integrators", "forwardEuler,heun"], "seeds"),
                               (["--seeds", "1", "--integrators", "forwardEuler,heun"], "seeds"),
                               (["--seeds", "2", "--integrators", "forwardEuler,rk4Classic"], "integrators")] {
            let changed = try CLI.run(["compare"] + tiny + other + ["--output", folder.path, "--resume"])
            #expect(changed.status != 0, "\(other) accepted")
            #expect(changed.errors.contains(field) && changed.errors.contains("plan"), "\(changed.errors)")
            #expect(Set(try FileManager.default.contentsOfDirectory(atPath: folder.path)) == members, "\(other)")
        }
        let same = try CLI.run(["compare"] + tiny + plan + ["--output", folder.path, "--resume"])
        #expect(same.status == 0, "\(same.errors)")
    }

    @Test("F8: a second process in a running run's folder is refused, naming the folder and the holder's pid")
    func secondProcessRefused() throws {
        let folder = CLI.temporaryFolder()
        defer { remove(folder) }
        let long = ["--dataset", "digits", "--channels", "4,8", "--schedule", "1,2", "--epochs", "200",
                    "--threads", "1", "--progress", "silent"]
        let started = try CLI.start(["train"] + long + ["--output", folder.path, "--overwrite"])
        let process = started.0
        defer { if process.isRunning { process.terminate() }; _ = CLI.finish(started) }
        #expect(CLI.wait(seconds: 60) { FileManager.default.fileExists(atPath: folder.appendingPathComponent("checkpoint.h5").path) })
        #expect(process.isRunning)
        let second = try CLI.run(["train"] + long + ["--output", folder.path, "--resume"])
        #expect(second.status == 1, "\(second.status): \(second.errors)")
        #expect(second.errors.contains(folder.path) && second.errors.contains("pid \(process.processIdentifier)"),
                "\(second.errors)")
        let over = try CLI.run(["train"] + long + ["--output", folder.path, "--overwrite"])
        #expect(over.status == 1 && over.errors.contains("pid \(process.processIdentifier)"), "\(over.errors)")
        #expect(process.isRunning, "the first run is untouched")
        process.terminate()
        let end = CLI.finish(started)
        #expect(end.status == 130, "\(end.errors)")
        // The printed resume command names the folder absolutely and continues the run.
        #expect(end.errors.contains("--resume") && end.errors.contains(folder.path), "\(end.errors)")
    }

    @Test("The printed resume command names a relative --output absolutely")
    func resumeCommandAbsolute() throws {
        let folder = CLI.temporaryFolder()
        defer { remove(folder) }
        // --output relative to the repository root (the subprocess's working directory).
        let relative = String(repeating: "../", count: CLI.repositoryRoot.pathComponents.count - 1)
            + folder.path.dropFirst()
        let started = try CLI.start(["train", "--dataset", "digits", "--channels", "4,8", "--schedule", "1,2",
                                     "--epochs", "200", "--threads", "1", "--progress", "silent",
                                     "--output", relative, "--overwrite"])
        defer { if started.0.isRunning { started.0.terminate() } }
        #expect(CLI.wait(seconds: 60) { FileManager.default.fileExists(atPath: folder.appendingPathComponent("checkpoint.h5").path) })
        started.0.interrupt()
        let end = CLI.finish(started)
        #expect(end.status == 130, "\(end.errors)")
        #expect(end.errors.contains("--output \(folder.path) ") && !end.errors.contains(relative), "\(end.errors)")
    }
}
