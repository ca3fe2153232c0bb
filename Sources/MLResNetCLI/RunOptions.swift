import ArgumentParser
import Foundation
import MultilevelResNet

/// The options shared by `mlresnet compare` and `mlresnet train`: data, architecture, schedule,
/// optimizer, seeds and threads, and how they become a ``ComparisonConfiguration``.
struct RunOptions: ParsableArguments {
    @Option(name: .long, help: "digits | fashion-mnist | idx:<images>,<labels> | cifar10:<folder>.")
    var dataset = "digits"

    @Option(name: .long, help: ArgumentHelp(
        "Number of classes K of an idx: dataset (default \(RunOptions.defaultIDXClassCount)); a label ≥ K is refused.",
        discussion: "The labels file must hold labels in 0..<K: a stray label (e.g. 10 in a 10-class set) stops the "
            + "run with the labels file, the record and the value instead of silently training K + 1 classes."))
    var classes: Int?

    /// The class count of an `idx:` dataset without `--classes`: the MNIST family's 10.
    static let defaultIDXClassCount = 10

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

    @Option(name: .long, help: ArgumentHelp(
        "Final time T of every stage (default: the coarsest N of --schedule, i.e. h = 1 there, as in the paper).",
        discussion: "(a) and (b) keep T at every level (h = T/N); the naive rule (c) starts at T and doubles it per refinement."))
    var finalTime: Double?

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

    @Option(name: .long, help: ArgumentHelp(
        "Parameter groups without weight decay, comma-separated (\(DecayExclusion.allCases.map(\.rawValue).joined(separator: ", "))).",
        discussion: "norm: every batch norm's γ and β; bias: the classifier's bias. Default: decay on every parameter."))
    var noDecay: DecayExclusions?

    @Option(name: .long, help: "Seed of the data split, shuffles and initialization.")
    var seed: UInt64 = 1

    @Option(name: .long, help: ArgumentHelp(
        "Kernel threads (default: 1 for digits, all cores otherwise).",
        discussion: "The 8×8 digits make kernels too small to gain from threads, and spinning OpenMP threads "
            + "on a loaded 2-core machine stall for whole scheduler slices, which makes timings erratic."))
    var threads: Int?

    @Option(name: .long, help: "Share of the training set held out for validation (0: none).")
    var validationFraction = 0.0

    @Option(name: .long, help: "Train on a seeded stratified share of a set's official training images (fashion-mnist, cifar10:), in (0, 1].")
    var trainingSubset = 1.0

    @Option(name: .long, help: "Share held out for testing, for sets without a test split (digits, idx:).")
    var testFraction = 0.2

    @Option(name: .long, help: "Stop each cycle of (b) and (c) when validation accuracy has not improved by DELTA for PATIENCE epochs: DELTA,PATIENCE (needs --validation-fraction > 0).")
    var plateau: String?

    @Option(name: .long, help: "Progress display: automatic | bar | lines | silent.")
    var progress = "automatic"

    func validate() throws {
        if let finalTime, !(finalTime > 0 && finalTime.isFinite) {
            throw ValidationError("--final-time must be a positive finite number, got \(finalTime)")
        }
        guard IntegratorKind(rawValue: integrator) != nil else { throw ValidationError("unknown --integrator \(integrator)") }
        guard Prolongation(rawValue: prolongation) != nil else { throw ValidationError("unknown --prolongation \(prolongation)") }
        guard StateTransferPolicy(rawValue: momentumPolicy) != nil else {
            throw ValidationError("--momentum-policy must be transfer or reset")
        }
        guard (try? integers(channels, "--channels")) != nil, (try? integers(schedule, "--schedule")) != nil else {
            throw ValidationError("--channels and --schedule take comma-separated positive integers")
        }
        if let threads, threads < 1 { throw ValidationError("--threads must be ≥ 1") }
        if let classes {
            guard dataset.hasPrefix("idx:") else {
                throw ValidationError("--classes applies to idx: datasets only (digits, fashion-mnist and cifar10: have 10)")
            }
            guard classes >= 2 else { throw ValidationError("--classes must be ≥ 2, got \(classes)") }
        }
        guard trainingSubset > 0, trainingSubset <= 1 else { throw ValidationError("--training-subset must be in (0, 1]") }
        guard ProgressReporter.Style(rawValue: progress) != nil else { throw ValidationError("unknown --progress \(progress)") }
    }

    func integers(_ text: String, _ name: String) throws -> [Int] {
        let values = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.allSatisfy({ ($0 ?? 0) >= 1 }) else {
            throw ValidationError("\(name) takes comma-separated positive integers, got '\(text)'")
        }
        return values.compactMap { $0 }
    }

