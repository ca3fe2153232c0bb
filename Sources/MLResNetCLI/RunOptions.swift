import ArgumentParser
import Foundation
import MultilevelResNet

/// The options shared by `mlresnet compare` and `mlresnet train`: a saved configuration
/// (`--config`), then data, architecture, schedule, optimizer, seeds and threads overriding its
/// fields; they resolve to one ``RunConfiguration`` (``resolved()``).
///
/// Every option is optional: one not given keeps the value of `--config FILE`, else the library's
/// default (``RunConfiguration/init(data:comparison:threads:sweep:)``), so the command line and the
/// library cannot disagree on a default. The help shows each default.
struct RunOptions: ParsableArguments {
    /// The library's defaults, shown in the help.
    static let defaults = RunConfiguration()

    @Option(name: .long, help: ArgumentHelp(
        "Run from a saved configuration (a run folder's config.json, or --print-config's output).",
        discussion: "Options given beside it override its fields. A run's own config.json reproduces the run bit for "
            + "bit (same machine and threads). The file's environment block (version, ISA, BLAS) is informative."))
    var config: String?

    @Flag(name: .long, help: "Print the resolved configuration (every field, defaults included) as JSON and exit.")
    var printConfig = false

    @Option(name: .long, help: ArgumentHelp("The images: \(DatasetSource.argumentForms) (default \(defaults.data.source)).",
                                            valueName: "source"),
            transform: { text in try parsed { try DatasetSource(argument: text) } })
    var dataset: DatasetSource?

    @Option(name: .long, help: ArgumentHelp(
        "Number of classes K of an idx: dataset (default \(DataConfiguration.defaultIDXClassCount)); a label ≥ K is refused.",
        discussion: "The labels file must hold labels in 0..<K: a stray label (e.g. 10 in a 10-class set) stops the "
            + "run with the labels file, the record and the value instead of silently training K + 1 classes."))
    var classes: Int?

    @Option(name: .long, help: ArgumentHelp(
        "Integrator of every stage, or one per stage comma-separated (default \(defaults.comparison.integrators.map(\.name).joined(separator: ","))).",
        discussion: "Methods: \(IntegratorKind.allCases.map(\.rawValue).joined(separator: ", ")). "
            + "E.g. rk4Classic,forwardEuler,forwardEuler: RK4 in the first stage, forward Euler in the others.",
        valueName: "method[,method…]"),
            transform: { text in try parsed { try IntegratorKind.list(text) } })
    var integrator: [IntegratorKind]?

    @Option(name: .long, help: ArgumentHelp(
        "An explicit Runge–Kutta method of your own for every stage: a JSON file {name, a, b, c, order} (replaces --integrator).",
        discussion: "The format ButcherTableau encodes, e.g. {\"name\":\"heun\",\"a\":[[0,0],[1,0]],\"b\":[0.5,0.5],"
            + "\"c\":[0,1],\"order\":2}; a must be strictly lower triangular, b sum to 1, c_i = Σ_j a_ij.",
        valueName: "file.json"))
    var tableau: String?

    @Option(name: .long, help: "Prolongation P between cycles (default \(defaults.comparison.prolongation.rawValue)).")
    var prolongation: Prolongation?

    @Option(name: .long, help: "Momentum buffers across refinements (default \(defaults.comparison.momentumPolicy.rawValue)).")
    var momentumPolicy: StateTransferPolicy?

    @Option(name: .customLong("recalibrate-bn"), help: ArgumentHelp(
        "Recompute the batch-norm running statistics from this many training mini-batches (at most one pass over "
            + "the training set) after every change of depth (default "
            + "\(defaults.comparison.batchNormRecalibrationBatches): keep the prolongated ones; runs without "
            + "refinement, such as full, never use it).",
        discussion: "Training-mode forward passes, cumulative average (ODENetwork.recalibrateBatchNorm(over:)); "
            + "the batches come from a shuffle of their own, so the training stream is unchanged.",
        valueName: "batches"))
    var recalibrateBatchNorm: Int?

