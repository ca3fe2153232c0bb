import Datasets
public import Foundation

/// Where a run's images come from (typed: no string is dispatched after parsing).
///
/// Command-line form (``init(argument:)``): `digits`, `fashion-mnist`, `idx:<images>,<labels>`,
/// `cifar10:<folder>`. JSON form (`Codable`): `{"kind":"digits"}`, `{"kind":"idx","images":…,"labels":…}`,
/// `{"kind":"cifar10","folder":…}`.
public enum DatasetSource: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The 1 797 embedded 8 × 8 digits (`Dataset.digits()`, a resource of the library), split by
    /// ``DataConfiguration/testFraction``.
    case digits
    /// Fashion-MNIST from Debian's `dataset-fashion-mnist` (official 60 000 / 10 000 split).
    case fashionMNIST
    /// An IDX image file and an IDX label file (MNIST layout, raw or gzip), split by
    /// ``DataConfiguration/testFraction``.
    case idx(images: String, labels: String)
    /// The CIFAR-10 binary folder (`data_batch_1…5.bin`, `test_batch.bin`; official split).
    case cifar10(folder: String)

    /// The schemes of the command-line form, e.g. `idx` in `idx:a,b`.
    public enum Scheme: String, Sendable, CaseIterable {
        case digits
        case fashionMNIST = "fashion-mnist"
        case idx
        case cifar10
    }

    /// The command-line forms, for help texts and errors.
    public static let argumentForms = "digits | fashion-mnist | idx:<images>,<labels> | cifar10:<folder>"

    /// Parses the command-line form.
    ///
    /// - Parameter argument: e.g. `digits` or `idx:train-images.gz,train-labels.gz`.
    /// - Throws: ``TrainingError/invalidConfiguration(name:value:expected:)`` naming the valid forms
    ///   for an unknown scheme, a missing or extra part, or an empty path.
    public init(argument: String) throws {
        let parts = argument.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard let scheme = Scheme(rawValue: parts[0]) else {
            throw TrainingError.invalidConfiguration(name: "dataset", value: argument, expected: Self.argumentForms)
        }
        let rest = parts.count == 2 ? parts[1] : nil
        switch scheme {
        case .digits, .fashionMNIST:
            guard rest == nil else {
                throw TrainingError.invalidConfiguration(name: "dataset", value: argument,
                                                         expected: "\(scheme.rawValue) without ':'")
            }
            self = scheme == .digits ? .digits : .fashionMNIST
        case .idx:
            let paths = (rest ?? "").split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard paths.count == 2, paths.allSatisfy({ !$0.isEmpty }) else {
                throw TrainingError.invalidConfiguration(name: "dataset", value: argument, expected: "idx:<images>,<labels>")
            }
            self = .idx(images: paths[0], labels: paths[1])
        case .cifar10:
            guard let rest, !rest.isEmpty else {
                throw TrainingError.invalidConfiguration(name: "dataset", value: argument, expected: "cifar10:<folder>")
            }
            self = .cifar10(folder: rest)
        }
    }

    /// The command-line form (``init(argument:)`` parses it back).
    public var description: String {
        switch self {
        case .digits: return Scheme.digits.rawValue
        case .fashionMNIST: return Scheme.fashionMNIST.rawValue
        case let .idx(images, labels): return "idx:\(images),\(labels)"
        case let .cifar10(folder): return "cifar10:\(folder)"
        }
    }

    /// The same source with its paths made absolute (against the current directory) and
    /// standardized, so a recorded configuration names the same files from any directory.
    public var withAbsolutePaths: DatasetSource {
        func absolute(_ path: String) -> String { URL(fileURLWithPath: path).standardizedFileURL.path }
        switch self {
        case .digits, .fashionMNIST: return self
        case let .idx(images, labels): return .idx(images: absolute(images), labels: absolute(labels))
        case let .cifar10(folder): return .cifar10(folder: absolute(folder))
        }
    }

    /// Whether the set has an official test split (else ``DataConfiguration/testFraction`` holds
    /// one out).
    public var hasOfficialTestSplit: Bool {
        switch self {
        case .digits, .idx: return false
        case .fashionMNIST, .cifar10: return true
        }
    }

    private enum CodingKeys: String, CodingKey { case kind, images, labels, folder }

    /// Decodes the JSON form.
    ///
    /// - Throws: `DecodingError.dataCorrupted` naming the valid kinds for an unknown `kind`;
    ///   `DecodingError.keyNotFound` for a missing path.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let name = try c.decode(String.self, forKey: .kind)
        guard let scheme = Scheme(rawValue: name) else {
            throw DecodingError.dataCorruptedError(
                forKey: .kind, in: c,
                debugDescription: "unknown kind '\(name)'; valid: \(Scheme.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        switch scheme {
        case .digits: self = .digits
        case .fashionMNIST: self = .fashionMNIST
        case .idx: self = .idx(images: try c.decode(String.self, forKey: .images), labels: try c.decode(String.self, forKey: .labels))
        case .cifar10: self = .cifar10(folder: try c.decode(String.self, forKey: .folder))
        }
    }

    /// Encodes the JSON form.
    ///
    /// - Throws: `EncodingError`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .digits: try c.encode(Scheme.digits.rawValue, forKey: .kind)
        case .fashionMNIST: try c.encode(Scheme.fashionMNIST.rawValue, forKey: .kind)
        case let .idx(images, labels):
            try c.encode(Scheme.idx.rawValue, forKey: .kind)
            try c.encode(images, forKey: .images)
            try c.encode(labels, forKey: .labels)
        case let .cifar10(folder):
            try c.encode(Scheme.cifar10.rawValue, forKey: .kind)
            try c.encode(folder, forKey: .folder)
        }
    }

    /// The kernel threads a run uses when none are given: 1 for the 8 × 8 digits (kernels too small
    /// to gain from threads; spinning OpenMP threads on a loaded machine make timings erratic),
    /// every core otherwise.
    public var defaultThreadCount: Int {
        switch self {
        case .digits: return 1
        case .fashionMNIST, .idx, .cifar10: return ProcessInfo.processInfo.activeProcessorCount
        }
    }
}

