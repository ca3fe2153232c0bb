import Foundation

/// Readers for the binary versions of CIFAR-10 and CIFAR-100.
///
/// Record layouts (no header; a file is a sequence of records):
///
/// ```
/// CIFAR-10:  label (1 byte, 0…9)                          + 3072 pixel bytes   = 3073 bytes
/// CIFAR-100: coarse label (0…19), fine label (0…99)       + 3072 pixel bytes   = 3074 bytes
/// pixels: 1024 R, then 1024 G, then 1024 B; each plane 32 × 32 row-major (CHW)
/// ```
///
/// The readers convert CHW to NHWC: byte `c · 1024 + y · 32 + x` of a record's pixels becomes
/// pixel `(y, x, c)`. Several files (e.g. `data_batch_1.bin` … `data_batch_5.bin`) are
/// concatenated, in the order given, into one dataset.
///
/// Reference: A. Krizhevsky, *Learning Multiple Layers of Features from Tiny Images*, 2009;
/// https://www.cs.toronto.edu/~kriz/cifar.html ("binary version").
public enum CIFAR {
    /// Which CIFAR-100 label to use.
    public enum LabelKind: String, Sendable, CaseIterable, Codable {
        /// The 100 fine classes (second label byte).
        case fine
        /// The 20 superclasses (first label byte).
        case coarse
    }

    /// Image side length: 32.
    public static let side = 32
    /// Pixel bytes per record: `3 · 32 · 32 = 3072`.
    public static let pixelBytes = 3 * 32 * 32

    /// Reads CIFAR-10 binary batch files into one dataset.
    ///
    /// - Parameter files: one or more batch files, concatenated in this order.
    /// - Returns: a dataset with 10 classes, 3 channels (R, G, B), 32 × 32, flips allowed.
    ///   Shape: images `[count, 32, 32, 3]`.
    /// - Throws: ``DatasetError/fileNotFound(path:)``, ``DatasetError/readFailed(path:message:)``;
    ///   ``DatasetError/truncated(path:field:offset:expectedBytes:availableBytes:)`` naming the
    ///   incomplete record and its offset when a file's size is not a multiple of 3073 (or is 0);
    ///   ``DatasetError/labelOutOfRange(path:record:offset:label:valid:)`` for a label > 9, with
    ///   the record index within that file; ``DatasetError/invalidArgument(operation:message:)``
    ///   for an empty file list.
    public static func loadCIFAR10(_ files: [URL]) throws -> Dataset {
        try load(files, labelBytes: 1, labelIndex: 0, classCount: 10, operation: "CIFAR.loadCIFAR10(_:)")
    }

    /// Reads CIFAR-100 binary files (`train.bin`, `test.bin`) into one dataset.
    ///
    /// - Parameters:
    ///   - files: one or more files, concatenated in this order.
    ///   - labels: ``LabelKind/fine`` (100 classes, default) or ``LabelKind/coarse`` (20 classes).
    /// - Returns: a dataset with 3 channels (R, G, B), 32 × 32, flips allowed.
    ///   Shape: images `[count, 32, 32, 3]`.
    /// - Throws: as ``loadCIFAR10(_:)`` with 3074-byte records, and
    ///   ``DatasetError/labelOutOfRange(path:record:offset:label:valid:)`` for a coarse label > 19 or
    ///   a fine label > 99 (both bytes are checked whichever kind is chosen).
    public static func loadCIFAR100(_ files: [URL], labels: LabelKind = .fine) throws -> Dataset {
        let operation = "CIFAR.loadCIFAR100(_:labels:)"
        switch labels {
        case .fine:
            return try load(files, labelBytes: 2, labelIndex: 1, classCount: 100, operation: operation)
        case .coarse:
            return try load(files, labelBytes: 2, labelIndex: 0, classCount: 20, operation: operation)
        }
    }

    /// Reads records of `labelBytes` label bytes plus 3072 CHW pixel bytes; keeps label byte
    /// `labelIndex`. For CIFAR-100 the label bytes have ranges 0…19 (coarse) and 0…99 (fine).
    private static func load(_ files: [URL], labelBytes: Int, labelIndex: Int, classCount: Int,
                             operation: String) throws -> Dataset {
        guard !files.isEmpty else {
            throw DatasetError.invalidArgument(operation: operation, message: "no files given")
        }
        let ranges = labelBytes == 1 ? [0...9] : [0...19, 0...99]
        let recordSize = labelBytes + pixelBytes
        let plane = side * side
        var images = [UInt8]()
        var labels = [Int32]()
        for url in files {
            let file = try DataFile(url)
            let bytes = file.bytes
            let whole = bytes.count / recordSize
            if bytes.count % recordSize != 0 || bytes.isEmpty {
                try file.require(recordSize, at: whole * recordSize, field: "record \(whole)")
            }
            images.reserveCapacity(images.count + whole * pixelBytes)
            for record in 0..<whole {
                let start = record * recordSize
                for k in 0..<labelBytes where !ranges[k].contains(Int(bytes[start + k])) {
                    throw DatasetError.labelOutOfRange(path: file.reportedPath, record: record, offset: start + k,
                                                       label: Int(bytes[start + k]), valid: ranges[k])
                }
                labels.append(Int32(bytes[start + labelIndex]))
                let pixels = start + labelBytes
                for p in 0..<plane {
                    images.append(bytes[pixels + p])
                    images.append(bytes[pixels + plane + p])
                    images.append(bytes[pixels + 2 * plane + p])
                }
            }
        }
        let name = files.count == 1 ? files[0].path : "\(files[0].path) + \(files.count - 1) more"
        return try Dataset(name: name, images: images, labels: labels, height: side, width: side, channels: 3,
                           classCount: classCount, pixelScale: 255, horizontalFlipPreservesLabels: true)
    }
}