    @Option(name: .long, help: ArgumentHelp("Channels per stage, comma-separated (default \(joined(defaults.comparison.stageChannels))).",
                                            valueName: "c1,c2,…"),
            transform: { text in try parsed { try positiveIntegers(text, "--channels") } })
    var channels: [Int]?

    @Option(name: .long, help: ArgumentHelp(
        "Steps per stage N of the cycles, coarse to fine, comma-separated (default \(joined(defaults.comparison.stepCounts))).",
        valueName: "n1,n2,…"),
            transform: { text in try parsed { try positiveIntegers(text, "--schedule") } })
    var schedule: [Int]?

    @Option(name: .long, help: ArgumentHelp(
        "Final time T of every stage (default: the coarsest N of --schedule, i.e. h = 1 there, as in the paper).",
        discussion: "(a) and (b) keep T at every level (h = T/N); the naive rule (c) starts at T and doubles it per refinement."))
    var finalTime: Double?

    @Option(name: .long, help: "Epoch budget of every run (default \(defaults.comparison.epochs)).")
    var epochs: Int?

    @Option(name: .long, help: ArgumentHelp(
        "Epochs per cycle, comma-separated (default: the paper's 60/50/50 split of --epochs).", valueName: "e1,e2,…"),
            transform: { text in try parsed { try positiveIntegers(text, "--cycle-epochs") } })
    var cycleEpochs: [Int]?

    @Option(name: .long, help: "Mini-batch size (default \(defaults.comparison.training.batchSize)).")
    var batchSize: Int?

    @Option(name: .long, help: "Learning rate at each cycle's start (default \(defaults.comparison.maximumLearningRate)).")
    var lrMax: Double?

    @Option(name: .long, help: "Learning rate at each cycle's end (default \(defaults.comparison.minimumLearningRate)).")
    var lrMin: Double?

    @Option(name: .long, help: "SGD momentum (default \(defaults.comparison.training.momentum)).")
    var momentum: Double?

    @Option(name: .long, help: "SGD weight decay (default \(defaults.comparison.training.weightDecay)).")
    var weightDecay: Double?

    @Option(name: .long, help: ArgumentHelp(
        "Parameter groups without weight decay, comma-separated (\(DecayExclusion.allCases.map(\.rawValue).joined(separator: ", "))).",
        discussion: "norm: every batch norm's γ and β; bias: the classifier's bias. Default: decay on every parameter."))
    var noDecay: DecayExclusions?

    @Option(name: .long, help: "Seed of the data split, shuffles and initialization (default \(defaults.data.seed)).")
    var seed: UInt64?

    @OptionGroup var compute: ComputeOptions

    @Option(name: .long, help: "Share of the training set held out for validation (default \(defaults.data.validationFraction): none).")
    var validationFraction: Double?

    @Option(name: .long, help: "Train on a seeded stratified share of a set's official training images (fashion-mnist, cifar10:), in (0, 1] (default \(defaults.data.trainingSubset)).")
    var trainingSubset: Double?

    @Option(name: .long, help: "Share held out for testing, for sets without a test split (digits, idx:) (default \(defaults.data.testFraction)).")
    var testFraction: Double?

    @Option(name: .long, help: ArgumentHelp(
        "Stop each cycle of (b) and (c) when validation accuracy has not improved by DELTA for PATIENCE epochs (needs --validation-fraction > 0).",
        valueName: "DELTA,PATIENCE"),
            transform: { text in try parsed { try plateauSettings(text) } })
    var plateau: Plateau?

    @Option(name: .long, help: "Progress display (default automatic: a bar on a terminal, lines otherwise).")
    var progress: ProgressReporter.Style = .automatic

