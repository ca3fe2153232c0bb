/// An in-memory labelled image dataset: raw pixel bytes and integer class labels.
///
/// Pixels stay as the bytes the file held (0–255, or 0–16 for digits); conversion to Float32
/// happens per mini-batch in ``normalizedBatch(indices:statistics:augmentation:generator:into:)``.
///
/// Shape: `images` is `[count, height, width, channels]` row-major (NHWC per image), so pixel
/// `(i, y, x, c)` is at `((i · height + y) · width + x) · channels + c`. `labels` is `[count]`.
///
/// Invariants: `images.count == count · height · width · channels`; `height`, `width`,
/// `channels`, `classCount` are positive; every label is in `0..<classCount`; `pixelScale > 0`.
public struct Dataset: Sendable, Equatable {
    /// A name for messages and metadata: the source file path, or a short name such as `digits`.
    public let name: String
    /// Pixel bytes, NHWC. Shape: `[count, height, width, channels]`.
    public let images: [UInt8]
    /// Class labels in `0..<classCount`. Shape: `[count]`.
    public let labels: [Int32]
    /// Image height in pixels.
    public let height: Int
    /// Image width in pixels.
    public let width: Int
    /// Channels per pixel (1 for grey-scale, 3 for RGB in the order R, G, B).
    public let channels: Int
    /// The number of classes; labels lie in `0..<classCount`.
    public let classCount: Int
    /// The value that maps to 1 when pixels are scaled: 255 for 8-bit images, 16 for digits.
    ///
    /// Units: pixel value per unit of the scaled intensity `x / pixelScale ∈ [0, 1]`.
    public let pixelScale: Float
    /// Whether a left–right mirror image keeps its label (true for photographs such as CIFAR and
    /// STL-10; false for digits and characters, where a mirrored 2 or 7 is no longer a digit).
    public let horizontalFlipPreservesLabels: Bool

    /// Creates a dataset after checking its invariants.
    ///
    /// - Parameters:
    ///   - name: the source path or a short name.
    ///   - images: pixel bytes, NHWC, `count · height · width · channels` of them.
    ///   - labels: one label per image, each in `0..<classCount`.
    ///   - height: image height, > 0.
    ///   - width: image width, > 0.
    ///   - channels: channels per pixel, > 0.
    ///   - classCount: number of classes, > 0.
    ///   - pixelScale: the pixel value that scales to 1 (default 255), > 0 and finite.
    ///   - horizontalFlipPreservesLabels: whether mirroring keeps the label (default `true`).
    /// - Throws: ``DatasetError/invalidShape(field:expected:got:)`` for a non-positive geometry,
    ///   class count or scale, a `count × height × width × channels` that overflows `Int`, or an
    ///   `images` length that does not match;
    ///   ``DatasetError/labelOutOfRange(path:record:offset:label:valid:)`` (offset = the record
    ///   index) for a label outside `0..<classCount`.
    public init(name: String, images: [UInt8], labels: [Int32], height: Int, width: Int, channels: Int,
                classCount: Int, pixelScale: Float = 255, horizontalFlipPreservesLabels: Bool = true) throws {
        for (field, value) in [("height", height), ("width", width), ("channels", channels),
                               ("classCount", classCount)] where value <= 0 {
            throw DatasetError.invalidShape(field: field, expected: "> 0", got: "\(value)")
        }
        guard pixelScale.isFinite, pixelScale > 0 else {
            throw DatasetError.invalidShape(field: "pixelScale", expected: "finite and > 0", got: "\(pixelScale)")
        }
        guard let pixelsPerImage = Int.checkedProduct(height, width, channels),
              let expected = Int.checkedProduct(labels.count, pixelsPerImage) else {
            throw DatasetError.invalidShape(
                field: "images.count",
                expected: "count × height × width × channels to fit in Int",
                got: "\(labels.count) × \(height) × \(width) × \(channels), which overflows")
        }
        guard images.count == expected else {
            throw DatasetError.invalidShape(
                field: "images.count",
                expected: "\(expected) = \(labels.count) × \(height) × \(width) × \(channels)",
                got: "\(images.count)")
        }
        if let bad = labels.firstIndex(where: { $0 < 0 || Int($0) >= classCount }) {
            throw DatasetError.labelOutOfRange(path: name, record: bad, offset: bad, label: Int(labels[bad]),
                                               valid: 0...(classCount - 1))
        }
        self.name = name
        self.images = images
        self.labels = labels
        self.height = height
        self.width = width
        self.channels = channels
        self.classCount = classCount
        self.pixelScale = pixelScale
        self.horizontalFlipPreservesLabels = horizontalFlipPreservesLabels
    }

    /// The number of images (and labels).
    public var count: Int { labels.count }

    /// Bytes per image: `height · width · channels` (the initializer checked that it fits in `Int`).
    public var imageSize: Int { height * width * channels }

    /// The number of images of each class. Shape: `[classCount]`; the entries sum to ``count``.
    public var classHistogram: [Int] {
        var histogram = [Int](repeating: 0, count: classCount)
        for label in labels { histogram[Int(label)] += 1 }
        return histogram
    }

    /// The pixel bytes of image `index`, NHWC. Shape: `[height, width, channels]`.
    ///
    /// - Parameter index: a record index in `0..<count`.
    /// - Returns: a copy of the image's `imageSize` bytes.
    /// - Throws: ``DatasetError/indexOutOfRange(operation:index:count:)``.
    public func image(at index: Int) throws -> [UInt8] {
        try checkIndex(index, operation: "image(at:)")
        return Array(images[index * imageSize..<(index + 1) * imageSize])
    }

    /// A new dataset of the records at `indices`, in that order (repeats allowed).
    ///
    /// - Parameter indices: record indices in `0..<count`.
    /// - Returns: a dataset with the same geometry, classes, scale and flip flag, and the name
    ///   unchanged.
    /// - Throws: ``DatasetError/indexOutOfRange(operation:index:count:)`` for an index outside
    ///   `0..<count`.
    public func subset(indices: [Int]) throws -> Dataset {
        let size = imageSize
        var newImages = [UInt8]()
        newImages.reserveCapacity(indices.count * size)
        var newLabels = [Int32]()
        newLabels.reserveCapacity(indices.count)
        for index in indices {
            try checkIndex(index, operation: "subset(indices:)")
            newImages.append(contentsOf: images[index * size..<(index + 1) * size])
            newLabels.append(labels[index])
        }
        return try Dataset(name: name, images: newImages, labels: newLabels, height: height, width: width,
                           channels: channels, classCount: classCount, pixelScale: pixelScale,
                           horizontalFlipPreservesLabels: horizontalFlipPreservesLabels)
    }

    /// Throws unless `index` is in `0..<count`.
    func checkIndex(_ index: Int, operation: String) throws {
        guard index >= 0, index < count else {
            throw DatasetError.indexOutOfRange(operation: operation, index: index, count: count)
        }
    }
}
