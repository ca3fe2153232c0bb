import Foundation

/// Readers for the IDX format of the MNIST family (MNIST, Fashion-MNIST, the embedded digits).
///
/// Layout (all integers big-endian):
///
/// ```
/// offset 0: 0x00 0x00              magic, two zero bytes
/// offset 2: type                   0x08 = unsigned byte (the only type supported here)
/// offset 3: n                      dimension count (3 for images, 1 for labels)
/// offset 4: d_0 … d_{n−1}          UInt32 each
/// offset 4 + 4n: data              Π d_k values, row-major
/// ```
///
/// So an images file starts with magic `0x00000803` and a labels file with `0x00000801`. A file
/// starting with `1F 8B` is gzip and is decompressed first (offsets in errors then refer to the
/// decompressed bytes). Bytes after the data are ignored.
///
/// Reference: Y. LeCun, C. Cortes, C. J. C. Burges, *The MNIST database of handwritten digits*,
/// http://yann.lecun.com/exdb/mnist/ ("file formats").
public enum IDX {
    /// The magic number of an IDX file of unsigned-byte images `[count, height, width]`.
    public static let imagesMagic: UInt32 = 0x0000_0803
    /// The magic number of an IDX file of unsigned-byte labels `[count]`.
    public static let labelsMagic: UInt32 = 0x0000_0801

    /// Reads an unsigned-byte IDX file (raw or gzip) with a given number of dimensions.
    ///
    /// - Parameters:
    ///   - url: the file.
    ///   - expectedDimensionCount: the dimension count the caller needs (3 for images, 1 for labels).
    /// - Returns: the dimensions and data bytes.
    /// - Throws: ``DatasetError/fileNotFound(path:)``, ``DatasetError/readFailed(path:message:)``,
    ///   the gzip errors; ``DatasetError/badMagic(path:offset:expected:got:)`` when bytes 0–1 are not
    ///   zero; ``DatasetError/unsupportedDataType(path:offset:got:)`` for a type byte other than 0x08;
    ///   ``DatasetError/wrongDimensionCount(path:offset:expected:got:)``;
    ///   ``DatasetError/truncated(path:field:offset:expectedBytes:availableBytes:)`` when the file
    ///   ends inside the magic, a dimension or the data the dimensions announce.
    public static func read(_ url: URL, expectedDimensionCount: Int) throws -> IDXArray {
        let file = try DataFile(url)
        let path = file.reportedPath
        try file.require(4, at: 0, field: "magic number")
        let bytes = file.bytes
        guard bytes[0] == 0, bytes[1] == 0 else {
            throw DatasetError.badMagic(
                path: path, offset: 0,
                expected: "0x0000 then a type byte and a dimension count (e.g. 0x00000803)",
                got: hex(bytes[0..<4]))
        }
        guard bytes[2] == 0x08 else {
            throw DatasetError.unsupportedDataType(path: path, offset: 2, got: bytes[2])
        }
        guard Int(bytes[3]) == expectedDimensionCount else {
            throw DatasetError.wrongDimensionCount(path: path, offset: 3, expected: expectedDimensionCount,
                                                   got: Int(bytes[3]))
        }
        var dimensions = [Int]()
        var total = 1
        var overflow = false
        for k in 0..<expectedDimensionCount {
            let d = try file.bigEndianUInt32(at: 4 + 4 * k, field: "dimension \(k)")
            dimensions.append(d)
            if !overflow {
                let (product, didOverflow) = total.multipliedReportingOverflow(by: d)
                total = product
                overflow = didOverflow
            }
        }
        let dataOffset = 4 + 4 * expectedDimensionCount
        let shape = dimensions.map(String.init).joined(separator: " × ")
        try file.require(overflow ? Int.max : total, at: dataOffset, field: "data [\(shape)]")
        return IDXArray(path: path, dimensions: dimensions,
                        values: Array(bytes[dataOffset..<dataOffset + total]))
    }

    /// Loads a dataset from an IDX images file `[count, height, width]` and an IDX labels file
    /// `[count]`, each raw or gzip.
    ///
    /// - Parameters:
    ///   - images: the images file (magic `0x00000803`).
    ///   - labels: the labels file (magic `0x00000801`).
    ///   - classCount: the number of classes; `nil` infers `max(label) + 1`.
    ///   - pixelScale: the pixel value that scales to 1 (default 255).
    ///   - horizontalFlipPreservesLabels: whether mirroring keeps the label (default `false`:
    ///     the MNIST family is mostly digits and characters).
    ///   - name: the dataset name (default: the images path).
    /// - Returns: a one-channel dataset. Shape: images `[count, height, width, 1]`.
    /// - Throws: every error of ``read(_:expectedDimensionCount:)`` for either file;
    ///   ``DatasetError/countMismatch(imagesPath:labelsPath:imageCount:labelCount:)``;
    ///   ``DatasetError/labelOutOfRange(path:record:offset:label:valid:)`` naming the labels file,
    ///   the record index and its byte offset when a label is `≥ classCount`;
    ///   ``DatasetError/invalidArgument(operation:message:)`` for a `classCount ≤ 0`, or an empty
    ///   labels file with no `classCount`; ``DatasetError/invalidShape(field:expected:got:)`` for a
    ///   zero height or width.
    public static func load(images: URL, labels: URL, classCount: Int? = nil, pixelScale: Float = 255,
                            horizontalFlipPreservesLabels: Bool = false, name: String? = nil) throws -> Dataset {
        let operation = "IDX.load(images:labels:)"
        let imageArray = try read(images, expectedDimensionCount: 3)
        let labelArray = try read(labels, expectedDimensionCount: 1)
        guard imageArray.dimensions[0] == labelArray.dimensions[0] else {
            throw DatasetError.countMismatch(imagesPath: images.path, labelsPath: labels.path,
                                             imageCount: imageArray.dimensions[0],
                                             labelCount: labelArray.dimensions[0])
        }
        let classes: Int
        if let classCount {
            guard classCount > 0 else {
                throw DatasetError.invalidArgument(operation: operation, message: "classCount \(classCount) ≤ 0")
            }
            classes = classCount
            if let bad = labelArray.values.firstIndex(where: { Int($0) >= classCount }) {
                throw DatasetError.labelOutOfRange(
                    path: labelArray.path, record: bad, offset: labelArray.dataOffset + bad,
                    label: Int(labelArray.values[bad]), valid: 0...(classCount - 1))
            }
        } else {
            guard let maximum = labelArray.values.max() else {
                throw DatasetError.invalidArgument(
                    operation: operation, message: "\(labels.path) has no labels to infer classCount from")
            }
            classes = Int(maximum) + 1
        }
        return try Dataset(name: name ?? images.path, images: imageArray.values,
                           labels: labelArray.values.map { Int32($0) },
                           height: imageArray.dimensions[1], width: imageArray.dimensions[2], channels: 1,
                           classCount: classes, pixelScale: pixelScale,
                           horizontalFlipPreservesLabels: horizontalFlipPreservesLabels)
    }
}