    func validate() throws {
        if let finalTime, !(finalTime > 0 && finalTime.isFinite) {
            throw ValidationError("--final-time must be a positive finite number, got \(finalTime)")
        }
        if integrator != nil && tableau != nil {
            throw ValidationError("--integrator and --tableau exclude each other (a tableau is the method of every stage)")
        }
        // Everything else (ranges, the budget split, --classes on a source without classes, the
        // configuration file) is checked where the configuration is resolved, with its own message.
        do {
            _ = try resolved()
        } catch let error as TrainingError {
            throw ValidationError("\(error)")
        }
    }

    /// The configuration these options ask for: `--config FILE` (else the defaults) with every
    /// option given applied on top, and the dependent defaults (T, epochs per cycle) written out.
    /// The augmentation is the file's, else set by ``prepare()`` from the data.
    ///
    /// - Throws: ``TrainingError`` for an unreadable configuration file, a value out of range or
    ///   an invalid combination; `DecodingError` for a malformed `--tableau` file.
    func resolved() throws -> RunConfiguration {
        var c = try config.map { try RunConfiguration.read(from: URL(fileURLWithPath: $0)) } ?? RunConfiguration()
        if let dataset {
            c.data.source = dataset.withAbsolutePaths
            // What depends on the source follows it: threads (unless given) and the class count
            // (only an idx source has one); the augmentation is re-derived from the data.
            if compute.threads == nil { c.threads = dataset.defaultThreadCount }
            if case .idx = dataset {} else { c.data.classes = nil }
        }
        if let classes { c.data.classes = classes }
        if case .idx = c.data.source, c.data.classes == nil { c.data.classes = DataConfiguration.defaultIDXClassCount }
        if let testFraction { c.data.testFraction = testFraction }
        if let validationFraction { c.data.validationFraction = validationFraction }
        if let trainingSubset { c.data.trainingSubset = trainingSubset }
        if let seed { c.setSeed(seed) }
        if let threads = compute.threads { c.threads = threads }
        var m = c.comparison
        if let integrator { m.integrators = integrator.map { .method($0) } }
        if let tableau { m.integrators = [.tableau(try Self.readTableau(tableau))] }
        if let prolongation { m.prolongation = prolongation }
        if let momentumPolicy { m.momentumPolicy = momentumPolicy }
        if let recalibrateBatchNorm { m.batchNormRecalibrationBatches = recalibrateBatchNorm }
        if let channels { m.stageChannels = channels }
        // A new schedule or budget re-derives T (the coarsest N) and the split (60/50/50) unless
        // they are given too: a file's values belong to its own schedule and budget.
        if let schedule {
            m.stepCounts = schedule
            m.finalTime = nil
            m.cycleEpochs = nil
        }
        if let epochs {
            m.epochs = epochs
            m.cycleEpochs = nil
        }
        if let finalTime { m.finalTime = finalTime }
        if let cycleEpochs { m.cycleEpochs = cycleEpochs }
        if let batchSize { m.training.batchSize = batchSize }
        if let lrMax { m.maximumLearningRate = lrMax }
        if let lrMin { m.minimumLearningRate = lrMin }
        if let momentum { m.training.momentum = momentum }
        if let weightDecay { m.training.weightDecay = weightDecay }
        if let noDecay { m.training.noDecay = noDecay.groups }
        if let plateau { m.plateau = (plateau.minimumImprovement, plateau.patience) }
        c.comparison = m
        try c.data.validate()
        guard (1...ThreadControl.maximumThreadCount).contains(c.threads) else {
            throw TrainingError.invalidConfiguration(name: "threads", value: "\(c.threads)",
                                                     expected: "1...\(ThreadControl.maximumThreadCount) (4 × cores, at most 1024)")
        }
        return try c.resolved()
    }

    /// Whether the augmentation comes from `--config` (else, and when `--dataset` replaces the
    /// file's source, from the data's standard one).
    var augmentationIsGiven: Bool { config != nil && dataset == nil }

