import Datasets
import Foundation
import Testing

@Suite struct STL10Tests {
    /// The test's pattern: channel `c`, row `y`, column `x` of image `n` (row and column weighted
    /// differently, so a transposed read cannot pass).
    static func value(_ n: Int, _ c: Int, _ y: Int, _ x: Int) -> UInt8 {
        UInt8((n * 11 + c * 37 + y * 3 + x * 5) % 256)
    }

    /// Images in the official layout: per image, 3 planes of 96 × 96 in column-major order, i.e.
    /// the file is the C-order array `raw[n][c][x][y]`.
    static func imagesFile(count: Int) -> [UInt8] {
        var bytes = [UInt8]()
        for n in 0..<count {
            for c in 0..<3 {
                for x in 0..<96 {
                    for y in 0..<96 { bytes.append(value(n, c, y, x)) }
                }
            }
        }
        return bytes
    }

    @Test func columnMajorImagesBecomeNHWC() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let raw = Self.imagesFile(count: 2)
        let images = try folder.write("train_X.bin", raw)
        let labels = try folder.write("train_y.bin", [1, 10])
        let dataset = try STL10.load(images: images, labels: labels)
        #expect(dataset.count == 2 && dataset.height == 96 && dataset.width == 96 && dataset.channels == 3)
        #expect(dataset.labels == [0, 9] && dataset.classCount == 10)

        // Independent check 1: NHWC out[n][y][x][c] against the pattern.
        // Independent check 2: the Python reader, np.reshape(raw, (-1, 3, 96, 96)).transpose(0, 3, 2, 1):
        // out[n][a][b][c] = raw4[n][c][b][a], raw4 flat index ((n·3 + c)·96 + b)·96 + a.
        var mismatches = 0
        for n in 0..<2 {
            for a in 0..<96 {
                for b in 0..<96 {
                    for c in 0..<3 {
                        let out = dataset.images[((n * 96 + a) * 96 + b) * 3 + c]
                        if out != Self.value(n, c, a, b) { mismatches += 1 }
                        if out != raw[((n * 3 + c) * 96 + b) * 96 + a] { mismatches += 1 }
                    }
                }
            }
        }
        #expect(mismatches == 0)
        // By hand: raw byte 1 of image 0 is channel 0, column 0, row 1 → NHWC pixel (1, 0, 0).
        #expect(dataset.images[(1 * 96 + 0) * 3 + 0] == raw[1])
    }

    @Test func malformedFilesAreRejected() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let one = Self.imagesFile(count: 1)
        let images = try folder.write("x.bin", one)

        for bad: UInt8 in [0, 11] {
            let labels = try folder.write("y-\(bad).bin", [bad])
            let error = try datasetError { _ = try STL10.load(images: images, labels: labels) }
            #expect(error == .labelOutOfRange(path: labels.path, record: 0, offset: 0, label: Int(bad), valid: 1...10))
            #expect(error.description.contains(labels.path))
        }

        let twoLabels = try folder.write("y2.bin", [1, 2])
        let error1 = try datasetError { _ = try STL10.load(images: images, labels: twoLabels) }
        #expect(error1 == .countMismatch(imagesPath: images.path, labelsPath: twoLabels.path, imageCount: 1,
                                         labelCount: 2))

        let short = try folder.write("short.bin", one + Array(one[0..<500]))
        let labels = try folder.write("y1.bin", [1])
        let error2 = try datasetError { _ = try STL10.load(images: short, labels: labels) }
        #expect(error2 == .truncated(path: short.path, field: "image 1", offset: 27648, expectedBytes: 27648,
                                     availableBytes: 500))
        #expect(error2.description.contains(short.path))

        let missing = folder.url.appendingPathComponent("test_X.bin")
        let error3 = try datasetError { _ = try STL10.load(images: missing, labels: labels) }
        #expect(error3 == .fileNotFound(path: missing.path))
    }
}
