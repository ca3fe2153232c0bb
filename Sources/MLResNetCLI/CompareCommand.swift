import ArgumentParser
import Foundation
import MultilevelResNet

/// `mlresnet compare`: the paper's experiment — full-depth training vs multi-level vs the naive
/// rule on one dataset and one epoch budget.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Train the final depth from scratch, multi-level, and the naive rule on one budget; print the table.",
        discussion: """
            Runs (a) the finest depth from scratch for the whole budget, (b) multi-level training \
            (default 2→4→8 steps per stage, h halved at each refinement, budget split 60/50/50 as the \
            paper), (c) the naive rule (depth doubled, h kept) and, with --include-shallow, (d) the \
            first cycle's network for the whole budget. Every run uses SGD (momentum, weight decay) \
            with a cosine learning rate restarted at each cycle. The digits set has no official test \
            split: a seeded stratified --test-fraction of it is held out. Writes results.json, one \
            JSON-lines log and one HDF5 level archive per run to --output. Reference: Chang et al., ICLR 2018, §4.
            """)

    @OptionGroup var options: RunOptions

    @Flag(name: .long, help: "Also train the first cycle's shallow network for the whole budget (d).")
    var includeShallow = false

    @Option(name: .long, help: "Output folder (default runs/compare-<timestamp>).")
    var output: String?

    func run() throws {
        var (data, splitDescription, configuration) = try options.prepare()
        configuration.includesShallowBaseline = includeShallow
        let comparison = try Comparison(configuration: configuration)
        let folder = options.outputFolder(output, prefix: "compare")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        print("dataset: \(splitDescription)")
        print(options.summary(data: data, cycleEpochs: comparison.cycleEpochs))
        let start = Date()
        var result = try comparison.run(data: data, outputFolder: folder,
                                        archiveMetadata: options.archiveMetadata(dataDescription: splitDescription),
                                        progress: ProgressReporter.Style(rawValue: options.progress) ?? .automatic)
        result.dataset = splitDescription
        result.threads = options.threadCount
        try result.write(to: folder.appendingPathComponent("results.json"))
        print("")
        print(result.table)
        print(String(format: "total %.1f s; wrote results.json, <run>.jsonl logs and <run>.h5 level archives to %@",
                     Date().timeIntervalSince(start), folder.path))
    }
}
