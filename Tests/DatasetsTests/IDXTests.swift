import Datasets
import Foundation
import Testing

@Suite struct IDXTests {
    /// 3 images of 2 × 4 with pixel (i, y, x) = 10 i + 4 y + x + 1, labels 2, 0, 1.
    static let dims = [3, 2, 4]
    static let pixels: [UInt8] = (0..<24).map { (k: Int) -> UInt8 in
        let i = k / 8, y = (k / 4) % 2, x = k % 4
        return UInt8(10 * i + 4 * y + x + 1)
    }
    static let labelValues: [UInt8] = [2, 0, 1]

    @Test(arguments: [false, true])
    func roundTrip(compressed: Bool) throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        var imageBytes = idxBytes(dimensions: Self.dims, data: Self.pixels)
        var labelBytes = idxBytes(dimensions: [3], data: Self.labelValues)
        #expect(Array(imageBytes[0..<4]) == [0, 0, 8, 3])  // 0x00000803
        #expect(Array(labelBytes[0..<4]) == [0, 0, 8, 1])  // 0x00000801
        if compressed {
            imageBytes = try gzip(imageBytes)
            labelBytes = try gzip(labelBytes)
            #expect(imageBytes[0] == 0x1F && imageBytes[1] == 0x8B)
        }
        let images = try folder.write("images", imageBytes)
        let labels = try folder.write("labels", labelBytes)

        let array = try IDX.read(images, expectedDimensionCount: 3)
        #expect(array.dimensions == Self.dims)
        #expect(array.values == Self.pixels)
        #expect(array.dataOffset == 16)

