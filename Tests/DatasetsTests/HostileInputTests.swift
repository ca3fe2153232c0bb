import Datasets
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Inputs built to break the readers and the size arithmetic: each must throw a typed
/// ``DatasetError`` naming the file or field, never trap, block or inflate gigabytes.
@Suite struct HostileInputTests {
    // MARK: - Size arithmetic (overflow-checked)

    @Test func datasetGeometryWhoseSizeOverflowsThrows() throws {
        let error = try datasetError {
            _ = try Dataset(name: "x", images: [], labels: [0], height: Int.max, width: 2, channels: 1, classCount: 2)
        }
        guard case let .invalidShape(field, _, got) = error else { Issue.record("\(error)"); return }
        #expect(field == "images.count" && got.contains("overflows"))
        // With no images the per-image size must still fit (imageSize would trap later).
        #expect(throws: DatasetError.self) {
            try Dataset(name: "x", images: [], labels: [], height: Int.max, width: 2, channels: 1, classCount: 2)
        }
    }

    @Test func augmentationWithHugePaddingOrGeometryThrows() throws {
        var generator = SplitMix64(seed: 1)
        let image = [UInt8](repeating: 7, count: 4)
        let padding = try datasetError {
            _ = try Augmentation(padding: Int.max / 2 + 1).apply(to: image, height: 2, width: 2, channels: 1,
                                                                   generator: &generator)
        }
        guard case let .invalidArgument(_, message) = padding else { Issue.record("\(padding)"); return }
        #expect(message.contains("padding"))
        #expect(throws: DatasetError.self) {
            _ = try Augmentation(padding: 1).apply(to: image, height: Int.max, width: 2, channels: 1,
                                                   generator: &generator)
        }
        // A padding equal to the image size is still allowed.
        let padded = try Augmentation(padding: 2).apply(to: image, height: 2, width: 2, channels: 1,
                                                        generator: &generator)
        #expect(padded.count == 4)
    }

    // MARK: - Non-regular files

    @Test func fifoDeviceAndDanglingLinkAreNotRegularFiles() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let fifo = folder.url.appendingPathComponent("fifo")
        try #require(mkfifo(fifo.path, 0o600) == 0)
        let link = folder.url.appendingPathComponent("dangling")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: folder.url.path + "/absent")
        let cases: [(URL, String)] = [(fifo, "a named pipe (FIFO)"), (URL(fileURLWithPath: "/dev/zero"), "a character device"),
                                      (link, "a dangling symbolic link"), (folder.url, "a directory")]
        for (url, kind) in cases {
            let error = try datasetError { _ = try IDX.read(url, expectedDimensionCount: 1) }
            #expect(error == .readFailed(path: url.path, message: "not a regular file: it is \(kind)"))
            #expect(error.description.contains(url.path))
        }
    }

    // MARK: - IDX

    @Test func zeroHeightNamesTheImagesFile() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let images = try folder.write("images.idx", idxBytes(dimensions: [1, 0, 2], data: []))
        let labels = try folder.write("labels.idx", idxBytes(dimensions: [1], data: [0]))
        let error = try datasetError { _ = try IDX.load(images: images, labels: labels, classCount: 1) }
        #expect(error.description.contains(images.path))
        #expect(error.description.contains("height"))
    }

    @Test func corruptLabelIsNotInferredAsAClass() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let labelBytes: [UInt8] = [0, 1, 2, 255, 1]
        let images = try folder.write("images.idx", idxBytes(dimensions: [5, 1, 1], data: [1, 2, 3, 4, 5]))
        let labels = try folder.write("labels.idx", idxBytes(dimensions: [5], data: labelBytes))
        let error = try datasetError { _ = try IDX.load(images: images, labels: labels) }
        guard case let .invalidArgument(_, message) = error else { Issue.record("\(error)"); return }
        for part in [labels.path, "class 3 never occurs", "255", "record 3", "offset 11"] {
            #expect(message.contains(part), "\(part) in \(message)")
        }
        // Stating the class count explicitly accepts the same file.
        #expect(try IDX.load(images: images, labels: labels, classCount: 256).classCount == 256)
    }

    // MARK: - Gzip bombs

    /// A member announcing a 1 × 2 × 2 IDX file, then a second member that is corrupt: the reader
    /// stops one byte past the announced size and never inflates (or even looks at) the rest.
    @Test func inflationStopsAtTheAnnouncedSize() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let idx = idxBytes(dimensions: [1, 2, 2], data: [10, 20, 30, 40])
        let garbage: [UInt8] = [0x1F, 0x8B, 0x08, 0x00] + [UInt8](repeating: 0xFF, count: 64)
        let url = try folder.write("bomb.idx.gz", try gzip(idx + [UInt8](repeating: 0, count: 1000)) + garbage)
        let array = try IDX.read(url, expectedDimensionCount: 3)
        #expect(array.dimensions == [1, 2, 2])
        #expect(array.values == [10, 20, 30, 40])
        // Control: when the header announces more than the first member holds, inflation goes on
        // into the corrupt member and reports it.
        let longer = idxBytes(dimensions: [1, 40, 40], data: [UInt8](repeating: 0, count: 1000))
        let control = try folder.write("control.idx.gz", try gzip(longer) + garbage)
        let error = try datasetError { _ = try IDX.read(control, expectedDimensionCount: 3) }
        if case .corruptGzip = error {} else { Issue.record("\(error)") }
    }

    /// 16 MiB of compressed zeros after a valid header read as the announced 4 bytes.
    @Test func smallHeaderWithManyZerosReadsOnlyThePayload() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let idx = idxBytes(dimensions: [1, 2, 2], data: [1, 2, 3, 4]) + [UInt8](repeating: 0, count: 1 << 24)
        let url = try folder.write("zeros.idx.gz", try gzip(idx))
        let array = try IDX.read(url, expectedDimensionCount: 3)
        #expect(array.values == [1, 2, 3, 4])
    }
}
