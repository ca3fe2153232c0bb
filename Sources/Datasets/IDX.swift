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
/// decompressed bytes). Bytes after the data are ignored; a gzip file is inflated only up to one
/// byte past the size its header announces (`payloadSize(ofPrefix:)`), so a small header
/// followed by gigabytes of compressed zeros is cheap to reject or read.
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
        let file = try DataFile(url, payloadSize: payloadSize(ofPrefix:))
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

    /// The total size `4 + 4n + Π d_k` that the IDX header at the start of `prefix` announces,
    /// `nil` while `prefix` is too short to hold the header.
    ///
    /// A prefix that is not an IDX header (bytes 0–1 not zero) announces only its 4-byte magic,
    /// and a product `Π d_k` that overflows `Int` announces only the header: either way nothing
    /// more needs inflating, because ``read(_:expectedDimensionCount:)`` rejects the file.
    static func payloadSize(ofPrefix prefix: [UInt8]) -> Int? {
        guard prefix.count >= 4 else { return nil }
        guard prefix[0] == 0, prefix[1] == 0 else { return 4 }
        let n = Int(prefix[3])
        let header = 4 + 4 * n
        guard prefix.count >= header else { return nil }
        var total = header
        var product = 1
        for k in 0..<n {
            let o = 4 + 4 * k
            let d = Int(prefix[o]) << 24 | Int(prefix[o + 1]) << 16 | Int(prefix[o + 2]) << 8 | Int(prefix[o + 3])
            let (next, overflow) = product.multipliedReportingOverflow(by: d)
            guard !overflow else { return header }
            product = next
        }
        let (sum, overflow) = total.addingReportingOverflow(product)
        total = overflow ? header : sum
        return total
    }

    /// Loads a dataset from an IDX images file `[count, height, width]` and an IDX labels file
    /// `[count]`, each raw or gzip.
    ///
    /// - Parameters:
    ///   - images: the images file (magic `0x00000803`).
    ///   - labels: the labels file (magic `0x00000801`).
    ///   - classCount: the number of classes; `nil` infers `C = max(label) + 1`, and then requires
    ///     every class `0..<C` to occur at least once (so `C ≤` the number of images): a gap (e.g.
    ///     labels `0…9` and one corrupt byte `255`, which would otherwise give 256 classes) means a
    ///     corrupt label or a subset that lacks a class, and throws; pass `classCount` explicitly
    ///     for such a subset.
    ///   - pixelScale: the pixel value that scales to 1 (default 255).
    ///   - horizontalFlipPreservesLabels: whether mirroring keeps the label (default `false`:
    ///     the MNIST family is mostly digits and characters).
    ///   - name: the dataset name (default: the images path).
    /// - Returns: a one-channel dataset. Shape: images `[count, height, width, 1]`.
    /// - Throws: every error of ``read(_:expectedDimensionCount:)`` for either file;
    ///   ``DatasetError/countMismatch(imagesPath:labelsPath:imageCount:labelCount:)``;
    ///   ``DatasetError/labelOutOfRange(path:record:offset:label:valid:)`` naming the labels file,
    ///   the record index and its byte offset when a label is `≥ classCount`;
    ///   ``DatasetError/invalidArgument(operation:message:)`` for a `classCount ≤ 0`, an empty
    ///   labels file with no `classCount`, or (inferring) a class in `0..<max(label)` that never
    ///   occurs, naming the labels file, the first label above the gap, its record and byte offset;
    ///   ``DatasetError/invalidShape(field:expected:got:)`` for a zero height or width, the field
    ///   naming the images file and the dimension's offset.
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
        for (axis, name) in [(1, "height"), (2, "width")] where imageArray.dimensions[axis] == 0 {
            throw DatasetError.invalidShape(
                field: "\(imageArray.path): \(name) (dimension \(axis) at offset \(4 + 4 * axis))",
                expected: "> 0", got: "0")
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
            try checkInferredClasses(classes, labelArray, operation: operation)
        }
        return try Dataset(name: name ?? images.path, images: imageArray.values,
                           labels: labelArray.values.map { Int32($0) },
                           height: imageArray.dimensions[1], width: imageArray.dimensions[2], channels: 1,
                           classCount: classes, pixelScale: pixelScale,
                           horizontalFlipPreservesLabels: horizontalFlipPreservesLabels)
    }

    /// Throws unless every class `0..<classes` occurs in `labels` (the inference rule of ``load(images:labels:classCount:pixelScale:horizontalFlipPreservesLabels:name:)``).
    ///
    /// - Throws: ``DatasetError/invalidArgument(operation:message:)`` naming the labels file, the
    ///   missing class, and the first label above it with its record and byte offset.
    private static func checkInferredClasses(_ classes: Int, _ labels: IDXArray, operation: String) throws {
        var seen = [Bool](repeating: false, count: classes)
        for label in labels.values { seen[Int(label)] = true }
        guard let missing = seen.firstIndex(of: false) else { return }
        let record = labels.values.firstIndex { Int($0) > missing } ?? 0
        throw DatasetError.invalidArgument(
            operation: operation,
            message: "cannot infer classCount from \(labels.path): the labels span 0...\(classes - 1) "
                + "but class \(missing) never occurs (first label above it: \(labels.values[record]) at "
                + "record \(record), offset \(labels.dataOffset + record)); a corrupt label? "
                + "pass classCount explicitly")
    }
}
