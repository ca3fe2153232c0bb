@testable import Datasets
import Foundation
import Testing

@Suite struct BundledDatasetTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func digitsFromTheCommittedFiles() throws {
        let digits = try Dataset.digits(in: Self.repositoryRoot)
        #expect(digits.count == 1797)
        #expect(digits.height == 8 && digits.width == 8 && digits.channels == 1)
        #expect(digits.classCount == 10 && digits.pixelScale == 16 && !digits.horizontalFlipPreservesLabels)
        #expect(digits.images.min() == 0 && digits.images.max() == 16)
        let histogram = digits.classHistogram
        #expect(histogram.reduce(0, +) == 1797)
        #expect(histogram.allSatisfy { $0 > 150 })  // sklearn's digits: 174–183 per class

        // Independent read of the labels file: 8 header bytes, then one byte per label.
        let rawLabels = try [UInt8](Data(contentsOf: Self.repositoryRoot
            .appendingPathComponent("Sources/Datasets/Resources/digits/digits-labels-idx1-ubyte")))
        #expect(Array(rawLabels[0..<8]) == [0, 0, 8, 1, 0, 0, 0x07, 0x05])  // 1797 = 0x0705
        #expect(digits.labels == rawLabels[8...].map { Int32($0) })

        let (training, validation) = try digits.split(validationFraction: 0.2, seed: 2018)
        #expect(training.count + validation.count == 1797)
        let expected = histogram.map { Int((0.2 * Double($0)).rounded()) }
        #expect(validation.classHistogram == expected)
    }

    /// `Dataset.digits()` needs no path: SwiftPM copies the resource bundle beside the test bundle,
    /// as beside every executable it builds (the `mlresnet` side: `BundledDigitsCommandTests`).
    @Test func digitsFromTheResourceBundle() throws {
        let folder = try Dataset.bundledDigitsFolder()
        #expect(folder.pathComponents.contains("MultilevelResNet_Datasets.resources"))
        #expect(folder.standardizedFileURL.path != Self.repositoryRoot
            .appendingPathComponent("Sources/Datasets/Resources/digits").standardizedFileURL.path)
        let bundled = try Dataset.digits()
        let committed = try Dataset.digits(in: Self.repositoryRoot)
        #expect(bundled.count == 1797 && bundled.name == "digits")
        #expect(bundled.images == committed.images && bundled.labels == committed.labels)
    }

    /// Nowhere to be found: a typed error listing every place searched (each once), not a crash.
    @Test func bundledDataNowhereIsATypedError() throws {
        let places = ["/nonexistent/a.resources/digits", "/nonexistent/b", "/nonexistent/a.resources/digits"]
            .map { URL(fileURLWithPath: $0) }
        let error = try datasetError {
            _ = try Dataset.firstFolder(holding: "digits-labels-idx1-ubyte", in: places, dataset: "digits")
        }
        #expect(error == .bundledDataNotFound(dataset: "digits",
                                              searched: ["/nonexistent/a.resources/digits", "/nonexistent/b"]))
        #expect(error.description.contains("/nonexistent/b") && error.description.contains("digits"))
        // The default places end with the sources the library was built from, which exist here.
        let candidates = Dataset.digitsCandidates()
        #expect(candidates.last?.standardizedFileURL.path == Self.repositoryRoot
            .appendingPathComponent("Sources/Datasets/Resources/digits").standardizedFileURL.path)
    }

    @Test func digitsInAMissingFolderIsFileNotFound() throws {
        let folder = URL(fileURLWithPath: "/nonexistent/datasets/digits")
        let error = try datasetError { _ = try Dataset.digits(folder: folder) }
        #expect(error == .fileNotFound(path: folder.appendingPathComponent("digits-images-idx3-ubyte").path))
    }

    static let fashionTestImages = Dataset.fashionMNISTFolder.appendingPathComponent("t10k-images-idx3-ubyte.gz")

    @Test(.enabled(if: FileManager.default.fileExists(atPath: fashionTestImages.path),
                   "Debian dataset-fashion-mnist is not installed"))
    func fashionMNISTTestSetIfInstalled() throws {
        let header = try IDX.read(Self.fashionTestImages, expectedDimensionCount: 3)
        #expect(header.dimensions == [10_000, 28, 28])
        let test = try Dataset.fashionMNIST(training: false)
        #expect(test.count == 10_000 && test.height == 28 && test.width == 28 && test.channels == 1)
        #expect(test.classHistogram == [Int](repeating: 1000, count: 10))  // the test set is balanced
    }
}
