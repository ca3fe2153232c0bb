/// Errors thrown by the dataset readers, the dataset operations and augmentation.
///
/// Every reader error names the **file** (`path`), the **offset or field** where the problem was
/// found, and **what was expected**. Offsets are byte offsets from the start of the file; for a
/// gzip-compressed file they are offsets into the *decompressed* stream (the readers then report
/// the path with ` (decompressed)` appended).
public enum DatasetError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file does not exist.
    case fileNotFound(path: String)
    /// The file exists but could not be read: not a regular file (a directory, a named pipe, a
    /// device, a socket, a dangling link: `message` then starts with `not a regular file`), no
    /// permission, an I/O error.
    case readFailed(path: String, message: String)
    /// The leading magic bytes of the file are not those of its format.
    case badMagic(path: String, offset: Int, expected: String, got: String)
    /// An IDX data-type byte other than `0x08` (unsigned byte), the only type supported.
    case unsupportedDataType(path: String, offset: Int, got: UInt8)
    /// An IDX file whose dimension count differs from what the caller asked for
    /// (3 for images `[count, height, width]`, 1 for labels `[count]`).
    case wrongDimensionCount(path: String, offset: Int, expected: Int, got: Int)
    /// The file ends before the field at `offset` is complete: the format requires
    /// `expectedBytes` bytes there and only `availableBytes` remain.
    case truncated(path: String, field: String, offset: Int, expectedBytes: Int, availableBytes: Int)
    /// An images file and a labels file that hold different numbers of records.
    case countMismatch(imagesPath: String, labelsPath: String, imageCount: Int, labelCount: Int)
    /// A label outside its valid range, at record `record` (0-based) and byte `offset`.
    case labelOutOfRange(path: String, record: Int, offset: Int, label: Int, valid: ClosedRange<Int>)
    /// A pixel value above the dataset's documented maximum, at byte `offset`.
    case pixelOutOfRange(path: String, offset: Int, value: Int, maximum: Int)
    /// zlib reported a corrupt gzip stream (bad header, bad deflate data, CRC or length mismatch).
    case corruptGzip(path: String, function: String, status: Int32, message: String)
    /// The gzip stream ended before its end marker: all `compressedBytes` were consumed after
    /// producing `decompressedBytes`.
    case truncatedGzip(path: String, compressedBytes: Int, decompressedBytes: Int)
    /// Image geometry or a class count that is not positive, or an images buffer whose length is
    /// not `count × height × width × channels`.
    case invalidShape(field: String, expected: String, got: String)
    /// A record index outside `0..<count` passed to an operation on a dataset.
    case indexOutOfRange(operation: String, index: Int, count: Int)
    /// An argument outside its documented domain (e.g. a validation fraction outside `[0, 1)`).
    case invalidArgument(operation: String, message: String)
    /// A horizontal flip requested for a dataset whose labels a mirror image changes (digits).
    case flipChangesLabels(dataset: String)
    /// A dataset embedded in the library (``Dataset/digits()``) was found in none of the places
    /// searched: `searched` lists them in order (the resource bundle beside the executable, then
    /// the sources the library was built from).
    case bundledDataNotFound(dataset: String, searched: [String])

    /// A one-line message naming the file (or dataset/operation), the offset or field, and what was
    /// expected.
    public var description: String {
        switch self {
        case .fileNotFound(let path):
            return "\(path): file not found"
        case .readFailed(let path, let message):
            return "\(path): cannot read the file: \(message)"
        case .badMagic(let path, let offset, let expected, let got):
            return "\(path): bad magic at offset \(offset): expected \(expected), got \(got)"
        case .unsupportedDataType(let path, let offset, let got):
            return "\(path): unsupported IDX data type 0x\(hex(got)) at offset \(offset): "
                + "only 0x08 (unsigned byte) is supported"
        case .wrongDimensionCount(let path, let offset, let expected, let got):
            return "\(path): IDX dimension count at offset \(offset) is \(got), expected \(expected)"
        case .truncated(let path, let field, let offset, let expectedBytes, let availableBytes):
            return "\(path): truncated \(field) at offset \(offset): expected \(expectedBytes) bytes, "
                + "only \(availableBytes) remain"
        case .countMismatch(let imagesPath, let labelsPath, let imageCount, let labelCount):
            return "\(imagesPath) holds \(imageCount) images but \(labelsPath) holds \(labelCount) labels"
        case .labelOutOfRange(let path, let record, let offset, let label, let valid):
            return "\(path): label \(label) of record \(record) at offset \(offset) is outside "
                + "\(valid.lowerBound)...\(valid.upperBound)"
        case .pixelOutOfRange(let path, let offset, let value, let maximum):
            return "\(path): pixel value \(value) at offset \(offset) exceeds the maximum \(maximum)"
        case .corruptGzip(let path, let function, let status, let message):
            return "\(path): corrupt gzip stream: \(function) returned \(status) (\(message))"
        case .truncatedGzip(let path, let compressedBytes, let decompressedBytes):
            return "\(path): truncated gzip stream: all \(compressedBytes) compressed bytes used after "
                + "\(decompressedBytes) decompressed bytes, with no end-of-stream marker"
        case .invalidShape(let field, let expected, let got):
            return "invalid dataset shape: \(field) expected \(expected), got \(got)"
        case .indexOutOfRange(let operation, let index, let count):
            return "\(operation): record index \(index) is outside 0..<\(count)"
        case .invalidArgument(let operation, let message):
            return "\(operation): \(message)"
        case .flipChangesLabels(let dataset):
            return "\(dataset): horizontal flips change the meaning of its labels (e.g. digits); "
                + "use an augmentation without horizontalFlip"
        case .bundledDataNotFound(let dataset, let searched):
            return "the embedded \(dataset) dataset was not found; looked in \(searched.joined(separator: ", ")) "
                + "(keep the folder MultilevelResNet_Datasets.resources beside an installed executable)"
        }
    }
}

/// Two-digit upper-case hexadecimal of a byte.
func hex(_ byte: UInt8) -> String {
    let digits = Array("0123456789ABCDEF")
    return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
}

/// Upper-case hexadecimal of a byte sequence, `0x` prefixed (e.g. `0x1F8B`).
func hex<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
    "0x" + bytes.map { hex($0) }.joined()
}
