import Foundation
import Testing

/// What `mlresnet` says and where (issue 17, item 5): results on standard output, progress and
/// logs on standard error; usage errors found after parsing with the subcommand's usage; writing
/// into a missing folder names the folder.
@Suite("Messages of the command line", .serialized)
struct MessageCommandTests {
    private func remove(_ folder: URL) { try? FileManager.default.removeItem(at: folder) }

    /// The tiny settings with progress lines on (so that there is progress to find).
    private let tiny = ["--channels", "4", "--schedule", "1,2", "--epochs", "2", "--threads", "1", "--progress", "lines"]

    /// Lines every log of a training command has, none of which is a result.
    private let logLines = ["dataset: ", "epoch 1/", "wrote "]

    @Test("train, compare and analyze print their tables on standard output and their progress and logs on standard error")
    func resultsOnStandardOutput() throws {
        let folder = CLI.temporaryFolder()
        defer { remove(folder) }
        let train = try CLI.run(["train"] + tiny + ["--output", folder.appendingPathComponent("train").path,
                                                    "--json", folder.appendingPathComponent("train.json").path])
        #expect(train.status == 0, "\(train.errors)")
        #expect(train.output.hasPrefix("level  N   h"), "standard output starts with the table: \(train.output)")
        for line in logLines {
            #expect(!train.output.contains(line) && train.errors.contains(line), "train: '\(line)' belongs on standard error")
        }

        let compare = try CLI.run(["compare"] + tiny + ["--runs", "full,multilevel",
                                                        "--output", folder.appendingPathComponent("compare").path])
        #expect(compare.status == 0, "\(compare.errors)")
        #expect(compare.output.contains("multi") && compare.output.contains("full"), "the table: \(compare.output)")
        for line in ["dataset: ", "epoch 1/", "total "] {
            #expect(!compare.output.contains(line) && compare.errors.contains(line), "compare: '\(line)' belongs on standard error")
        }

        let archive = folder.appendingPathComponent("train/levels.h5").path
        let analyze = try CLI.run(["analyze", archive, "--lesion-seeds", "1", "--threads", "1",
                                   "--csv", folder.appendingPathComponent("analysis.csv").path])
        #expect(analyze.status == 0, "\(analyze.errors)")
        #expect(analyze.output.contains("level  N   acc %") && analyze.output.contains("power law"), "\(analyze.output)")
        for line in ["dataset: ", "wrote "] {
            #expect(!analyze.output.contains(line) && analyze.errors.contains(line), "analyze: '\(line)' belongs on standard error")
        }
    }

    @Test("bench and convergence print their tables on standard output and their notes on standard error")
    func benchAndConvergence() throws {
        let folder = CLI.temporaryFolder()
        defer { remove(folder) }
        let bench = try CLI.run(["bench", "--steps-per-stage", "1", "--batch-size", "1", "--steps", "10", "--warmup", "1",
                                 "--threads", "1", "--no-reference", "--json", folder.appendingPathComponent("b.json").path])
        #expect(bench.status == 0, "\(bench.errors)")
        #expect(bench.output.contains("img/s") && bench.output.contains("N=1"), "\(bench.output)")
        for line in ["PyTorch reference: not run", "wrote "] {
            #expect(!bench.output.contains(line) && bench.errors.contains(line), "bench: '\(line)' belongs on standard error")
        }
        let convergence = try CLI.run(["convergence", "--json", folder.appendingPathComponent("c.json").path])
        #expect(convergence.status == 0, "\(convergence.errors)")
        #expect(convergence.output.contains("rk4Classic") && convergence.output.contains("estimated"), "\(convergence.output)")
        #expect(!convergence.output.contains("wrote ") && convergence.errors.contains("wrote "), "\(convergence.errors)")
    }

    /// 40 images `side × side` and labels `n % 10` as IDX files in `folder`.
    private func idxFiles(side: Int, in folder: URL) throws -> String {
        func header(_ magic: UInt32, _ dimensions: [Int]) -> [UInt8] {
            ([magic] + dimensions.map(UInt32.init)).flatMap { value in (0..<4).reversed().map { UInt8((value >> (8 * $0)) & 0xFF) } }
        }
        let count = 40
        let images = folder.appendingPathComponent("images-idx3"), labels = folder.appendingPathComponent("labels-idx1")
        try Data(header(0x0803, [count, side, side]) + (0..<count * side * side).map { UInt8($0 % 251) }).write(to: images)
        try Data(header(0x0801, [count]) + (0..<count).map { UInt8($0 % 10) }).write(to: labels)
        return "idx:\(images.path),\(labels.path)"
    }

