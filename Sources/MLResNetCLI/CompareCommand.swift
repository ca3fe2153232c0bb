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

    @Option(name: .long, help: "Repeat the comparison with K seeds (--seed, --seed+1, …): mean ± sd and 95 % intervals.")
    var seeds = 1

    @Option(name: .long, help: "Integrators to sweep, comma-separated (e.g. forwardEuler,heun,rk4Classic); replaces --integrator.")
    var integrators: String?

    @Flag(name: .long, help: ArgumentHelp(
        "Give every swept integrator the F evaluations of the one with fewest stages: N·s_ref/s steps per stage, T kept.",
        discussion: "--schedule is the reference method's; e.g. --schedule 4,8,16 runs forwardEuler at 4,8,16, "
            + "heun at 2,4,8 and rk4Classic at 1,2,4 steps per stage."))
    var equalEvaluations = false

    func validate() throws {
        guard seeds >= 1 else { throw ValidationError("--seeds must be ≥ 1") }
        if let integrators {
            let names = integrators.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            guard !names.isEmpty, Set(names).count == names.count else {
                throw ValidationError("--integrators takes distinct comma-separated names, got '\(integrators)'")
            }
            for name in names where IntegratorKind(rawValue: name) == nil {
                throw ValidationError("unknown integrator '\(name)' in --integrators "
                                      + "(\(IntegratorKind.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
        }
        if equalEvaluations && integrators == nil {
            throw ValidationError("--equal-evaluations needs --integrators")
        }
    }

    /// The integrators compared: `--integrators`, else `--integrator`.
    var methods: [IntegratorKind] {
        guard let integrators else { return [IntegratorKind(rawValue: options.integrator)!] }
        return integrators.split(separator: ",").map { IntegratorKind(rawValue: $0.trimmingCharacters(in: .whitespaces))! }
    }

    func run() throws {
        let folder = options.outputFolder(output, prefix: "compare")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let start = Date()
        if seeds == 1 && integrators == nil {
            let result = try compare(options: options, finalTime: Double?.none, folder: folder)
            print("")
            print(result.table)
            print(String(format: "total %.1f s; wrote results.json, <run>.jsonl logs and <run>.h5 level archives to %@",
                         Date().timeIntervalSince(start), folder.path))
            return
        }
        // A sweep: one sub-folder per integrator and seed, then the summary over seeds.
        let sweep = try ComparisonSweep(integrators: methods, seeds: (0..<UInt64(seeds)).map { options.seed + $0 },
                                        stepCounts: try options.integers(options.schedule, "--schedule"),
                                        equalEvaluations: equalEvaluations)
        let summary = try sweep.run(in: folder) { member, memberFolder in
            var variant = options
            variant.integrator = member.integrator.rawValue
            variant.schedule = member.stepCounts.map(String.init).joined(separator: ",")
            variant.seed = member.seed
            print("== \(member.folderName): \(variant.schedule) steps per stage, T = \(sweep.finalTime)")
            let result = try compare(options: variant, finalTime: sweep.finalTime, folder: memberFolder)
            print(result.table)
            return result
        }
        print("")
        print(summary.table)
        print(String(format: "total %.1f s; wrote summary.json, summary.csv and one folder per integrator and seed to %@",
                     Date().timeIntervalSince(start), folder.path))
    }

    /// One comparison with `options` (`T` of the coarsest level given, or its default), written to
    /// `folder` (results.json, logs, level archives).
    private func compare(options: RunOptions, finalTime: Double?, folder: URL) throws -> ComparisonReport {
        var (data, splitDescription, configuration) = try options.prepare()
        configuration.includesShallowBaseline = includeShallow
        configuration.finalTime = finalTime
        let comparison = try Comparison(configuration: configuration)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        print("dataset: \(splitDescription)")
        print(options.summary(data: data, cycleEpochs: comparison.cycleEpochs))
        var result = try comparison.run(data: data, outputFolder: folder,
                                        archiveMetadata: options.archiveMetadata(dataDescription: splitDescription),
                                        progress: ProgressReporter.Style(rawValue: options.progress) ?? .automatic)
        result.dataset = splitDescription
        result.threads = options.threadCount
        try result.write(to: folder.appendingPathComponent("results.json"))
        return result
    }
}