    /// Loads the data of `configuration`, sets its augmentation (unless `--config` gave one) and
    /// checks the kernel threads (the caller runs the work in a ``ComputeContext`` of them).
    ///
    /// - Returns: the data, a description of how they were split, and the complete configuration.
    static func prepare(_ configuration: RunConfiguration, augmentationIsGiven: Bool) throws
        -> (data: TrainingData, description: String, configuration: RunConfiguration)
    {
        var configuration = configuration
        _ = try ComputeContext(threadCount: configuration.threads)
        let (data, description) = try configuration.data.load()  // digits: the library's bundled copy
        if !augmentationIsGiven { configuration.comparison.training.augmentation = .standard(for: data.training) }
        return (data, description, configuration)
    }

    /// On `--resume`: the configuration recorded in `folder`'s `config.json` (when there is one) must
    /// be `configuration` — a changed setting (threads included: results depend on them) would mix
    /// two runs, and the record must not be replaced by the refused one.
    ///
    /// - Throws: ``ValidationError`` naming the file, each differing field with both values, and the
    ///   command that resumes with the recorded configuration.
    static func requireRecordedConfiguration(_ configuration: RunConfiguration, in folder: URL) throws {
        let url = folder.appendingPathComponent("config.json")
        guard FileManager.default.fileExists(atPath: url.path) else { return }
        let recorded = try RunConfiguration.read(from: url)
        guard recorded != configuration else { return }
        let was = try recorded.flattened(), now = try configuration.flattened()
        let fields = Set(was.keys).union(now.keys).filter { was[$0] != now[$0] }.sorted()
        func text(_ value: RunConfiguration.FlatValue?) -> String {
            switch value {
            case nil: return "absent"
            case let .integer(v)?: return "\(v)"
            case let .real(v)?: return "\(v)"
            case let .text(v)?: return v
            case let .integers(v)?: return "\(v)"
            case let .reals(v)?: return "\(v)"
            case let .texts(v)?: return "\(v)"
            }
        }
        let list = fields.prefix(6).map { "\($0): recorded \(text(was[$0])), now \(text(now[$0]))" }.joined(separator: "; ")
        throw ValidationError("--resume: \(url.path) records another configuration (\(fields.count) "
                              + "\(fields.count == 1 ? "field differs" : "fields differ"): \(list)); resume with the same options, e.g. "
                              + "--config \(url.path) --resume, or start over with --overwrite")
    }

    /// ``resolved()``, then ``prepare(_:augmentationIsGiven:)``.
    func prepare() throws -> (data: TrainingData, description: String, configuration: RunConfiguration) {
        try Self.prepare(resolved(), augmentationIsGiven: augmentationIsGiven)
    }

    /// Prints `configuration` as the JSON of `config.json`, its augmentation resolved from the
    /// data as a run would (so the data are loaded).
    func printConfiguration(_ configuration: RunConfiguration) throws {
        let (_, _, complete) = try Self.prepare(configuration, augmentationIsGiven: augmentationIsGiven)
        let environment = ComputeEnvironment.current(context: try ComputeContext(threadCount: complete.threads))
        print(String(decoding: try complete.fileData(environment: environment), as: UTF8.self))
    }

    /// A one-line summary of the settings.
    static func summary(_ c: RunConfiguration, data: TrainingData) -> String {
        let m = c.comparison
        return "training \(data.training.count), validation \(data.validation?.count ?? 0), test \(data.test?.count ?? 0) "
            + "images; channels \(joined(m.stageChannels)), schedule \(joined(m.stepCounts)), epochs "
            + "\((m.cycleEpochs ?? []).map(String.init).joined(separator: "/")) (budget \(m.epochs)), batch \(m.training.batchSize), "
            + "lr \(m.maximumLearningRate)→\(m.minimumLearningRate), \(m.integrators.map(\.name).joined(separator: ",")), \(m.prolongation.rawValue), "
            + "threads \(c.threads)"
    }