/// Which images a run trains, validates and tests on: the source and how it is split.
///
/// Part of ``RunConfiguration``; ``load(digitsFolder:)`` turns it into ``TrainingData``.
public struct DataConfiguration: Sendable, Hashable, Codable {
    /// The images.
    public var source: DatasetSource
    /// Classes `K` of an `idx` source (labels must be in `0..<K`); `nil` for the others (10 each).
    public var classes: Int?
    /// Share of each class held out for testing, for sources without a test split (digits, idx).
    public var testFraction: Double
    /// Share of the training part held out for validation (0: none).
    public var validationFraction: Double
    /// Seeded stratified share of the official training images kept (fashion-mnist, cifar10), in (0, 1].
    public var trainingSubset: Double
    /// The seed of the splits.
    public var seed: UInt64

    /// The class count of an `idx` source without ``classes``: the MNIST family's 10.
    public static let defaultIDXClassCount = 10

    /// Creates a data configuration; the defaults are the command line's.
    public init(source: DatasetSource = .digits, classes: Int? = nil, testFraction: Double = 0.2,
                validationFraction: Double = 0, trainingSubset: Double = 1, seed: UInt64 = 1) {
        self.source = source
        self.classes = classes
        self.testFraction = testFraction
        self.validationFraction = validationFraction
        self.trainingSubset = trainingSubset
        self.seed = seed
    }

    private enum CodingKeys: String, CodingKey {
        case source, classes, testFraction, validationFraction, trainingSubset, seed
    }

