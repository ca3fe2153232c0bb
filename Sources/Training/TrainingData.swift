public import Datasets

/// The datasets of one training run: the part trained on, an optional validation part (held out
/// of the training set, watched by plateau rules) and an optional test part (reported only), with
/// the per-channel statistics every part is normalized with.
///
/// Invariants: all parts share height, width, channels and class count; `statistics` has
/// `channels` entries (by default those of `training`, so no test information leaks into the
/// normalization).
public struct TrainingData: Sendable {
    /// The images trained on.
    public let training: Dataset
    /// Held-out images for model selection (plateau rules), if any.
    public let validation: Dataset?
    /// Test images, evaluated after every epoch and reported, never used for a decision.
    public let test: Dataset?
    /// The normalization of every part.
    public let statistics: ChannelStatistics

    /// Bundles the parts of a run.
    ///
    /// - Parameters:
    ///   - training: a non-empty dataset.
    ///   - validation: held-out images, or `nil`.
    ///   - test: test images, or `nil`.
    ///   - statistics: the normalization; default `training.channelStatistics()`.
    /// - Throws: ``TrainingError/incompatibleData(dataset:message:)`` for an empty training part or
    ///   a part of another geometry; `DatasetError` from the statistics.
    public init(training: Dataset, validation: Dataset? = nil, test: Dataset? = nil,
                statistics: ChannelStatistics? = nil) throws {
        guard training.count > 0 else {
            throw TrainingError.incompatibleData(dataset: training.name, message: "no training images")
        }
        for part in [validation, test].compactMap({ $0 }) {
            guard part.height == training.height, part.width == training.width, part.channels == training.channels,
                  part.classCount == training.classCount else {
                throw TrainingError.incompatibleData(
                    dataset: part.name,
                    message: "\(part.height)×\(part.width)×\(part.channels), \(part.classCount) classes; the training "
                        + "part \(training.name) is \(training.height)×\(training.width)×\(training.channels), "
                        + "\(training.classCount) classes")
            }
        }
        self.training = training
        self.validation = validation
        self.test = test
        self.statistics = try statistics ?? training.channelStatistics()
    }

    /// Splits `dataset` into training, validation and test parts by seeded stratified splits
    /// (for a set without an official test split, such as the digits).
    ///
    /// Rule: first `Dataset.split(validationFraction: testFraction, seed: seed)` gives
    /// (rest, test); then `rest.split(validationFraction: validationFraction / (1 − testFraction),
    /// seed: seed &+ 1)` gives (training, validation), so `validationFraction` is a share of the
    /// whole set.
    ///
    /// - Parameters:
    ///   - dataset: the whole set.
    ///   - testFraction: the share of each class held out for testing, in `(0, 1)`.
    ///   - validationFraction: the share held out for validation, ≥ 0, with the test share < 1.
    ///   - seed: the split seed.
    /// - Returns: the parts, normalized with the training part's statistics.
    /// - Throws: ``TrainingError/invalidConfiguration(name:value:expected:)`` for bad fractions;
    ///   `DatasetError` from the splits.
    public static func split(_ dataset: Dataset, testFraction: Double, validationFraction: Double = 0,
                             seed: UInt64) throws -> TrainingData {
        guard testFraction > 0, validationFraction >= 0, testFraction + validationFraction < 1 else {
            throw TrainingError.invalidConfiguration(
                name: "test/validation fractions", value: "\(testFraction)/\(validationFraction)",
                expected: "test > 0, validation ≥ 0, sum < 1")
        }
        let (rest, test) = try dataset.split(validationFraction: testFraction, seed: seed)
        if validationFraction == 0 { return try TrainingData(training: rest, test: test) }
        let (training, validation) = try rest.split(validationFraction: validationFraction / (1 - testFraction),
                                                    seed: seed &+ 1)
        return try TrainingData(training: training, validation: validation, test: test)
    }

    /// Adds a validation part held out of `training` (a seeded stratified split).
    ///
    /// - Parameters:
    ///   - fraction: share of the training part held out, in `[0, 1)`; 0 returns `self`.
    ///   - seed: the split seed.
    /// - Returns: the data with the new training and validation parts (statistics recomputed).
    /// - Throws: `DatasetError` from the split; ``TrainingError`` as ``init(training:validation:test:statistics:)``.
    public func holdingOutValidation(fraction: Double, seed: UInt64) throws -> TrainingData {
        guard fraction > 0 else { return self }
        let (training, validation) = try training.split(validationFraction: fraction, seed: seed)
        return try TrainingData(training: training, validation: validation, test: test)
    }
}