    /// The root metadata of the level archives written by a run, with the configuration
    /// flattened into the attributes of `/run`.
    static func archiveMetadata(_ c: RunConfiguration, environment: ComputeEnvironment, dataDescription: String) throws
        -> ArchiveMetadata
    {
        ArchiveMetadata(dataset: dataDescription, seed: c.data.seed, commandLine: CommandLine.arguments,
                        prolongation: c.comparison.prolongation, stepGrid: c.comparison.grid,
                        extra: try c.archiveAttributes(environment: environment))
    }

    /// The tableau of `--tableau FILE` (``ButcherTableau``'s JSON coding, validated when decoded).
    ///
    /// - Throws: ``TrainingError/invalidTableauFile(path:message:)`` naming the file and the
    ///   problem (unreadable, not JSON, a missing field, an invalid tableau).
    static func readTableau(_ path: String) throws -> ButcherTableau {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw TrainingError.invalidTableauFile(path: path, message: "cannot be read (\(error.localizedDescription))")
        }
        do {
            return try JSONDecoder().decode(ButcherTableau.self, from: data)
        } catch let error as ButcherTableauError {
            throw TrainingError.invalidTableauFile(path: path, message: "not a valid tableau: \(error)")
        } catch let DecodingError.keyNotFound(key, _) {
            throw TrainingError.invalidTableauFile(path: path, message: "missing field '\(key.stringValue)' "
                                                         + "(a tableau is {name, a, b, c, order})")
        } catch {
            throw TrainingError.invalidTableauFile(path: path, message: "not a tableau: \(error)")
        }
    }

    static func joined(_ values: [Int]) -> String { values.map(String.init).joined(separator: ",") }

    /// `--plateau`'s value.
    struct Plateau {
        var minimumImprovement: Double
        var patience: Int
    }

    static func plateauSettings(_ text: String) throws -> Plateau {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        guard parts.count == 2, let delta = Double(parts[0]), let patience = Int(parts[1]) else {
            throw ValidationError("--plateau takes DELTA,PATIENCE, e.g. 0.002,2; got '\(text)'")
        }
        return Plateau(minimumImprovement: delta, patience: patience)
    }
}

/// Comma-separated positive integers, or a ``ValidationError`` naming `option`.
func positiveIntegers(_ text: String, _ option: String) throws -> [Int] {
    let values = text.split(separator: ",", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
    guard !values.isEmpty, values.allSatisfy({ ($0 ?? 0) >= 1 }) else {
        throw ValidationError("\(option) takes comma-separated positive integers, got '\(text)'")
    }
    return values.compactMap { $0 }
}

/// Runs a parser for an option's `transform`, turning a ``TrainingError`` into ArgumentParser's
/// ``ValidationError`` (so the message reaches the user as a usage error, exit 64).
func parsed<T>(_ parse: () throws -> T) throws -> T {
    do {
        return try parse()
    } catch let error as TrainingError {
        throw ValidationError("\(error)")
    }
}

/// The values of a comma-separated list of an enumeration's case names.
///
/// - Throws: ``ValidationError`` naming an unknown `what` and listing the valid values.
func caseList<Value: CaseIterable & RawRepresentable>(_ text: String, _ what: String) throws -> [Value]
    where Value.RawValue == String
{
    try text.split(separator: ",", omittingEmptySubsequences: false).map {
        let name = $0.trimmingCharacters(in: .whitespaces)
        guard let value = Value(rawValue: name) else {
            throw ValidationError("unknown \(what) '\(name)'; valid: \(Value.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }
}

extension IntegratorKind {
    /// The methods of a comma-separated list (``caseList(_:_:)``).
    static func list(_ text: String) throws -> [IntegratorKind] { try caseList(text, "method") }
}

extension ComparisonRunKind {
    /// The runs of a comma-separated list (``caseList(_:_:)``).
    static func list(_ text: String) throws -> [ComparisonRunKind] { try caseList(text, "run") }
}
