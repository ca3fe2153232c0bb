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
            split: a seeded stratified --test-fraction of it is held out. Writes results.json and one \
            JSON-lines log per run to --output. Reference: Chang et al., ICLR 2018, §4.
            """)

    @Option(name: .long, help: "digits | fashion-mnist | idx:<images>,<labels> | cifar10:<folder>.")
    var dataset = "digits"

    @Option(name: .long, help: "Integrator of every stage (\(IntegratorKind.allCases.map(\.rawValue).joined(separator: ", "))).")
    var integrator = "forwardEuler"

    @Option(name: .long, help: "Prolongation between cycles (\(Prolongation.allCases.map(\.rawValue).joined(separator: ", "))).")
    var prolongation = "piecewiseConstant"

    @Option(name: .long, help: "Momentum across refinements: transfer | reset.")
    var momentumPolicy = "transfer"

    @Option(name: .long, help: "Channels per stage, comma-separated.")
    var channels = "8,16,32"

    @Option(name: .long, help: "Steps per stage of the cycles, coarse to fine, comma-separated.")
    var schedule = "2,4,8"

    @Option(name: .long, help: "Epoch budget of every run.")
    var epochs = 16

    @Option(name: .long, help: "Epochs per cycle, comma-separated (default: the paper's 60/50/50 split of --epochs).")
    var cycleEpochs: String?

    @Option(name: .long, help: "Mini-batch size.")
    var batchSize = 32

    @Option(name: .long, help: "Learning rate at each cycle's start.")
    var lrMax = 0.1

    @Option(name: .long, help: "Learning rate at each cycle's end.")
    var lrMin = 0.001

    @Option(name: .long, help: "SGD momentum.")
    var momentum = 0.9

    @Option(name: .long, help: "SGD weight decay.")
    var weightDecay = 5e-4

    @Option(name: .long, help: "Seed of the data split, shuffles and initialization.")
    var seed: UInt64 = 1

    @Option(name: .long, help: ArgumentHelp(
        "Kernel threads (default: 1 for digits, all cores otherwise).",
        discussion: "The 8×8 digits make kernels too small to gain from threads, and spinning OpenMP threads "
            + "on a loaded 2-core machine stall for whole scheduler slices, which makes timings erratic."))
    var threads: Int?

    @Option(name: .long, help: "Share of the training set held out for validation (0: none).")
    var validationFraction = 0.0

    @Option(name: .long, help: "Share held out for testing, for sets without a test split (digits, idx:).")
    var testFraction = 0.2

    @Option(name: .long, help: "Stop each cycle of (b) and (c) when validation accuracy has not improved by DELTA for PATIENCE epochs: DELTA,PATIENCE (needs --validation-fraction > 0).")
    var plateau: String?

    @Flag(name: .long, help: "Also train the first cycle's shallow network for the whole budget (d).")
    var includeShallow = false

    @Option(name: .long, help: "Output folder (default runs/compare-<timestamp>).")
    var output: String?

    @Option(name: .long, help: "Progress display: automatic | bar | lines | silent.")
    var progress = "automatic"

    func validate() throws {
        guard IntegratorKind(rawValue: integrator) != nil else { throw ValidationError("unknown --integrator \(integrator)") }
        guard Prolongation(rawValue: prolongation) != nil else { throw ValidationError("unknown --prolongation \(prolongation)") }
        guard StateTransferPolicy(rawValue: momentumPolicy) != nil else {
            throw ValidationError("--momentum-policy must be transfer or reset")
        }
        guard ProgressReporter.Style(rawValue: progress) != nil else { throw ValidationError("unknown --progress \(progress)") }
        guard (try? integers(channels, "--channels")) != nil, (try? integers(schedule, "--schedule")) != nil else {
            throw ValidationError("--channels and --schedule take comma-separated positive integers")
        }
        if let threads, threads < 1 { throw ValidationError("--threads must be ≥ 1") }
    }

    private func integers(_ text: String, _ name: String) throws -> [Int] {
        let values = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.allSatisfy({ ($0 ?? 0) >= 1 }) else {
            throw ValidationError("\(name) takes comma-separated positive integers, got '\(text)'")
        }
        return values.compactMap { $0 }
    }

    /// The embedded digits: `datasets/digits` under the current folder, else next to the executable.
    private func digitsFolder() throws -> URL {
        let manager = FileManager.default
        var candidates = [URL(fileURLWithPath: manager.currentDirectoryPath).appendingPathComponent("datasets/digits")]
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for up in ["../..", "../../..", "../../../.."] {
            candidates.append(executable.appendingPathComponent(up).appendingPathComponent("datasets/digits").standardized)
        }
        if let found = candidates.first(where: { manager.fileExists(atPath: $0.appendingPathComponent("digits-labels-idx1-ubyte").path) }) {
            return found
        }
        throw ValidationError("the embedded digits were not found (looked in \(candidates.map(\.path).joined(separator: ", ")))")
    }

    /// The dataset named by `--dataset`, split into parts; the second value says how.
    private func loadData() throws -> (TrainingData, String) {
        if dataset == "digits" || dataset.hasPrefix("idx:") {
            let whole: Dataset
            if dataset == "digits" {
                whole = try Dataset.digits(folder: digitsFolder())
            } else {
                let paths = dataset.dropFirst(4).split(separator: ",").map(String.init)
                guard paths.count == 2 else { throw ValidationError("--dataset idx:<images>,<labels>") }
                whole = try IDX.load(images: URL(fileURLWithPath: paths[0]), labels: URL(fileURLWithPath: paths[1]))
            }
            let data = try TrainingData.split(whole, testFraction: testFraction, validationFraction: validationFraction,
                                              seed: seed)
            return (data, "\(whole.name): seeded stratified split (seed \(seed)), test \(testFraction), "
                    + "validation \(validationFraction) of \(whole.count) images")
        }
        let training: Dataset
        let test: Dataset
        if dataset == "fashion-mnist" {
            training = try Dataset.fashionMNIST(training: true)
            test = try Dataset.fashionMNIST(training: false)
        } else if dataset.hasPrefix("cifar10:") {
            let folder = URL(fileURLWithPath: String(dataset.dropFirst(8)))
            training = try CIFAR.loadCIFAR10((1...5).map { folder.appendingPathComponent("data_batch_\($0).bin") })
            test = try CIFAR.loadCIFAR10([folder.appendingPathComponent("test_batch.bin")])
        } else {
            throw ValidationError("unknown --dataset \(dataset) (digits, fashion-mnist, idx:<images>,<labels>, cifar10:<folder>)")
        }
        let data = try TrainingData(training: training, test: test)
            .holdingOutValidation(fraction: validationFraction, seed: seed)
        return (data, "\(training.name) / \(test.name): official split, validation \(validationFraction) of training")
    }

    func run() throws {
        let threadCount = threads ?? (dataset == "digits" ? 1 : ProcessInfo.processInfo.activeProcessorCount)
        try ThreadControl.setThreadCount(threadCount)
        let (data, splitDescription) = try loadData()
        var training = TrainingConfiguration(batchSize: batchSize, momentum: momentum, weightDecay: weightDecay,
                                             seed: seed)
        training.augmentation = .standard(for: data.training)
        var configuration = ComparisonConfiguration(
            stageChannels: try integers(channels, "--channels"), stepCounts: try integers(schedule, "--schedule"),
            epochs: epochs, cycleEpochs: try cycleEpochs.map { try integers($0, "--cycle-epochs") },
            integrator: IntegratorKind(rawValue: integrator)!, prolongation: Prolongation(rawValue: prolongation)!,
            momentumPolicy: StateTransferPolicy(rawValue: momentumPolicy)!, maximumLearningRate: lrMax,
            minimumLearningRate: lrMin, training: training, networkSeed: seed, includesShallowBaseline: includeShallow)
        if let plateau {
            let parts = plateau.split(separator: ",")
            guard parts.count == 2, let delta = Double(parts[0]), let patience = Int(parts[1]) else {
                throw ValidationError("--plateau takes DELTA,PATIENCE, e.g. 0.002,2")
            }
            configuration.plateau = (delta, patience)
        }
        let comparison = try Comparison(configuration: configuration)
        let folder: URL
        if let output {
            folder = URL(fileURLWithPath: output)
        } else {
            let formatter = DateFormatter()
            formatter.dateFormat = "yyyyMMdd-HHmmss"
            folder = URL(fileURLWithPath: "runs/compare-\(formatter.string(from: Date()))")
        }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        print("dataset: \(splitDescription)")
        print("training \(data.training.count), validation \(data.validation?.count ?? 0), test \(data.test?.count ?? 0) "
              + "images; channels \(channels), schedule \(schedule), epochs \(comparison.cycleEpochs.map(String.init).joined(separator: "/")) "
              + "(budget \(epochs)), batch \(batchSize), lr \(lrMax)→\(lrMin), \(integrator), \(prolongation), "
              + "threads \(threadCount)")
        let start = Date()
        var result = try comparison.run(data: data, outputFolder: folder,
                                        progress: ProgressReporter.Style(rawValue: progress) ?? .automatic)
        result.dataset = splitDescription
        result.threads = threadCount
        try result.write(to: folder.appendingPathComponent("results.json"))
        print("")
        print(result.table)
        print(String(format: "total %.1f s; wrote %@", Date().timeIntervalSince(start),
                     folder.appendingPathComponent("results.json").path))
    }
}