    /// Decodes every field (`classes` may be `null` or absent).
    ///
    /// - Throws: `DecodingError` naming the field.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        source = try c.decode(DatasetSource.self, forKey: .source)
        classes = try c.decodeIfPresent(Int.self, forKey: .classes)
        testFraction = try c.decode(Double.self, forKey: .testFraction)
        validationFraction = try c.decode(Double.self, forKey: .validationFraction)
        trainingSubset = try c.decode(Double.self, forKey: .trainingSubset)
        seed = try c.decode(UInt64.self, forKey: .seed)
    }

    /// Encodes every field, `classes` as `null` when it does not apply.
    ///
    /// - Throws: `EncodingError`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(source, forKey: .source)
        try c.encode(classes, forKey: .classes)
        try c.encode(testFraction, forKey: .testFraction)
        try c.encode(validationFraction, forKey: .validationFraction)
        try c.encode(trainingSubset, forKey: .trainingSubset)
        try c.encode(seed, forKey: .seed)
    }

    /// Checks the fields that do not need the files.
    ///
    /// - Throws: ``TrainingError/invalidConfiguration(name:value:expected:)`` for `classes` on a
    ///   source other than `idx` or below 2, a training subset outside (0, 1], or fractions outside
    ///   their ranges.
    public func validate() throws {
        if let classes {
            guard case .idx = source else {
                throw TrainingError.invalidConfiguration(name: "classes", value: "\(classes)",
                                                         expected: "only for idx sources (the others have 10)")
            }
            guard (2...65536).contains(classes) else {
                throw TrainingError.invalidConfiguration(name: "classes", value: "\(classes)", expected: "≥ 2 and ≤ 65536")
            }
        }
        guard trainingSubset > 0, trainingSubset <= 1 else {
            throw TrainingError.invalidConfiguration(name: "training subset", value: "\(trainingSubset)", expected: "in (0, 1]")
        }
        guard validationFraction >= 0, validationFraction < 1 else {
            throw TrainingError.invalidConfiguration(name: "validation fraction", value: "\(validationFraction)",
                                                     expected: "in [0, 1)")
        }
        if !source.hasOfficialTestSplit {
            guard testFraction > 0, testFraction + validationFraction < 1 else {
                throw TrainingError.invalidConfiguration(
                    name: "test/validation fractions", value: "\(testFraction)/\(validationFraction)",
                    expected: "test > 0, validation ≥ 0, sum < 1")
            }
        }
    }

    /// Loads the images and splits them.
    ///
    /// - Parameter digitsFolder: for ``DatasetSource/digits``: a folder holding the digits' IDX files,
    ///   or `nil` (the default) for the copy bundled with the library (`Dataset.bundledDigitsFolder()`);
    ///   ignored by the other sources.
    /// - Returns: the parts, normalized with the training part's statistics, and a one-line
    ///   description of how they were split.
    /// - Throws: ``TrainingError/invalidConfiguration(name:value:expected:)`` (see ``validate()``);
    ///   every `DatasetError` of the readers (missing, truncated or corrupt file, label ≥ `K`, the
    ///   bundled digits not found, …).
    public func load(digitsFolder: URL? = nil) throws -> (data: TrainingData, description: String) {
        try validate()
        let whole: Dataset
        switch source {
        case .digits:
            whole = try digitsFolder.map(Dataset.digits(folder:)) ?? Dataset.digits()
        case let .idx(images, labels):
            whole = try IDX.load(images: URL(fileURLWithPath: images), labels: URL(fileURLWithPath: labels),
                                 classCount: classes ?? Self.defaultIDXClassCount)
        case .fashionMNIST:
            return try official(training: Dataset.fashionMNIST(training: true), test: Dataset.fashionMNIST(training: false))
        case let .cifar10(folder):
            let url = URL(fileURLWithPath: folder)
            return try official(
                training: CIFAR.loadCIFAR10((1...5).map { url.appendingPathComponent("data_batch_\($0).bin") }),
                test: CIFAR.loadCIFAR10([url.appendingPathComponent("test_batch.bin")]))
        }
        let data = try TrainingData.split(whole, testFraction: testFraction, validationFraction: validationFraction,
                                          seed: seed)
        return (data, "\(whole.name): seeded stratified split (seed \(seed)), test \(testFraction), "
                + "validation \(validationFraction) of \(whole.count) images, \(whole.classCount) classes")
    }

    /// A set with an official split: the training subset, then the validation part held out.
    private func official(training: Dataset, test: Dataset) throws -> (data: TrainingData, description: String) {
        var training = training
        var subsetNote = ""
        if trainingSubset < 1 {
            // A seeded stratified share of the training images: `split` puts that share of every
            // class in its validation part, which is the part kept here.
            let whole = training.count
            training = try training.split(validationFraction: trainingSubset, seed: seed).validation
            subsetNote = ", a seeded stratified \(trainingSubset) of the \(whole) training images (\(training.count))"
        }
        let data = try TrainingData(training: training, test: test).holdingOutValidation(fraction: validationFraction,
                                                                                           seed: seed)
        return (data, "\(training.name) / \(test.name): official split\(subsetNote), validation \(validationFraction) of training")
    }
}