    /// The embedded digits: `datasets/digits` under the current folder, else in the repository the
    /// executable was built in (``RepositoryFiles``).
    func digitsFolder() throws -> URL {
        let marker = "digits-labels-idx1-ubyte"
        if let found = RepositoryFiles.locate("datasets/digits", marker: marker) { return found }
        let tried = RepositoryFiles.candidates("datasets/digits").map(\.path).joined(separator: ", ")
        throw ValidationError("the embedded digits were not found (looked in \(tried))")
    }

    /// The dataset named by `--dataset`, split into parts; the second value says how.
    func loadData() throws -> (TrainingData, String) {
        if dataset == "digits" || dataset.hasPrefix("idx:") {
            let whole: Dataset
            if dataset == "digits" {
                whole = try Dataset.digits(folder: digitsFolder())
            } else {
                let paths = dataset.dropFirst(4).split(separator: ",").map(String.init)
                guard paths.count == 2 else { throw ValidationError("--dataset idx:<images>,<labels>") }
                whole = try IDX.load(images: URL(fileURLWithPath: paths[0]), labels: URL(fileURLWithPath: paths[1]),
                                     classCount: classes ?? Self.defaultIDXClassCount)
            }
            let data = try TrainingData.split(whole, testFraction: testFraction, validationFraction: validationFraction,
                                              seed: seed)
            return (data, "\(whole.name): seeded stratified split (seed \(seed)), test \(testFraction), "
                    + "validation \(validationFraction) of \(whole.count) images, \(whole.classCount) classes")
        }
        var training: Dataset
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
        var subsetNote = ""
        if trainingSubset < 1 {
            // A seeded stratified share of the training images: `split` puts that share of every
            // class in its validation part, which is the part kept here.
            let whole = training.count
            training = try training.split(validationFraction: trainingSubset, seed: seed).validation
            subsetNote = ", a seeded stratified \(trainingSubset) of the \(whole) training images (\(training.count))"
        }
        let data = try TrainingData(training: training, test: test)
            .holdingOutValidation(fraction: validationFraction, seed: seed)
        return (data, "\(training.name) / \(test.name): official split\(subsetNote), validation \(validationFraction) of training")
    }

    /// The kernel thread count: `--threads`, else 1 for digits (tiny kernels) and all cores otherwise.
    var threadCount: Int { threads ?? (dataset == "digits" ? 1 : ProcessInfo.processInfo.activeProcessorCount) }

    /// The kernel settings of the run: ``threadCount`` threads (throws for a count past the maximum).
    var computeContext: ComputeContext { get throws { try ComputeContext(threadCount: threadCount) } }

    /// Checks the threads, loads the data and builds the comparison's configuration.
    ///
    /// - Returns: the data, a description of how they were split, and the configuration.
    func prepare() throws -> (data: TrainingData, description: String, configuration: ComparisonConfiguration) {
        _ = try computeContext
        let (data, splitDescription) = try loadData()
        var configuration = try configuration()
        configuration.training.augmentation = .standard(for: data.training)
        return (data, splitDescription, configuration)
    }

    /// The comparison's configuration without the data (no augmentation): what `validate` of a
    /// command can check before any data is loaded or folder made.
    func configuration() throws -> ComparisonConfiguration {
        let training = TrainingConfiguration(batchSize: batchSize, momentum: momentum, weightDecay: weightDecay,
                                             seed: seed, noDecay: noDecay?.groups ?? [])
        var configuration = ComparisonConfiguration(
            stageChannels: try integers(channels, "--channels"), stepCounts: try integers(schedule, "--schedule"),
            epochs: epochs, cycleEpochs: try cycleEpochs.map { try integers($0, "--cycle-epochs") },
            integrator: IntegratorKind(rawValue: integrator)!, prolongation: Prolongation(rawValue: prolongation)!,
            momentumPolicy: StateTransferPolicy(rawValue: momentumPolicy)!, maximumLearningRate: lrMax,
            minimumLearningRate: lrMin, training: training, networkSeed: seed)
        configuration.finalTime = finalTime
        if let plateau {
            let parts = plateau.split(separator: ",")
            guard parts.count == 2, let delta = Double(parts[0]), let patience = Int(parts[1]) else {
                throw ValidationError("--plateau takes DELTA,PATIENCE, e.g. 0.002,2")
            }
            configuration.plateau = (delta, patience)
        }
        return configuration
    }

    /// A one-line summary of the settings.
    func summary(data: TrainingData, cycleEpochs: [Int]) -> String {
        "training \(data.training.count), validation \(data.validation?.count ?? 0), test \(data.test?.count ?? 0) "
            + "images; channels \(channels), schedule \(schedule), epochs \(cycleEpochs.map(String.init).joined(separator: "/")) "
            + "(budget \(epochs)), batch \(batchSize), lr \(lrMax)→\(lrMin), \(integrator), \(prolongation), "
            + "threads \(threadCount)"
    }

    /// The root metadata of the level archives written by a run.
    func archiveMetadata(dataDescription: String) -> ArchiveMetadata {
        ArchiveMetadata(dataset: dataDescription, seed: seed, commandLine: CommandLine.arguments,
                        prolongation: Prolongation(rawValue: prolongation), stepGrid: .cellCentred)
    }
}

