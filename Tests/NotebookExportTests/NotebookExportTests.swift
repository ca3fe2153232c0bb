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

    /// Every file under `notebooks-export/` (tracked, ignored or new) with its size and modification
    /// time: an export must leave this unchanged.
    static func exportFolderSnapshot() throws -> [String: String] {
        let folder = repositoryRoot.appendingPathComponent("notebooks-export")
        var files: [String: String] = [:]
        let enumerator = try #require(FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil))
        for case let url as URL in enumerator {
            let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
            let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            files[url.path] = "\(attributes[.size] ?? 0) \(modified)"
        }
        return files
    }

    /// The figure files of `<name>_files/` in `folder` with the extension `format`.
    static func figures(_ name: String, _ format: String, in folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("\(name)_files").path)
            .filter { $0.hasSuffix(".\(format)") }.sorted()
    }

    @Test("Every notebook executes on a tiny sweep into RUN/report, with SVG and PNG figures; nothing in the repository is written")
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

        // Without --output the export goes to RUN/report; the repository's notebooks-export/ (the
        // committed reference exports, the notebooks, runfolder.py) is left exactly as it was.
        let before = try Self.exportFolderSnapshot()
        let (status, errors) = try Self.export([run.path, "--format", "svg,png"])
        #expect(status == 0, "export failed: \(errors)")
        let after = try Self.exportFolderSnapshot()
        let changed = Set(after.filter { before[$0.key] != $0.value }.keys).union(Set(before.keys).subtracting(after.keys))
        #expect(after == before, "the export changed notebooks-export/: \(changed.sorted())")
        let report = run.appendingPathComponent("report")
        // Figures each notebook draws on a sweep with two levels, in both formats; SVG (listed first)
        // is the one the HTML embeds and the Markdown links.
        for (name, figures) in [("compare", 3), ("levels", 2), ("analysis", 3)] {
            let html = try String(contentsOf: report.appendingPathComponent("\(name).html"), encoding: .utf8)
            let markdown = try String(contentsOf: report.appendingPathComponent("\(name).md"), encoding: .utf8)
            #expect(html.contains("<svg"), "\(name).html has no embedded SVG figure")
            #expect(!html.contains("Traceback"), "\(name).html shows a traceback")
            let svgs = try Self.figures(name, "svg", in: report), pngs = try Self.figures(name, "png", in: report)
            #expect(svgs.count == figures, "\(name): \(svgs.count) SVG figures, expected \(figures)")
            #expect(pngs.count == figures, "\(name): \(pngs.count) PNG figures, expected \(figures)")
            for svg in svgs {
                #expect(markdown.contains("\(name)_files/\(svg)"), "\(name).md does not link \(svg)")
                let text = try String(contentsOf: report.appendingPathComponent("\(name)_files/\(svg)"), encoding: .utf8)
                #expect(text.contains("<svg") && text.contains("</svg>"), "\(svg) is not an SVG document")
            }
            for png in pngs {
                let bytes = try Data(contentsOf: report.appendingPathComponent("\(name)_files/\(png)"))
                #expect(bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]), "\(png) is not a PNG")
            }
        }
        let analysis = try String(contentsOf: report.appendingPathComponent("analysis.md"), encoding: .utf8)
        #expect(analysis.contains("2 archives analyzed") && analysis.contains("random-k lesion %"))
        // SVG keeps text as text: the lesion figure's legend says what its error bar is, and the
        // power law's axes carry plain numbers (the measured N = 1, 2), not powers of ten.
        let analysisSVG = try Self.figures("analysis", "svg", in: report).map {
            try String(contentsOf: report.appendingPathComponent("analysis_files/\($0)"), encoding: .utf8)
        }
        #expect(analysisSVG.contains { $0.contains("mean ± sd over 2 seeds") }, "no lesion legend with mean ± sd")
        let powerLaw = try #require(analysisSVG.first { $0.contains("steps per stage N") })
        #expect(!powerLaw.contains("10^") && !powerLaw.contains("mathdefault"), "power-law ticks as powers of ten")
        let compare = try String(contentsOf: report.appendingPathComponent("compare.md"), encoding: .utf8)
        #expect(compare.contains("forwardEuler-seed1") && compare.contains("heun-seed2"))
        #expect(!compare.contains("heun-seed9"))

        // The default format is PNG alone, embedded and linked; --output puts it elsewhere.
        let png = try Self.export([run.path, "--output", output.path, "--notebooks", "levels"])
        #expect(png.status == 0, "export failed: \(png.errors)")
        let levels = try String(contentsOf: output.appendingPathComponent("levels.html"), encoding: .utf8)
        #expect(levels.contains("data:image/png;base64") && !levels.contains("<svg"))
        #expect(try Self.figures("levels", "png", in: output).count == 2)
        #expect(try Self.figures("levels", "svg", in: output).isEmpty)

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

    @Test("runfolder.plus_minus gives the spread 3 significant digits and the value the same decimals")
    func plusMinusDigits() throws {
        try Self.python("""
            import sys; sys.path.insert(0, sys.argv[1]); sys.dont_write_bytecode = True
            import runfolder as rf
            cases = [((-1.17023, 0.0123456), "-1.1702 ± 0.0123"), ((-1.17023, 0.00612), "-1.17023 ± 0.00612"),
                     ((98.3, 1.234), "98.30 ± 1.23"), ((1234.5, 12.3), "1234.5 ± 12.3"), ((-1.17023, None), "-1.17")]
            for (value, spread), expected in cases:
                got = rf.plus_minus(value, spread)
                assert got == expected, f"plus_minus({value}, {spread}) = {got!r}, expected {expected!r}"
            """, [Self.repositoryRoot.appendingPathComponent("notebooks-export").path])
    }

    @Test("Every `jupyter <command>` the READMEs show has its Debian package in scripts/setup")
    func jupyterCommandsAreInstalled() throws {
        // The Debian package that provides each jupyter subcommand.
        let packages = ["notebook": "jupyter-notebook", "nbconvert": "jupyter-nbconvert", "lab": "jupyterlab",
                        "console": "jupyter-qtconsole"]
        let setup = try String(contentsOf: Self.repositoryRoot.appendingPathComponent("scripts/setup"), encoding: .utf8)
        let declared = try #require(setup.range(of: "packages=(")).upperBound
        let list = setup[declared...].prefix { $0 != ")" }.split(whereSeparator: \.isWhitespace).map(String.init)
        var shown = 0
        for readme in ["README.md", "notebooks-export/README.md"] {
            let text = try String(contentsOf: Self.repositoryRoot.appendingPathComponent(readme), encoding: .utf8)
            for line in text.split(separator: "\n") {
                guard let range = line.range(of: "jupyter ") else { continue }
                let command = String(line[range.upperBound...].prefix { !$0.isWhitespace && $0 != "`" })
                guard let package = packages[command] else { continue }
                shown += 1
                #expect(list.contains(package), "\(readme) shows `jupyter \(command)`; scripts/setup does not install \(package)")
            }
        }
        #expect(shown > 0, "no jupyter command found in the READMEs")
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
        // --format is a typed list of png, svg, pdf: anything else is refused with the valid values.
        for format in ["gif", "svg,svg", "png,", ""] {
            let refused = try Self.export([empty.path, "--output", output.path, "--notebooks", "compare", "--format", format])
            #expect(refused.status == 2 && refused.errors.contains("--format") && refused.errors.contains("png, svg, pdf"),
                    "\(format): \(refused.errors)")
        }
        let file = output.appendingPathComponent("a-file")
        try Data().write(to: file)
        let notFolder = try Self.export([empty.path, "--output", file.path, "--notebooks", "compare"])
        #expect(notFolder.status == 2 && notFolder.errors.contains("not a folder"), "got \(notFolder.errors)")
    }
}