    @Test("A usage error found by a subcommand's run() prints that subcommand's usage, not the root's")
    func usageOfTheSubcommand() throws {
        let folder = CLI.temporaryFolder()
        defer { remove(folder) }
        let run = folder.appendingPathComponent("run")
        let first = try CLI.run(["train"] + tiny + ["--output", run.path])
        #expect(first.status == 0, "\(first.errors)")
        // train: --resume with another setting, refused once the configuration is resolved.
        let resumed = try CLI.run(["train"] + tiny + ["--lr-max", "0.05", "--output", run.path, "--resume"])
        #expect(resumed.status == 64 && resumed.errors.contains("records another configuration"), "\(resumed.errors)")
        #expect(resumed.errors.contains("Usage: mlresnet train ") && resumed.errors.contains("See 'mlresnet train --help'")
                && !resumed.errors.contains("<subcommand>"), "\(resumed.errors)")
        // analyze: images of another shape than the archive's networks take, found once the data are loaded.
        let data = try idxFiles(side: 4, in: folder)
        let analyze = try CLI.run(["analyze", run.appendingPathComponent("levels.h5").path, "--dataset", data,
                                   "--lesion-seeds", "0", "--threads", "1"])
        #expect(analyze.status == 64 && analyze.errors.contains("[8, 8, 1]") && analyze.errors.contains("[4, 4, 1]"),
                "\(analyze.errors)")
        #expect(analyze.errors.contains("Usage: mlresnet analyze ") && analyze.errors.contains("See 'mlresnet analyze --help'")
                && !analyze.errors.contains("<subcommand>"), "\(analyze.errors)")
        // A usage error found while parsing keeps ArgumentParser's own message (the same form).
        let parsing = try CLI.run(["compare", "--integrator", "rk5"])
        #expect(parsing.status == 64 && parsing.errors.contains("Usage: mlresnet compare ")
                && parsing.errors.contains("See 'mlresnet compare --help'"), "\(parsing.errors)")
    }

    @Test("Writing into a folder that does not exist names the folder")
    func missingFolders() throws {
        let folder = CLI.temporaryFolder()
        defer { remove(folder) }
        let missing = folder.appendingPathComponent("missing")
        for (option, file) in [("--json", "out.json"), ("--csv", "rows.csv")] {
            let target = missing.appendingPathComponent(file).path
            let arguments = option == "--csv"
                ? ["analyze", "nowhere.h5", "--csv", target]
                : ["convergence", "--json", target]
            let result = try CLI.run(arguments)
            #expect(result.status == 64 && result.errors.contains(missing.path) && result.errors.contains("does not exist"),
                    "\(option): \(result.errors)")
            #expect(!result.errors.contains("errno"), "\(option): \(result.errors)")
        }
        // --output under a symbolic link to a missing folder: named, not a Cocoa error dump.
        let link = folder.appendingPathComponent("link")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: missing.path)
        let dangling = try CLI.run(["train"] + tiny + ["--output", link.appendingPathComponent("run").path])
        #expect(dangling.status == 64 && dangling.errors.contains(link.path) && dangling.errors.contains(missing.path)
                && dangling.errors.contains("does not exist") && !dangling.errors.contains("NSCocoaErrorDomain"),
                "\(dangling.errors)")
        #expect(dangling.errors.contains("Usage: mlresnet train "), "\(dangling.errors)")
        // train --output in a missing parent makes the folders (as `mkdir -p`) and runs.
        let nested = missing.appendingPathComponent("a/b/run")
        let train = try CLI.run(["train"] + tiny + ["--output", nested.path])
        #expect(train.status == 0 && FileManager.default.fileExists(atPath: nested.appendingPathComponent("levels.h5").path),
                "\(train.errors)")
        // --csv - is refused (it wrote a file named "-" into the working folder).
        let dash = try CLI.run(["analyze", "nowhere.h5", "--csv", "-"], in: folder)
        #expect(dash.status == 64 && dash.errors.contains("--csv -"), "\(dash.errors)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("-").path))
        // A folder that cannot be created (/proc refuses new entries, even to root): named with the
        // ancestor and the reason, not a Foundation error dump.
        let impossible = "/proc/mlresnet-\(getpid())/run"
        let refused = try CLI.run(["train"] + tiny + ["--output", impossible])
        #expect(refused.status != 0 && refused.errors.contains(impossible) && refused.errors.contains("cannot create")
                && refused.errors.contains("in /proc") && !refused.errors.contains("NSCocoaErrorDomain"), "\(refused.errors)")
    }
}