        let dataset = try IDX.load(images: images, labels: labels)
        #expect(dataset.count == 3 && dataset.height == 2 && dataset.width == 4 && dataset.channels == 1)
        #expect(dataset.classCount == 3)  // inferred: max label + 1
        #expect(dataset.labels == [2, 0, 1])
        for i in 0..<3 {
            for y in 0..<2 {
                for x in 0..<4 {
                    #expect(dataset.images[(i * 2 + y) * 4 + x] == UInt8(10 * i + 4 * y + x + 1))
                }
            }
        }
        #expect(try IDX.load(images: images, labels: labels, classCount: 7).classCount == 7)
    }

    @Test func multiMemberGzipIsConcatenated() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let whole = idxBytes(dimensions: Self.dims, data: Self.pixels)
        let url = try folder.write("two-members.gz", try gzip(Array(whole[0..<10])) + gzip(Array(whole[10...])))
        #expect(try IDX.read(url, expectedDimensionCount: 3).values == Self.pixels)
    }

    @Test func malformedHeadersAreRejected() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let badMagic = try folder.write("bad-magic", [0x12, 0x34] + idxBytes(dimensions: [1], data: [0]).dropFirst(2))
        let error1 = try datasetError { _ = try IDX.read(badMagic, expectedDimensionCount: 1) }
        guard case .badMagic(let path, let offset, _, let got) = error1 else {
            Issue.record("got \(error1)"); return
        }
        #expect(path == badMagic.path && offset == 0 && got == "0x12340801")
        #expect(error1.description.contains(badMagic.path))

        let float = try folder.write("float", idxBytes(type: 0x0D, dimensions: [1], data: [0, 0, 0, 0]))
        let error2 = try datasetError { _ = try IDX.read(float, expectedDimensionCount: 1) }
        #expect(error2 == .unsupportedDataType(path: float.path, offset: 2, got: 0x0D))
        #expect(error2.description.contains(float.path) && error2.description.contains("0x0D"))

        let labelsAsImages = try folder.write("labels", idxBytes(dimensions: [3], data: Self.labelValues))
        let error3 = try datasetError { _ = try IDX.read(labelsAsImages, expectedDimensionCount: 3) }
        #expect(error3 == .wrongDimensionCount(path: labelsAsImages.path, offset: 3, expected: 3, got: 1))
        #expect(error3.description.contains(labelsAsImages.path))

        let shortHeader = try folder.write("short-header", [0, 0, 8, 3, 0, 0, 0, 3, 0, 0])
        let error4 = try datasetError { _ = try IDX.read(shortHeader, expectedDimensionCount: 3) }
        #expect(error4 == .truncated(path: shortHeader.path, field: "dimension 1", offset: 8,
                                     expectedBytes: 4, availableBytes: 2))
    }

    @Test(arguments: [false, true])
    func truncatedPayloadNamesOffsetAndSizes(compressed: Bool) throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        // The header announces 3 × 2 × 4 = 24 bytes of data; only 20 follow.
        let short = idxBytes(dimensions: Self.dims, data: Array(Self.pixels[0..<20]))
        let url = try folder.write("short", compressed ? try gzip(short) : short)
        let error = try datasetError { _ = try IDX.read(url, expectedDimensionCount: 3) }
        let path = compressed ? url.path + " (decompressed)" : url.path
        #expect(error == .truncated(path: path, field: "data [3 × 2 × 4]", offset: 16,
                                    expectedBytes: 24, availableBytes: 20))
        #expect(error.description.contains(url.path))
    }

    @Test func countMismatchAndLabelRange() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let images = try folder.write("images", idxBytes(dimensions: Self.dims, data: Self.pixels))
        let twoLabels = try folder.write("two-labels", idxBytes(dimensions: [2], data: [0, 1]))
        let error1 = try datasetError { _ = try IDX.load(images: images, labels: twoLabels) }
        #expect(error1 == .countMismatch(imagesPath: images.path, labelsPath: twoLabels.path,
                                         imageCount: 3, labelCount: 2))
        #expect(error1.description.contains(images.path) && error1.description.contains(twoLabels.path))

        let labels = try folder.write("labels", idxBytes(dimensions: [3], data: [1, 0, 5]))
        let error2 = try datasetError { _ = try IDX.load(images: images, labels: labels, classCount: 5) }
        #expect(error2 == .labelOutOfRange(path: labels.path, record: 2, offset: 10, label: 5, valid: 0...4))
        #expect(error2.description.contains(labels.path) && error2.description.contains("record 2"))
    }

    @Test func corruptAndTruncatedGzip() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let compressed = try gzip(idxBytes(dimensions: Self.dims, data: Self.pixels))

        let truncated = try folder.write("truncated.gz", Array(compressed[0..<(compressed.count / 2)]))
        let error1 = try datasetError { _ = try IDX.read(truncated, expectedDimensionCount: 3) }
        guard case .truncatedGzip(let path1, let compressedBytes, _) = error1 else {
            Issue.record("got \(error1)"); return
        }
        #expect(path1 == truncated.path && compressedBytes == compressed.count / 2)
        #expect(error1.description.contains(truncated.path))

        // Flip every bit of the CRC-32 in the trailer: the data inflate, the check fails.
        var badCRC = compressed
        badCRC[compressed.count - 8] ^= 0xFF
        let corrupt = try folder.write("bad-crc.gz", badCRC)
        let error2 = try datasetError { _ = try IDX.read(corrupt, expectedDimensionCount: 3) }
        guard case .corruptGzip(let path2, let function, _, _) = error2 else {
            Issue.record("got \(error2)"); return
        }
        #expect(path2 == corrupt.path && function == "inflate")
        #expect(error2.description.contains(corrupt.path))

        // A gzip header with an invalid compression method (not 8 = deflate).
        var badMethod = compressed
        badMethod[2] = 7
        let method = try folder.write("bad-method.gz", badMethod)
        let error3 = try datasetError { _ = try IDX.read(method, expectedDimensionCount: 3) }
        guard case .corruptGzip = error3 else { Issue.record("got \(error3)"); return }
    }

    @Test func missingFileAndDirectory() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let missing = folder.url.appendingPathComponent("nope-idx3-ubyte")
        let error = try datasetError { _ = try IDX.read(missing, expectedDimensionCount: 3) }
        #expect(error == .fileNotFound(path: missing.path))
        #expect(error.description.contains(missing.path))
        let directory = try datasetError { _ = try IDX.read(folder.url, expectedDimensionCount: 3) }
        guard case .readFailed = directory else { Issue.record("got \(directory)"); return }
    }
}
