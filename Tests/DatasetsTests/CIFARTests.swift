import Datasets
import Foundation
import Testing

@Suite struct CIFARTests {
    /// The test's pixel pattern: channel `ch`, row `r`, column `c` of record `i`.
    static func value(_ i: Int, _ ch: Int, _ r: Int, _ c: Int) -> UInt8 {
        UInt8((i * 7 + ch * 3 + r * 5 + c) % 256)
    }

    /// One record in the official binary layout: label bytes, then 1024 R, 1024 G, 1024 B (CHW).
    static func record(_ i: Int, labels: [UInt8]) -> [UInt8] {
        var bytes = labels
        for ch in 0..<3 {
            for r in 0..<32 {
                for c in 0..<32 { bytes.append(value(i, ch, r, c)) }
            }
        }
        return bytes
    }

    /// Checks every pixel of `dataset` against the pattern through the NHWC index formula.
    static func expectPattern(_ dataset: Dataset) {
        var mismatches = 0
        for i in 0..<dataset.count {
            for r in 0..<32 {
                for c in 0..<32 {
                    for ch in 0..<3 where dataset.images[((i * 32 + r) * 32 + c) * 3 + ch] != value(i, ch, r, c) {
                        mismatches += 1
                    }
                }
            }
        }
        #expect(mismatches == 0)
    }

    @Test func cifar10BatchesAreConcatenatedAndConvertedToNHWC() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let first = try folder.write("data_batch_1.bin", Self.record(0, labels: [3]) + Self.record(1, labels: [9]))
        let second = try folder.write("data_batch_2.bin", Self.record(2, labels: [0]))
        #expect(try Data(contentsOf: first).count == 2 * 3073)
        let dataset = try CIFAR.loadCIFAR10([first, second])
        #expect(dataset.count == 3 && dataset.height == 32 && dataset.width == 32 && dataset.channels == 3)
        #expect(dataset.classCount == 10 && dataset.horizontalFlipPreservesLabels)
        #expect(dataset.labels == [3, 9, 0])
        Self.expectPattern(dataset)
        // Spot check by hand: record 1, row 2, column 3, green = (7 + 3 + 10 + 3) = 23.
        #expect(dataset.images[((1 * 32 + 2) * 32 + 3) * 3 + 1] == 23)
    }

    @Test(arguments: [CIFAR.LabelKind.fine, .coarse])
    func cifar100ChoosesFineOrCoarseLabels(kind: CIFAR.LabelKind) throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let url = try folder.write("train.bin", Self.record(0, labels: [5, 42]) + Self.record(1, labels: [19, 99])
            + Self.record(2, labels: [0, 7]))
        let dataset = try CIFAR.loadCIFAR100([url], labels: kind)
        #expect(dataset.count == 3)
        switch kind {
        case .fine:
            #expect(dataset.classCount == 100 && dataset.labels == [42, 99, 7])
        case .coarse:
            #expect(dataset.classCount == 20 && dataset.labels == [5, 19, 0])
        }
        Self.expectPattern(dataset)
    }

    @Test func truncatedRecordNamesFileAndOffset() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let bytes = Self.record(0, labels: [1]) + Self.record(1, labels: [2]) + Array(repeating: 0, count: 100)
        let url = try folder.write("short.bin", bytes)
        let error = try datasetError { _ = try CIFAR.loadCIFAR10([url]) }
        #expect(error == .truncated(path: url.path, field: "record 2", offset: 6146, expectedBytes: 3073,
                                    availableBytes: 100))
        #expect(error.description.contains(url.path) && error.description.contains("6146"))

        let empty = try folder.write("empty.bin", [])
        let error2 = try datasetError { _ = try CIFAR.loadCIFAR100([empty]) }
        #expect(error2 == .truncated(path: empty.path, field: "record 0", offset: 0, expectedBytes: 3074,
                                     availableBytes: 0))
    }

    @Test func labelsOutOfRangeNameTheRecord() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let ten = try folder.write("ten.bin", Self.record(0, labels: [9]) + Self.record(1, labels: [10]))
        let error = try datasetError { _ = try CIFAR.loadCIFAR10([ten]) }
        #expect(error == .labelOutOfRange(path: ten.path, record: 1, offset: 3073, label: 10, valid: 0...9))
        #expect(error.description.contains(ten.path))

        let fine = try folder.write("fine.bin", Self.record(0, labels: [3, 100]))
        let error2 = try datasetError { _ = try CIFAR.loadCIFAR100([fine], labels: .coarse) }
        #expect(error2 == .labelOutOfRange(path: fine.path, record: 0, offset: 1, label: 100, valid: 0...99))
        let coarse = try folder.write("coarse.bin", Self.record(0, labels: [20, 3]))
        let error3 = try datasetError { _ = try CIFAR.loadCIFAR100([coarse]) }
        #expect(error3 == .labelOutOfRange(path: coarse.path, record: 0, offset: 0, label: 20, valid: 0...19))
    }

    @Test func missingFileAndEmptyList() throws {
        let missing = URL(fileURLWithPath: "/nonexistent/data_batch_9.bin")
        let error = try datasetError { _ = try CIFAR.loadCIFAR10([missing]) }
        #expect(error == .fileNotFound(path: missing.path))
        #expect(error.description.contains(missing.path))
        let error2 = try datasetError { _ = try CIFAR.loadCIFAR10([]) }
        guard case .invalidArgument = error2 else { Issue.record("got \(error2)"); return }
    }
}
