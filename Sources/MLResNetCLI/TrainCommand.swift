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
            epoch) and summary.json. After a kill, run the same command with --resume and the same \
            --output: training continues from the last checkpoint and ends with the weights an \
            uninterrupted run would have (bit for bit with the same --threads). A checkpoint of \
            another configuration is refused.
            """)

    @OptionGroup var options: RunOptions

    @Option(name: [.customLong("run")], help: "The run: \(ComparisonRunKind.allCases.map(\.rawValue).joined(separator: " | ")).")
    var runKind = "multilevel"

    @Option(name: .long, help: "Output folder (default runs/train-<timestamp>; required with --resume).")
    var output: String?

    @Flag(name: .long, help: "Continue from <output>/checkpoint.h5.")
    var resume = false

    func validate() throws {
        guard ComparisonRunKind(rawValue: runKind) != nil else { throw ValidationError("unknown --run \(runKind)") }
        if resume, output == nil { throw ValidationError("--resume needs the --output folder of the run to continue") }
    }

    func run() throws {
        let (data, splitDescription, configuration) = try options.prepare()
        let comparison = try Comparison(configuration: configuration)
        let folder = options.outputFolder(output, prefix: "train")
        let kind = ComparisonRunKind(rawValue: runKind)!
        var metadata = options.archiveMetadata(dataDescription: splitDescription)
        metadata.stepRule = try comparison.schedule(for: kind).stepSizeRule
        let training = TrainingRun(comparison: comparison, kind: kind, data: data, folder: folder, metadata: metadata,
                                   dataDescription: splitDescription)
        training.progress = ProgressReporter.Style(rawValue: options.progress) ?? .automatic
        print("dataset: \(splitDescription)")
        print(options.summary(data: data, cycleEpochs: comparison.cycleEpochs))
        print(resume ? "resuming from \(training.checkpointURL.path)" : "run \(kind.summary) → \(folder.path)")
        let result = try training.run(resume: resume)
        try AtomicFileWriter.writeJSON(result.levels, to: folder.appendingPathComponent("summary.json").path)
        print("")
        print("level  N   h        T      epochs  test acc  train s")
        for level in result.levels {
            print(String(format: "%-6d %-3d %-8.4g %-6.4g %-7d %-9.4f %.1f", level.level, level.stepCount, level.stepSize,
                         level.finalTime, level.epochs, level.testAccuracy ?? .nan, level.trainSeconds))
        }
        print("wrote \(training.archiveURL.path), \(training.checkpointURL.path), \(training.logURL.path), "
              + folder.appendingPathComponent("summary.json").path)
    }
}
