import Foundation

/// Reader for the binary version of STL-10 (96 × 96 RGB images, 10 classes).
///
/// Layout: an images file (`train_X.bin`, `test_X.bin`) is a sequence of 27 648-byte images with
/// no header; each image is 3 channel planes (R, G, B) of 96 × 96 bytes stored **column-major**
/// (Matlab/Fortran order): byte `c · 9216 + x · 96 + y` is pixel `(y, x, c)` — row `y`, column
/// `x`. This is what the official Python reader's
/// `np.reshape(raw, (-1, 3, 96, 96)).transpose(0, 3, 2, 1)` expresses. A labels file
/// (`train_y.bin`, `test_y.bin`) has one byte per image, **1…10**; they become 0…9.
///
/// Reference: A. Coates, H. Lee, A. Y. Ng, *An Analysis of Single-Layer Networks in Unsupervised
/// Feature Learning*, AISTATS 2011; https://cs.stanford.edu/~acoates/stl10/ and the reader
/// `stl10_input.py` of github.com/mttk/STL10.
public enum STL10 {
    /// Image side length: 96.
    public static let side = 96
    /// Bytes per image: `3 · 96 · 96 = 27648`.
    public static let imageBytes = 3 * 96 * 96

    /// Reads an STL-10 images file and its labels file into a dataset.
    ///
    /// - Parameters:
    ///   - images: the images file (`*_X.bin`).
    ///   - labels: the labels file (`*_y.bin`).
    /// - Returns: a dataset with 10 classes (labels 0…9), 3 channels, 96 × 96, flips allowed.
    ///   Shape: images `[count, 96, 96, 3]` (NHWC).
    /// - Throws: ``DatasetError/fileNotFound(path:)``, ``DatasetError/readFailed(path:message:)``;
    ///   ``DatasetError/truncated(path:field:offset:expectedBytes:availableBytes:)`` when the images
    ///   file's size is not a multiple of 27 648 (or is 0);
    ///   ``DatasetError/countMismatch(imagesPath:labelsPath:imageCount:labelCount:)``;
    ///   ``DatasetError/labelOutOfRange(path:record:offset:label:valid:)`` for a label 0 or > 10.
    public static func load(images: URL, labels: URL) throws -> Dataset {
        let imageFile = try DataFile(images)
        let labelFile = try DataFile(labels)
        let raw = imageFile.bytes
        let count = raw.count / imageBytes
        if raw.count % imageBytes != 0 || raw.isEmpty {
            try imageFile.require(imageBytes, at: count * imageBytes, field: "image \(count)")
        }
        guard labelFile.bytes.count == count else {
            throw DatasetError.countMismatch(imagesPath: images.path, labelsPath: labels.path,
                                             imageCount: count, labelCount: labelFile.bytes.count)
        }
        var labelValues = [Int32]()
        labelValues.reserveCapacity(count)
        for (record, byte) in labelFile.bytes.enumerated() {
            guard (1...10).contains(byte) else {
                throw DatasetError.labelOutOfRange(path: labelFile.reportedPath, record: record, offset: record,
                                                   label: Int(byte), valid: 1...10)
            }
            labelValues.append(Int32(byte) - 1)
        }
        let plane = side * side
        var pixels = [UInt8](repeating: 0, count: raw.count)
        for image in 0..<count {
            let base = image * imageBytes
            for c in 0..<3 {
                for x in 0..<side {
                    for y in 0..<side {
                        pixels[base + (y * side + x) * 3 + c] = raw[base + c * plane + x * side + y]
                    }
                }
            }
        }
        return try Dataset(name: images.path, images: pixels, labels: labelValues, height: side, width: side,
                           channels: 3, classCount: 10, pixelScale: 255, horizontalFlipPreservesLabels: true)
    }
}