/// `--output`, `--resume`, `--overwrite` of `mlresnet train` and `compare`: where a run goes and
/// what happens to a folder that already holds one.
struct OutputFolderOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Output folder (default runs/<command>-<timestamp>).",
        discussion: "A folder that holds anything is refused unless --resume or --overwrite is given."))
    var output: String?

    @Flag(name: .long, help: "Continue the run in --output where it stopped (interrupted, killed or failed).")
    var resume = false

    @Flag(name: .long, help: ArgumentHelp(
        "Start over in --output: remove the run's files there first (status, results, logs, archives, checkpoints, "
            + "sweep members); other files are kept and named."))
    var overwrite = false

    /// The policy the flags ask for.
    var policy: OutputFolderPolicy { resume ? .resume : overwrite ? .overwrite : .new }

    func validate() throws {
        if resume && overwrite { throw ValidationError("--resume and --overwrite exclude each other") }
        if resume && output == nil { throw ValidationError("--resume needs the --output folder of the run to continue") }
        guard let output else { return }
        // The nearest existing ancestor must be a folder (else createDirectory fails with a Cocoa dump).
        var url = URL(fileURLWithPath: output).standardizedFileURL
        var isFolder: ObjCBool = false
        while !FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), url.path != "/" {
            url.deleteLastPathComponent()
        }
        guard isFolder.boolValue else { throw ValidationError("--output \(output): \(url.path) is a file, not a folder") }
        // Before anything is loaded or written: a run never lands on another silently.
        if policy == .new {
            do {
                try RunFolder.requireEmpty(URL(fileURLWithPath: output))
            } catch let error as RunFolderError {
                throw ValidationError("--output: \(error)")
            }
        }
    }

    /// `--output`, or `runs/<prefix>-<timestamp>`.
    func folder(prefix: String) -> URL {
        if let output { return URL(fileURLWithPath: output) }
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        return URL(fileURLWithPath: "runs/\(prefix)-\(formatter.string(from: Date()))")
    }

    /// Prepares `folder` under ``policy`` (checked again: a default folder may have appeared) and
    /// says which files that no run writes were kept by `--overwrite`.
    func prepare(_ folder: URL) throws {
        let kept = try RunFolder.prepare(folder, policy: policy)
        if !kept.isEmpty {
            print("note: --overwrite kept \(kept.count) entr\(kept.count == 1 ? "y" : "ies") of \(folder.path) that no run "
                  + "writes: \(kept.joined(separator: ", "))")
        }
    }

    /// The shell command that continues the run in `folder`: this command line with `--overwrite`
    /// dropped, `--resume` and (when it was defaulted) `--output` added, and the `--output` folder
    /// made absolute (so the command works from any working directory).
    func resumeCommand(folder: URL) -> String {
        let absolute = folder.absoluteURL.standardizedFileURL.path
        var arguments: [String] = []
        var outputFollows = false
        for argument in CommandLine.arguments where argument != "--overwrite" {
            if outputFollows {
                arguments.append(absolute)
            } else if argument.hasPrefix("--output=") {
                arguments.append("--output=" + absolute)
            } else {
                arguments.append(argument)
            }
            outputFollows = argument == "--output"
        }
        if !arguments.contains("--resume") { arguments.append("--resume") }
        if output == nil { arguments += ["--output", absolute] }
        return arguments.map(Self.shellQuoted).joined(separator: " ")
    }

    /// `word` quoted for a POSIX shell when it holds anything but letters, digits and `_./:=,+-@%`.
    static func shellQuoted(_ word: String) -> String {
        let plain = !word.isEmpty && word.unicodeScalars.allSatisfy {
            ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || "_./:=,+-@%".unicodeScalars.contains($0)
        }
        return plain ? word : "'" + word.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }

    /// Installs the SIGINT/SIGTERM handlers (once) and returns the flag they set.
    static func interruptOnSignals() -> InterruptFlag {
        InterruptFlag.installSignalHandlers { signal in
            let name = signal == SIGINT ? "SIGINT" : signal == SIGTERM ? "SIGTERM" : "signal \(signal)"
            let message = "\nmlresnet: \(name): stopping after the current batch and writing a checkpoint "
                + "(send it again to stop at once)\n"
            FileHandle.standardError.write(Data(message.utf8))
        }
        return InterruptFlag.process
    }

    /// Prints where an interrupted run stopped and how to continue it, and returns exit status 130.
    static func interrupted(_ stop: TrainingInterrupted, folder: URL, resumeCommand: String) -> ExitCode {
        FileHandle.standardError.write(Data("""
            mlresnet: \(stop); checkpoint written, \(folder.appendingPathComponent(RunStatus.fileName).path) says interrupted.
            resume with:
              \(resumeCommand)

            """.utf8))
        return ExitCode(130)
    }
}
