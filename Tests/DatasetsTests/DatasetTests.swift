import Datasets
import Foundation
import Testing

@Suite struct DatasetTests {
    /// 50 one-channel 2 × 2 images, image i filled with i; labels i mod 3 (17, 17, 16 per class).
    static func synthetic(flips: Bool = true) throws -> Dataset {
        try Dataset(name: "synthetic", images: (0..<50).flatMap { [UInt8](repeating: UInt8($0), count: 4) },
                    labels: (0..<50).map { Int32($0 % 3) }, height: 2, width: 2, channels: 1, classCount: 3,
                    horizontalFlipPreservesLabels: flips)
    }

    @Test func splitMix64MatchesPublishedOutputs() {
        // Outputs of Vigna's splitmix64.c for seeds 0 and 1234567.
        var zero = SplitMix64(seed: 0)
        #expect([zero.next(), zero.next(), zero.next()] == [0xE220_A839_7B1D_CDAF, 0x6E78_9E6A_A1B9_65F4,
                                                            0x06C4_5D18_8009_454F])
        var other = SplitMix64(seed: 1_234_567)
        #expect([other.next(), other.next(), other.next()] == [6_457_827_717_110_365_317,
                                                               3_203_168_211_198_807_973,
                                                               9_817_491_932_198_370_423])
    }

    @Test func boundedIntegersAreInRangeAndRoughlyUniform() {
        var generator = SplitMix64(seed: 7)
        var histogram = [Int](repeating: 0, count: 6)
        for _ in 0..<6000 { histogram[generator.nextInt(below: 6)] += 1 }
        #expect(histogram.allSatisfy { abs($0 - 1000) < 150 })
        #expect(generator.nextInt(below: 1) == 0)
    }

    @Test func splitIsDeterministicDisjointCoveringAndStratified() throws {
        let dataset = try Self.synthetic()
        let (training, validation) = try dataset.splitIndices(validationFraction: 0.2, seed: 42)
        #expect(Set(training).isDisjoint(with: validation))
        #expect((training + validation).sorted() == Array(0..<50))
        #expect(training == training.sorted() && validation == validation.sorted())
        // round(0.2 · 17) = 3, round(0.2 · 16) = 3 per class.
        let perClass = (0..<3).map { k in validation.filter { $0 % 3 == k }.count }
        #expect(perClass == [3, 3, 3])

        let again = try dataset.splitIndices(validationFraction: 0.2, seed: 42)
        #expect(again.training == training && again.validation == validation)
        let otherSeed = try dataset.splitIndices(validationFraction: 0.2, seed: 43)
        #expect(otherSeed.validation != validation)

        let (trainingSet, validationSet) = try dataset.split(validationFraction: 0.2, seed: 42)
        #expect(trainingSet.count == 41 && validationSet.count == 9)
        #expect(validationSet.images == validation.flatMap { [UInt8](repeating: UInt8($0), count: 4) })
        #expect(validationSet.labels == validation.map { Int32($0 % 3) })
        #expect(try dataset.splitIndices(validationFraction: 0, seed: 1).validation.isEmpty)
    }

    @Test func invalidArgumentsAreRejected() throws {
        let dataset = try Self.synthetic()
        for fraction in [-0.1, 1, .nan] {
            #expect(throws: DatasetError.self) { try dataset.split(validationFraction: fraction, seed: 1) }
        }
        #expect(throws: DatasetError.indexOutOfRange(operation: "subset(indices:)", index: 50, count: 50)) {
            try dataset.subset(indices: [0, 50])
        }
        #expect(throws: DatasetError.self) {
            try Dataset(name: "x", images: [1, 2, 3], labels: [0], height: 2, width: 2, channels: 1, classCount: 1)
        }
        #expect(throws: DatasetError.labelOutOfRange(path: "x", record: 1, offset: 1, label: 2, valid: 0...1)) {
            try Dataset(name: "x", images: [0, 0], labels: [0, 2], height: 1, width: 1, channels: 1, classCount: 2)
        }
    }

    @Test func subsetKeepsOrderAndRepeats() throws {
        let subset = try Self.synthetic().subset(indices: [4, 1, 4])
        #expect(subset.images == [4, 4, 4, 4, 1, 1, 1, 1, 4, 4, 4, 4])
        #expect(subset.labels == [1, 1, 1])
    }

    /// Two 1 × 2 images of 3 channels, scale 10:
    /// channel 0 = 0, 10, 20, 30; channel 1 = 5 everywhere; channel 2 = 1, 2, 3, 6.
    static func threeChannel() throws -> Dataset {
        try Dataset(name: "rgb", images: [0, 5, 1, 10, 5, 2, 20, 5, 3, 30, 5, 6], labels: [0, 1],
                    height: 1, width: 2, channels: 3, classCount: 2, pixelScale: 10)
    }

    @Test func channelStatisticsMatchAHandComputation() throws {
        let statistics = try Self.threeChannel().channelStatistics()
        // Scaled channel 0: 0, 1, 2, 3 → mean 1.5, variance (2.25 + 0.25 + 0.25 + 2.25)/4 = 1.25.
        // Channel 1: 0.5 constant → sd 0. Channel 2: 0.1, 0.2, 0.3, 0.6 → mean 0.3, variance 0.035.
        let mean = [1.5, 0.5, 0.3]
        let deviation = [(1.25).squareRoot(), 0, (0.035).squareRoot()]
        for c in 0..<3 {
            #expect(abs(statistics.mean[c] - mean[c]) < 1e-12)
            #expect(abs(statistics.standardDeviation[c] - deviation[c]) < 1e-12)
        }
        #expect(statistics.pixelScale == 10)
    }

    @Test func normalizationUsesTheStatistics() throws {
        let dataset = try Self.threeChannel()
        let statistics = try dataset.channelStatistics()
        let batch = try dataset.normalizedBatch(indices: [1, 0], statistics: statistics)
        // Record 1 first (pixels 20,5,3 and 30,5,6), then record 0; constant channel 1 is centred only.
        let raw: [Double] = [20, 5, 3, 30, 5, 6, 0, 5, 1, 10, 5, 2]
        let mean = [1.5, 0.5, 0.3]
        let deviation = [(1.25).squareRoot(), 1, (0.035).squareRoot()]
        #expect(batch.count == 12)
        for k in 0..<12 {
            let expected = (raw[k] / 10 - mean[k % 3]) / deviation[k % 3]
            #expect(abs(Double(batch[k]) - expected) < 1e-5)
        }
        // Normalized training data has mean 0 and sd 1 per non-constant channel.
        let all = try dataset.normalizedBatch(indices: [0, 1], statistics: statistics)
        let channel0 = stride(from: 0, to: 12, by: 3).map { Double(all[$0]) }
        #expect(abs(channel0.reduce(0, +)) < 1e-5)
        #expect(abs(channel0.map { $0 * $0 }.reduce(0, +) / 4 - 1) < 1e-5)

        var generator = SplitMix64(seed: 3)
        var buffer = [Float](repeating: .nan, count: 6)
        try dataset.normalizedBatch(indices: [1], statistics: statistics, generator: &generator, into: &buffer)
        #expect(buffer == Array(batch[0..<6]))
        #expect(generator == SplitMix64(seed: 3))  // no augmentation, no draws

        let wrong = try ChannelStatistics(mean: [0], standardDeviation: [1], pixelScale: 255)
        #expect(throws: DatasetError.self) { try dataset.normalizedBatch(indices: [0], statistics: wrong) }
        #expect(throws: DatasetError.self) { try dataset.normalizedBatch(indices: [2], statistics: statistics) }
    }

    @Test func flipsAreRefusedForDigitLikeData() throws {
        let digitLike = try Self.synthetic(flips: false)
        let statistics = try digitLike.channelStatistics()
        var generator = SplitMix64(seed: 1)
        var buffer = [Float]()
        #expect(throws: DatasetError.flipChangesLabels(dataset: "synthetic")) {
            try digitLike.normalizedBatch(indices: [0], statistics: statistics,
                                          augmentation: Augmentation(padding: 1, horizontalFlip: true),
                                          generator: &generator, into: &buffer)
        }
        #expect(Augmentation.standard(for: digitLike) == .none)
        try digitLike.normalizedBatch(indices: [0, 1], statistics: statistics, augmentation: Augmentation(padding: 1),
                                      generator: &generator, into: &buffer)
        #expect(buffer.count == 8)
    }
}
