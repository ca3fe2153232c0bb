import ArgumentParser
import Foundation
import MultilevelResNet

/// `mlresnet train`: one run of a schedule (multi-level by default) with its level archive, a
/// checkpoint after every epoch, and `--resume` to continue a killed run exactly.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train one schedule, writing every level to HDF5 and a checkpoint per epoch; --resume continues.",
        discussion: """
            Trains the run named by --run (default multilevel: the cycles of --schedule, refined with \
            --prolongation and h halved) with the same options as `compare`. The output folder gets \
            levels.h5 (every level trained so far, rewritten atomically after each cycle), \
            checkpoint.h5 (rewritten atomically after every epoch), train.jsonl (one record per \
            epoch) and summary.json, and status.json (running, complete, failed or interrupted, with \
            the command line and times; `analyze` and notebooks-export/export use only complete runs). \
            A folder that already holds files is refused: give --resume to continue the run in it or \
            --overwrite to start over (the run's files there are removed first; other files are kept \
            and named). Ctrl-C (SIGINT) or SIGTERM finishes the current mini-batch, writes a checkpoint \
            with the position inside the epoch, marks the status interrupted and exits with status 130, \
            printing the command that resumes; a second signal stops at once. After an interruption, a \
            kill or a failure, the same command with --resume continues from the last checkpoint and \
            ends with the weights an uninterrupted run would have (bit for bit with the same \
            --threads). A checkpoint of another configuration is refused.
            """)

    @OptionGroup var options: RunOptions

    @Option(name: [.customLong("run")], help: "The run (default multilevel).")
    var runKind: ComparisonRunKind?

    @OptionGroup var folderOptions: OutputFolderOptions

    /// `--json FILE|-`: summary.json's content (one record per level).
    @OptionGroup var output: JSONOutputOptions

    /// The run trained: `--run`, else the one run of a `--config` file that lists one, else multi-level.
    func kind(_ configuration: RunConfiguration) throws -> ComparisonRunKind {
        if let runKind { return runKind }
        guard options.config != nil else { return .multilevel }
        let runs = configuration.comparison.runs
        guard runs.count == 1 else {
            throw ValidationError("the configuration lists the runs \(runs.map(\.rawValue).joined(separator: ",")); "
                                  + "train trains one: give --run")
        }
        return runs[0]
    }

    func validate() throws {
        let resolved: RunConfiguration
        do {
            resolved = try options.resolved()
        } catch let error as TrainingError {
            throw ValidationError("\(error)")
        }
        _ = try kind(resolved)
        try output.requireOutsideRunFiles(of: folderOptions.folder(prefix: "train"))
        if !options.printConfig { try folderOptions.requireUsableFolder() }
    }


    func run() throws {
        var resolved = try options.resolved()
        let kind = try kind(resolved)
        resolved.comparison.runs = [kind]
        if resolved.sweep != nil {
            // A sweep's configuration (compare --seeds/--integrators): train runs its base settings once.
            printLog("note: the configuration describes a sweep; train runs its base settings once (the sweep is not recorded)")
            resolved.sweep = nil
        }
        if options.printConfig {
            try options.printConfiguration(resolved)
            return
        }
        let (data, splitDescription, configuration) = try RunOptions.prepare(
            resolved, augmentationIsGiven: options.augmentationIsGiven)
        let comparison = try ComparisonPlan(configuration: configuration.comparison)
        let folder = folderOptions.folder(prefix: "train")
        let context = try ComputeContext(threadCount: configuration.threads)
        let environment = ComputeEnvironment.current(context: context)
        var metadata = try RunOptions.archiveMetadata(configuration, environment: environment,
                                                      dataDescription: splitDescription)
        metadata.stepRule = try comparison.schedule(for: kind).stepSizeRule
        let training = TrainingRun(plan: comparison, kind: kind, data: data, folder: folder, metadata: metadata,
                                   dataDescription: splitDescription)
        training.progress = options.progress
        let resume = folderOptions.resume
        // A run still writing the folder is named before anything else is checked or written.
        if resume, FileManager.default.fileExists(atPath: folder.path) { try RunLock.acquire(folder) }
        if resume, !training.hasCheckpoint {
            throw RunFolderError.nothingToResume(
                folder: folder.path,
                reason: "no checkpoint \(training.checkpointURL.lastPathComponent) nor \(training.previousCheckpointURL.lastPathComponent)")
        }
        if resume { try training.requireRegularFiles() }
        try RunLock.acquire(folder)
        if resume { try RunOptions.requireRecordedConfiguration(configuration, in: folder) }
        try folderOptions.prepare(folder)
        try AtomicFileWriter.write(configuration.fileData(environment: environment),
                                   to: folder.appendingPathComponent("config.json").path)
        training.interruption = OutputFolderOptions.interruptOnSignals()
        let resumeCommand = folderOptions.resumeCommand(folder: folder)
        printLog("dataset: \(splitDescription)")
        printLog(RunOptions.summary(configuration, data: data))
        printLog(resume ? "resuming from \(training.checkpointURL.path)" : "run \(kind.summary) → \(folder.path)")
        do {
            try RunStatus.track(in: folder, commandLine: CommandLine.arguments, resumeCommand: resumeCommand,
                                resumable: { training.hasCheckpoint }) {
                let result = try context.run { try training.run(resume: resume) }
                try AtomicFileWriter.writeJSON(result.levels, to: folder.appendingPathComponent("summary.json").path)
                try output.write(result.levels)
                // The result on standard output; everything above went to standard error.
                print("level  N   h        T      epochs  test acc  train s")
                for level in result.levels {
                    print(String(format: "%-6d %-3d %-8.4g %-6.4g %-7d %-9.4f %.1f", level.level, level.stepCount,
                                 level.stepSize, level.finalTime, level.epochs, level.testAccuracy ?? .nan,
                                 level.trainSeconds))
                }
            }
        } catch let stop as TrainingInterrupted {
            throw OutputFolderOptions.interrupted(stop, folder: folder, resumeCommand: resumeCommand)
        }
        printLog("wrote \(training.archiveURL.path), \(training.checkpointURL.path), \(training.logURL.path), "
              + "\(folder.appendingPathComponent("summary.json").path), \(RunStatus.url(in: folder).path)")
    }
}
