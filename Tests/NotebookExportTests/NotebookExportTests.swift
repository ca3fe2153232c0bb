import Analysis
import Archiving
import Datasets
import Foundation
import Integrators
import Testing
import Training

/// The notebooks of `notebooks-export/` executed end to end on a tiny run, as CI does: a sweep of
/// two integrators × two seeds on 64 digits (one stage, N = 1 → 2, two epochs), `analysis.json` of
/// its first multi-level archive, then `notebooks-export/export` (nbclient + nbconvert; fails if
/// any cell fails).
@Suite("Notebook export", .serialized)
struct NotebookExportTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let exportScript = repositoryRoot.appendingPathComponent("notebooks-export/export")

    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("notebooks-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// A tiny sweep written the way `mlresnet compare --integrators forwardEuler,heun --seeds 2` writes it.
    static func tinySweep(in folder: URL) throws -> ComparisonSummary {
        let all = try Dataset.digits(in: repositoryRoot)
        let data = try TrainingData(training: all.subset(indices: Array(0..<64)), test: all.subset(indices: Array(64..<96)))
        let sweep = try ComparisonSweep(integrators: [.forwardEuler, .heun], seeds: [1, 2], stepCounts: [1, 2],
                                        equalEvaluations: false)
        func compare(_ member: ComparisonSweep.Member, _ memberFolder: URL) throws -> ComparisonReport {
            let configuration = ComparisonConfiguration(
                stageChannels: [4], stepCounts: member.stepCounts, epochs: 2, integrators: [.method(member.integrator)],
                finalTime: sweep.finalTime, training: TrainingConfiguration(batchSize: 32, evaluationBatchSize: 32,
                                                                            seed: member.seed),
                networkSeed: member.seed)
            var report = try ComparisonRunner(plan: ComparisonPlan(configuration: configuration)).run(
                data: data, outputFolder: memberFolder,
                archiveMetadata: ArchiveMetadata(dataset: "digits (64 training images)", seed: member.seed))
            report.threads = 1
            try report.write(to: memberFolder.appendingPathComponent("results.json"))
            return report
        }
        // Each member and the sweep carry status.json, as the command line writes them.
        let command = ["mlresnet", "compare", "--integrators", "forwardEuler,heun", "--seeds", "2"]
        let summary = try RunStatus.track(in: folder, commandLine: command, resumeCommand: nil) {
            try sweep.run(in: folder) { member, memberFolder in
                try RunStatus.track(in: memberFolder, commandLine: command, resumeCommand: nil) {
                    try compare(member, memberFolder)
                }
            }
        }
        // As `mlresnet analyze forwardEuler-seed1/multilevel.h5 forwardEuler-seed2/multilevel.h5 --json` writes it.
        let analyzer = try NetworkAnalyzer(test: try #require(data.test), statistics: data.statistics, batchSize: 16,
                                           lesionSeeds: [1, 2], lesionK: 1)
        let reports = try [1, 2].map { seed in
            let path = folder.appendingPathComponent("forwardEuler-seed\(seed)/multilevel.h5").path
            return (archive: path, report: try analyzer.analyze(try LevelArchive.read(from: path)))
        }
        try AtomicFileWriter.writeJSON(try AnalysisCollection(reports), to: folder.appendingPathComponent("analysis.json").path)
        return summary
    }

    /// Runs the export script; returns its exit status and standard error.
    static func export(_ arguments: [String]) throws -> (status: Int32, errors: String) {
        let process = Process()
        process.executableURL = exportScript
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let bytes = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: bytes, as: UTF8.self))
    }

    @Test("Every notebook executes on a tiny sweep and exports HTML and Markdown with PNG figures")
    func exportsTinyRun() throws {
        let run = try Self.temporaryFolder()
        let output = try Self.temporaryFolder()
        defer {
            try? FileManager.default.removeItem(at: run)
            try? FileManager.default.removeItem(at: output)
        }
        let summary = try Self.tinySweep(in: run)
        #expect(summary.groups.map(\.integrator) == ["forwardEuler", "heun"])
        #expect(summary.groups.allSatisfy { $0.seeds == [1, 2] })
        // Heun evaluates F twice per step: twice forward Euler's count at the same N.
        let euler = try #require(summary.groups[0].rows.first { $0.kind == .multilevel })
        let heun = try #require(summary.groups[1].rows.first { $0.kind == .multilevel })
        #expect(heun.trainingFunctionEvaluationsPerImage == 2 * (euler.trainingFunctionEvaluationsPerImage ?? 0))

        // A member folder left by an earlier sweep into the same folder is not in summary.json: ignored.
        let stale = run.appendingPathComponent("heun-seed9")
        try FileManager.default.createDirectory(at: stale, withIntermediateDirectories: true)
        try Data("{}".utf8).write(to: stale.appendingPathComponent("results.json"))

        let (status, errors) = try Self.export([run.path, "--output", output.path])
        #expect(status == 0, "export failed: \(errors)")
        // Figures each notebook draws on a sweep with two levels.
        for (name, figures) in [("compare", 3), ("levels", 2), ("analysis", 3)] {
            let html = try String(contentsOf: output.appendingPathComponent("\(name).html"), encoding: .utf8)
            let markdown = try String(contentsOf: output.appendingPathComponent("\(name).md"), encoding: .utf8)
            #expect(html.contains("data:image/png;base64"), "\(name).html has no embedded figure")
            #expect(!html.contains("Traceback"), "\(name).html shows a traceback")
            let pngs = try FileManager.default.contentsOfDirectory(atPath: output.appendingPathComponent("\(name)_files").path)
                .filter { $0.hasSuffix(".png") }
            #expect(pngs.count == figures, "\(name): \(pngs.count) PNG figures, expected \(figures)")
            for png in pngs {
                #expect(markdown.contains("\(name)_files/\(png)"), "\(name).md does not link \(png)")
                let bytes = try Data(contentsOf: output.appendingPathComponent("\(name)_files/\(png)"))
                #expect(bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]), "\(png) is not a PNG")
            }
        }
        let analysis = try String(contentsOf: output.appendingPathComponent("analysis.md"), encoding: .utf8)
        #expect(analysis.contains("2 archives analyzed") && analysis.contains("random-k lesion %"))
        let compare = try String(contentsOf: output.appendingPathComponent("compare.md"), encoding: .utf8)
        #expect(compare.contains("forwardEuler-seed1") && compare.contains("heun-seed2"))
        #expect(!compare.contains("heun-seed9"))

        // An analysis.json older than the archives (the run redone in the folder) is not used: without
        // a binary to redo it the export stops naming it.
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 0)],
                                              ofItemAtPath: run.appendingPathComponent("analysis.json").path)
        let staleAnalysis = try Self.export([run.path, "--output", output.path, "--notebooks", "analysis",
                                     "--mlresnet", "/nonexistent/mlresnet"])
        #expect(staleAnalysis.status == 2 && staleAnalysis.errors.contains("analysis.json is stale"), "got \(staleAnalysis.status): \(staleAnalysis.errors)")

        // A NaN poked into an archive with its dataset crc32 fixed up (root manifest left wrong,
        // mtime restored, analysis.json current) is refused before any cell runs; so is a dataset
        // whose bytes no longer match its crc32.
        try FileManager.default.setAttributes([.modificationDate: Date()],
                                              ofItemAtPath: run.appendingPathComponent("analysis.json").path)
        let archive = run.appendingPathComponent("forwardEuler-seed1/multilevel.h5").path
        let dataset = "levels/0/stages/0/conv1.weight"
        for (fixCRC, expected) in [(true, "holds 1 non-finite value"), (false, "checksum mismatch")] {
            let modified = try FileManager.default.attributesOfItem(atPath: archive)[.modificationDate] as? Date
            try Self.python("""
                import h5py, numpy, zlib, sys
                with h5py.File(sys.argv[1], "r+") as f:
                    d = f[sys.argv[2]]; v = d[()]
                    if sys.argv[3] == "1": v.flat[0] = numpy.nan
                    else: v.flat[1] += 1
                    d[...] = v
                    if sys.argv[3] == "1": d.attrs["crc32"] = numpy.int64(zlib.crc32(v.tobytes()))
                """, [archive, dataset, fixCRC ? "1" : "0"])
            try FileManager.default.setAttributes([.modificationDate: try #require(modified)], ofItemAtPath: archive)
            for notebooks in ["levels", "levels,analysis"] {
                let poked = try Self.export([run.path, "--output", output.path, "--notebooks", notebooks])
                #expect(poked.status == 2 && poked.errors.contains("multilevel.h5: /\(dataset)")
                        && poked.errors.contains(expected) && !poked.errors.contains("Traceback"),
                        "\(notebooks): got \(poked.status): \(poked.errors)")
            }
        }
    }

    /// Runs a Python snippet with the interpreter the export script uses; throws on a non-zero exit.
    static func python(_ source: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", source] + arguments
        try process.run()
        process.waitUntilExit()
        struct PythonFailed: Error { let status: Int32 }
        guard process.terminationStatus == 0 else { throw PythonFailed(status: process.terminationStatus) }
    }

    @Test("A comparison folder or sweep member whose status.json is not complete is refused with status 2 naming it")
    func incompleteRunFolders() throws {
        let run = try Self.temporaryFolder()
        let sweep = try Self.temporaryFolder()
        let output = try Self.temporaryFolder()
        defer {
            for folder in [run, sweep, output] { try? FileManager.default.removeItem(at: folder) }
        }
        // A finished comparison (results.json, logs, archives) whose folder was then reused by a run
        // that was interrupted: the old results.json sits beside the new run's partial files.
        let all = try Dataset.digits(in: Self.repositoryRoot)
        let data = try TrainingData(training: all.subset(indices: Array(0..<64)), test: all.subset(indices: Array(64..<96)))
        let member = sweep.appendingPathComponent("forwardEuler-seed1")
        try FileManager.default.createDirectory(at: member, withIntermediateDirectories: true)
        for folder in [run, member] {
            let configuration = ComparisonConfiguration(stageChannels: [4], stepCounts: [1, 2], epochs: 2,
                                                        training: TrainingConfiguration(batchSize: 32, seed: 1))
            let report = try ComparisonRunner(plan: ComparisonPlan(configuration: configuration)).run(
                data: data, outputFolder: folder, archiveMetadata: ArchiveMetadata(dataset: "digits[0..<64]", seed: 1))
            try report.write(to: folder.appendingPathComponent("results.json"))
        }
        func status(_ state: String, in folder: URL) throws {
            let json = #"{"state": "\#(state)", "commandLine": ["mlresnet", "compare"], "startedAt": "2026-12-01T00:00:00Z", "#
                + #""resumeCommand": "mlresnet compare --output x --resume"}"#
            try Data(json.utf8).write(to: folder.appendingPathComponent("status.json"))
        }
        for state in ["interrupted", "running", "failed"] {
            try status(state, in: run)
            let (code, errors) = try Self.export([run.path, "--output", output.path, "--notebooks", "compare,levels"])
            #expect(code == 2 && errors.contains(run.appendingPathComponent("status.json").path)
                    && errors.contains("state \(state)") && errors.contains("--resume"), "\(state): \(code): \(errors)")
        }
        // A sweep that says complete with a member that does not.
        try status("complete", in: sweep)
        try status("interrupted", in: member)
        let (code, errors) = try Self.export([sweep.path, "--output", output.path, "--notebooks", "compare"])
        #expect(code == 2 && errors.contains("forwardEuler-seed1/status.json"), "\(code): \(errors)")
    }

    @Test("The committed notebooks carry no outputs and no execution counts")
    func committedNotebooksAreCleared() throws {
        for name in ["compare", "levels", "analysis"] {
            let url = Self.repositoryRoot.appendingPathComponent("notebooks-export/\(name).ipynb")
            let notebook = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
            let cells = try #require(notebook["cells"] as? [[String: Any]])
            let code = cells.filter { $0["cell_type"] as? String == "code" }
            #expect(!code.isEmpty, "\(name).ipynb has no code cell")
            for cell in code {
                #expect((cell["outputs"] as? [Any])?.isEmpty == true, "\(name).ipynb has a cell with outputs")
                #expect(cell["execution_count"] is NSNull, "\(name).ipynb has an execution count")
            }
        }
    }

    @Test("A cell that raises stops the export with status 1, naming the notebook and the error; nothing is written")
    func failingCell() throws {
        let run = try Self.temporaryFolder()
        let source = try Self.temporaryFolder()
        let output = try Self.temporaryFolder()
        defer {
            for folder in [run, source, output] { try? FileManager.default.removeItem(at: folder) }
        }
        try Data("{}".utf8).write(to: run.appendingPathComponent("results.json"))
        let notebook = """
            {"cells": [{"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [],
                        "source": ["import runfolder\\n", "raise RuntimeError('boom in a cell')"]}],
             "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
             "nbformat": 4, "nbformat_minor": 5}
            """
        try Data(notebook.utf8).write(to: source.appendingPathComponent("boom.ipynb"))
        let (status, errors) = try Self.export([run.path, "--output", output.path, "--source", source.path,
                                                "--notebooks", "boom"])
        #expect(status == 1, "got \(status): \(errors)")
        #expect(errors.contains("boom.ipynb") && errors.contains("boom in a cell"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: output.path).isEmpty)
        // A name that is a path is refused even with --source.
        let path = try Self.export([run.path, "--output", output.path, "--source", source.path, "--notebooks", "../boom"])
        #expect(path.status == 2)
    }

    @Test("A folder that is not a run, or a malformed file in it, is refused with status 2 naming the file before any cell runs")
    func badRunFolders() throws {
        let empty = try Self.temporaryFolder()
        let output = try Self.temporaryFolder()
        defer {
            try? FileManager.default.removeItem(at: empty)
            try? FileManager.default.removeItem(at: output)
        }
        let (status, errors) = try Self.export([empty.path, "--output", output.path, "--notebooks", "compare"])
        #expect(status == 2 && errors.contains("results.json"), "got \(status): \(errors)")
        let missing = try Self.export([empty.appendingPathComponent("nowhere").path, "--output", output.path])
        #expect(missing.status == 2 && missing.errors.contains("not a folder"))

        // A results.json whose run names a log that does not exist.
        let results = empty.appendingPathComponent("results.json")
        let broken = """
            {"runs": [{"kind": "full", "levels": [{"stepCount": 2, "stepSize": 1, "finalTime": 2, "epochs": 1}],
              "testAccuracy": 0.5, "trainSeconds": 1, "logFile": "full.jsonl", "archiveFile": "full.h5"}],
             "theory": {"plannedSplit": 0, "plannedSplitMultiplyAccumulates": 0}, "integrator": "forwardEuler",
             "stepCounts": [2]}
            """
        try Data(broken.utf8).write(to: results)
        let failed = try Self.export([empty.path, "--output", output.path, "--notebooks", "compare"])
        #expect(failed.status == 2 && failed.errors.contains("full.jsonl: missing"), "got \(failed.status): \(failed.errors)")
        #expect(!failed.errors.contains("Traceback"), "\(failed.errors)")

        // A log line that is JSON but not an epoch record, a level archive that is not HDF5.
        try Data("[1, 2]\n".utf8).write(to: empty.appendingPathComponent("full.jsonl"))
        try Data("not HDF5".utf8).write(to: empty.appendingPathComponent("full.h5"))
        let badLine = try Self.export([empty.path, "--output", output.path, "--notebooks", "compare"])
        #expect(badLine.status == 2 && badLine.errors.contains("full.jsonl:1"), "got \(badLine.status): \(badLine.errors)")
        // The levels notebook reads the multilevel archive: a run folder without one is named.
        let noArchive = try Self.export([empty.path, "--output", output.path, "--notebooks", "levels"])
        #expect(noArchive.status == 2 && noArchive.errors.contains("run multilevel has no level archive"),
                "got \(noArchive.status): \(noArchive.errors)")
        // …and one whose archive is not HDF5 (e.g. truncated) is named before h5py fails in a cell.
        try Data(broken.replacingOccurrences(of: #""kind": "full""#, with: #""kind": "multilevel""#).utf8).write(to: results)
        let notHDF5 = try Self.export([empty.path, "--output", output.path, "--notebooks", "levels"])
        #expect(notHDF5.status == 2 && notHDF5.errors.contains("full.h5: not a readable HDF5 file"),
                "got \(notHDF5.status): \(notHDF5.errors)")

        // Bytes that are not UTF-8, and JSON of the wrong shape, name results.json.
        for bytes in [Data([0x7B, 0xFF, 0xFE, 0x00]), Data("[]".utf8), Data(#"{"runs": 3}"#.utf8)] {
            try bytes.write(to: results)
            let bad = try Self.export([empty.path, "--output", output.path, "--notebooks", "compare"])
            #expect(bad.status == 2 && bad.errors.contains("results.json") && !bad.errors.contains("Traceback"),
                    "got \(bad.status): \(bad.errors)")
        }

        // A single comparison and a sweep written into one folder cannot be told apart.
        try Data(#"{"groups": []}"#.utf8).write(to: empty.appendingPathComponent("summary.json"))
        let both = try Self.export([empty.path, "--output", output.path, "--notebooks", "compare"])
        #expect(both.status == 2 && both.errors.contains("holds both results.json"), "got \(both.status): \(both.errors)")

        // Options: names outside the three notebooks (paths included), empty, repeated; an output that is a file.
        for notebooks in ["../notebooks-export/compare", ",", "compare,compare", "nope"] {
            let refused = try Self.export([empty.path, "--output", output.path, "--notebooks", notebooks])
            #expect(refused.status == 2 && refused.errors.contains("--notebooks"), "\(notebooks): \(refused.errors)")
        }
        let file = output.appendingPathComponent("a-file")
        try Data().write(to: file)
        let notFolder = try Self.export([empty.path, "--output", file.path, "--notebooks", "compare"])
        #expect(notFolder.status == 2 && notFolder.errors.contains("not a folder"), "got \(notFolder.errors)")
    }
}
