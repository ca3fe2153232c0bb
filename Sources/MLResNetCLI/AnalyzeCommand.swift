import ArgumentParser
import Foundation
import MultilevelResNet

/// `mlresnet analyze ARCHIVE`: per-step norms, the power law of ‖G‖ across levels, the lesion study
/// and continuous-depth accuracy of every level of a level archive, on the run's test split.
struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Per-step ‖Y_n‖, ‖G(Y_n)‖, lesions and N/2, 2N accuracy of every level of a level archive.",
        discussion: """
            Lesion: deleting step n keeps h (Y_{n+1} = Y_n; the stage's T shrinks by h), as in the paper. \
            Resampling to N/2 and 2N uses the halve rule (T kept). The test split is the run's, rebuilt from the \
            configuration the archive records (any dataset; --dataset, --test-fraction and --seed override it). \
            An archive whose run folder has a status.json that is not complete (a run still going, \
            killed, interrupted or failed) is refused; one without status.json is analyzed with a warning. \
            With several archives (repeats of one run with other seeds), each is analyzed on its own split \
            and the levels are summarized over the archives (mean, sd, 95 % interval); --json then writes \
            {archives, reports, summary} (--seed only with one archive). An archive with a dataset holding \
            NaN or ±∞ is refused (exit status 1), naming every such dataset and its count.
            """)

    @Argument(help: "Level archives (e.g. multilevel.h5 of a compare run); several (one per seed) are also summarized over seeds.")
    var archives: [String]

    @Option(name: .long, help: ArgumentHelp(
        "The images: \(DatasetSource.argumentForms) (default: the run's, from the archive's /run configuration).",
        valueName: "source"),
            transform: { text in try parsed { try DatasetSource(argument: text) } })
    var dataset: DatasetSource?

    @Option(name: .long, help: "Share held out for testing, for sets without a test split (digits, idx:) (default: the run's, else 0.2).")
    var testFraction: Double?

    @OptionGroup var compute: ComputeOptions

    @Option(name: .long, help: "Seed of the data split (default: the archive's seed).")
    var seed: UInt64?

    @Option(name: .long, help: "Seeds of the random lesions: 1…K.")
    var lesionSeeds = 3

    @Option(name: .long, help: "Steps deleted per stage in a random lesion.")
    var lesionK = 2

    @Option(name: .long, help: "Images per forward pass.")
    var batchSize = 256

    @OptionGroup var output: JSONOutputOptions

    @Option(name: .long, help: "Write the per-step rows as CSV to FILE.")
    var csv: String?

    func validate() throws {
        guard lesionSeeds >= 0 else { throw ValidationError("--lesion-seeds must be ≥ 0, got \(lesionSeeds)") }
        guard lesionK >= 1 else { throw ValidationError("--lesion-k must be ≥ 1, got \(lesionK)") }
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be ≥ 1, got \(batchSize)") }
        do {
            _ = try NetworkAnalyzer.lesionSeeds(count: lesionSeeds)
        } catch let AnalysisError.invalidArgument(message) {
            throw ValidationError("--lesion-seeds: \(message)")
        }
        if let testFraction, !(testFraction > 0 && testFraction < 1) {
            throw ValidationError("--test-fraction must be in (0, 1)")
        }
        guard !archives.isEmpty else { throw ValidationError("name at least one level archive") }
        if archives.count > 1, let seed {
            // Each repeat trained on its own seed's split; one --seed would test most of them on
            // images they trained on.
            throw ValidationError("--seed \(seed) applies to one archive; with several, each is analyzed on the split "
                                  + "of its own seed (from its metadata)")
        }
        // One file named twice (or through a link) would pass for two seeds with sd 0.
        var seen: [String: String] = [:]
        for archive in archives {
            let key = URL(fileURLWithPath: archive).resolvingSymlinksInPath().standardizedFileURL.path
            if let earlier = seen[key] {
                throw ValidationError("\(archive) and \(earlier) are the same archive: name each repeat once")
            }
            seen[key] = archive
        }
        // Only archives of complete runs: a running, killed, interrupted or failed run's archive holds
        // the levels trained so far, not the run's result.
        for archive in archives {
            let folder = URL(fileURLWithPath: archive).deletingLastPathComponent()
            do {
                _ = try RunStatus.requireComplete(in: folder, missingIsAnError: false)
            } catch let error as RunFolderError {
                throw ValidationError("\(archive): \(error)")
            }
        }
        // Outputs checked before minutes of analysis: an existing folder, and not a folder themselves.
        if csv == "-" {
            // Standard output carries the table (and `--json -` the JSON): a file named "-" was written before.
            throw ValidationError("--csv -: name a file; standard output holds the results table (--json - prints the JSON there)")
        }
        if let csv { try JSONOutputOptions.validateOutputPath(csv, option: "--csv") }
        // The outputs must not replace an archive analyzed here.
        for (option, path) in [("--json", output.json), ("--csv", csv)] {
            guard let path, path != "-" else { continue }
            let target = URL(fileURLWithPath: path).standardizedFileURL.path
            if archives.contains(where: { URL(fileURLWithPath: $0).standardizedFileURL.path == target }) {
                throw ValidationError("\(option) \(path): is one of the archives analyzed; name another file")
            }
        }
    }

    func run() throws {
        // A dataset holding NaN or ±∞ is a broken archive: name every such dataset with its count
        // (the reader below would name only the first).
        for archive in archives {
            let nonFinite = try FileInspection.nonFiniteDatasets(in: archive)
            guard nonFinite.isEmpty else {
                FileHandle.standardError.write(Data((
                    "error: \(archive): \(nonFinite.count) dataset\(nonFinite.count == 1 ? "" : "s") with non-finite "
                        + "values (NaN or ±∞): " + nonFinite.map(\.description).joined(separator: ", ") + "\n").utf8))
                throw ExitCode(1)
            }
        }
        // Every archive is read (and the levels of repeats compared) before any is analyzed, so a
        // bad last file fails at once instead of after the others' analyses.
        for archive in archives {
            let folder = URL(fileURLWithPath: archive).deletingLastPathComponent()
            if (try? RunStatus.read(in: folder)) == .some(nil) {
                printLog("warning: \(RunStatus.url(in: folder).path) is missing: whether the run that wrote \(archive) "
                      + "finished is unknown (written by an older mlresnet, or copied out of its run folder?)")
            }
        }
        let levelArchives = try archives.map { try LevelArchive.read(from: $0) }
        try AnalysisSeedSummary.requireMatchingLevels(zip(archives, levelArchives).map { path, archive in
            (path, archive.levels.map { (level: $0.index, stepCount: $0.network.spec.stepCount) })
        })
        var reports: [(archive: String, report: AnalysisReport)] = []
        for (archive, levelArchive) in zip(archives, levelArchives) {
            if archives.count > 1 { print("== \(archive)") }  // the title of its table below
            reports.append((archive, try analyze(levelArchive)))
        }
        let collection = archives.count > 1 ? try AnalysisCollection(reports) : nil
        if let collection {
            print("")
            print(collection.summary.table)
        }
        if let collection {
            try output.write(collection)
        } else {
            try output.write(reports[0].report)
        }
        if let csv {
            // Per-step rows of every archive; with several, the archive is the first column.
            let lines = if let collection {
                [AnalysisCollection.csvHeader] + collection.csvLines
            } else {
                [StepNormRow.csvHeader] + reports[0].report.stepRows.map(\.csvLine)
            }
            try AtomicFileWriter.writeLines(lines, to: csv)
            printLog("wrote \(csv)")
        }
    }

    /// Analyzes one archive on the test split of its run, and prints its table.
    private func analyze(_ levelArchive: LevelArchive) throws -> AnalysisReport {
        // The run's own data: its recorded configuration (any source), else (archives written before
        // configurations were recorded) the dataset named in the metadata.
        var configuration = DataConfiguration()
        if let recorded = try RunConfiguration(archiveMetadata: levelArchive.metadata) {
            configuration = recorded.data
        } else if levelArchive.metadata.dataset.lowercased().starts(with: "fashion") {
            configuration.source = .fashionMNIST
        }
        configuration.seed = levelArchive.metadata.seed
        if let dataset {
            configuration.source = dataset.withAbsolutePaths
            if case .idx = dataset {} else { configuration.classes = nil }
        }
        if let testFraction { configuration.testFraction = testFraction }
        if let seed { configuration.seed = seed }
        // The test split of compare/train: the validation part comes out of the training part only.
        configuration.validationFraction = 0
        let name = configuration.source.description
        let context = try ComputeContext(threadCount: compute.threads ?? configuration.source.defaultThreadCount)
        if let seed, seed != levelArchive.metadata.seed {
            printLog("warning: --seed \(seed) differs from the archive's seed \(levelArchive.metadata.seed): the test split "
                  + "is not the run's, so it may hold images the network trained on")
        }
        let (data, description) = try configuration.load()  // digits: the library's bundled copy
        guard let test = data.test else { throw ValidationError("the dataset \(name) has no test part") }
        let imageShape = [test.height, test.width, test.channels]
        if let spec = levelArchive.levels.first?.network.spec,
           case let trained = [spec.inputHeight, spec.inputWidth, spec.inputChannels], trained != imageShape {
            throw ValidationError("the archive's networks take images \(trained) (trained on '\(levelArchive.metadata.dataset)'), "
                                  + "but --dataset \(name) has \(imageShape)")
        }
        printLog("dataset: \(description); \(test.count) test images")
        let analyzer = try NetworkAnalyzer(test: test, statistics: data.statistics, batchSize: batchSize,
                                           lesionSeeds: NetworkAnalyzer.lesionSeeds(count: lesionSeeds), lesionK: lesionK)
        let report = try context.run { try analyzer.analyze(levelArchive) }
        printTable(report)
        return report
    }

    private func percent(_ x: Double?) -> String {
        guard let x else { return "   –  " }
        return String(format: "%6.2f", 100 * x)
    }

    private func printTable(_ report: AnalysisReport) {
        print("level  N   acc %  mean‖G‖   worst 1-step lesion %  random k-lesion % (mean ± sd)   N/2 %   2N %")
        for level in report.levels {
            let worst = level.steps.min { $0.lesionAccuracy < $1.lesionAccuracy }
            let worstText = worst.map { "\(percent($0.lesionAccuracy)) (s\($0.stage) n\($0.step))" } ?? "–"
            var randomText = "–"
            if let r = level.randomLesion {
                randomText = "k=\(r.k): \(percent(r.accuracy.mean)) ± \(percent(r.accuracy.standardDeviation))"
            }
            let half = level.resampled.first { $0.stepCount * 2 == level.stepCount }?.accuracy
            let double = level.resampled.first { $0.stepCount == 2 * level.stepCount }?.accuracy
            print(String(format: "%5d %3d  ", level.level, level.stepCount) + percent(level.accuracy)
                  + String(format: "  %8.4f  ", level.meanResidualNorm)
                  + worstText.padding(toLength: 22, withPad: " ", startingAt: 0) + " "
                  + randomText.padding(toLength: 30, withPad: " ", startingAt: 0) + " "
                  + percent(half) + " " + percent(double))
        }
        if let fit = report.powerLaw {
            let se = fit.exponentStandardError.map { String(format: " ± %.3f", $0) } ?? " (2 levels: no standard error)"
            print(String(format: "power law: mean‖G‖ ≈ %.4g · N^%.3f", fit.prefactor, fit.exponent) + se
                  + " (paper: exponent ≈ −1)")
        } else {
            print("power law: unavailable (\(report.powerLawUnavailableReason ?? "unknown"))")
        }
    }
}
