/// Seeded data augmentation of NHWC images: random crop with zero padding, and horizontal flip.
///
/// For each image, in this order, the generator draws
///
/// ```
/// dy = nextInt(below: 2p + 1),  dx = nextInt(below: 2p + 1)     only when p = padding > 0
/// flip = nextInt(below: 2) == 1                                  only when horizontalFlip
/// ```
///
/// and the output pixel is
///
/// ```
/// x' = flip ? W − 1 − x : x
/// out(y, x, c) = in(y + dy − p, x' + dx − p, c)   when that lies inside the image, else 0
/// ```
///
/// i.e. the image is padded with `p` zeros on every side, an `H × W` window is cut at offset
/// `(dy, dx)` of the padded image, and the window is mirrored left–right when `flip`.
/// Applied to raw bytes (as ``Dataset/normalizedBatch(indices:statistics:augmentation:generator:into:)``
/// does) the padding is black, as torchvision's `RandomCrop(padding:)` on an 8-bit image.
///
/// Digits and characters must not be flipped — a mirrored 2, 3, 7 or "b" is not the same class —
/// so ``standard(for:)`` gives ``none`` for datasets with `horizontalFlipPreservesLabels == false`,
/// and the batch path refuses a flip for them.
///
/// Shape: an image is `[height, width, channels]`, row-major.
/// Reference: K. He, X. Zhang, S. Ren, J. Sun, *Deep Residual Learning for Image Recognition*,
/// CVPR 2016, §4.2 (pad 4, random 32×32 crop, horizontal flip), as used by Chang et al. (ICLR 2018).
public struct Augmentation: Sendable, Hashable, Codable {
    /// Zero padding `p` on each side before the random crop; 0 disables the crop.
    public var padding: Int
    /// Whether to mirror each image left–right with probability ½.
    public var horizontalFlip: Bool

    /// Creates an augmentation.
    ///
    /// - Parameters:
    ///   - padding: zero padding on each side before cropping back to the image size, in
    ///     `0...max(height, width)` (checked by ``apply(to:height:width:channels:generator:)``).
    ///   - horizontalFlip: whether to flip each image left–right with probability ½.
    public init(padding: Int = 0, horizontalFlip: Bool = false) {
        self.padding = padding
        self.horizontalFlip = horizontalFlip
    }

    /// No augmentation: the identity, which draws nothing from the generator.
    public static let none = Augmentation()

    /// The usual augmentation for a dataset: for photographs (`horizontalFlipPreservesLabels`),
    /// padding `max(1, height / 8)` (4 for 32×32 CIFAR, 12 for 96×96 STL-10) and flips; for
    /// digits and characters, ``none``.
    ///
    /// - Parameter dataset: the dataset to be augmented.
    /// - Returns: the augmentation.
    public static func standard(for dataset: Dataset) -> Augmentation {
        guard dataset.horizontalFlipPreservesLabels else { return .none }
        return Augmentation(padding: max(1, dataset.height / 8), horizontalFlip: true)
    }

    /// Whether this augmentation leaves every image unchanged (no padding, no flip).
    public var isIdentity: Bool { padding == 0 && !horizontalFlip }

    /// Augments one image with offsets and flip drawn from `generator` (see the type's rule).
    ///
    /// - Parameters:
    ///   - image: the pixels, NHWC for one image, `height · width · channels` values.
    ///   - height: image height `H`, > 0.
    ///   - width: image width `W`, > 0.
    ///   - channels: channels per pixel, > 0.
    ///   - generator: the seeded generator; it advances by the draws listed in the type's rule.
    /// - Returns: the augmented image, same shape.
    /// - Throws: ``DatasetError/invalidArgument(operation:message:)`` for a negative padding, a
    ///   padding above `max(height, width)`, a non-positive geometry, a `height · width · channels`
    ///   that overflows `Int`, or an image of the wrong length.
    public func apply<Element: AdditiveArithmetic>(
        to image: [Element], height: Int, width: Int, channels: Int, generator: inout SplitMix64
    ) throws -> [Element] {
        let operation = "Augmentation.apply(to:height:width:channels:generator:)"
        guard padding >= 0 else {
            throw DatasetError.invalidArgument(operation: operation, message: "padding \(padding) < 0")
        }
        guard height > 0, width > 0, channels > 0,
              let size = Int.checkedProduct(height, width, channels), image.count == size else {
            throw DatasetError.invalidArgument(
                operation: operation,
                message: "image of \(image.count) values is not \(height) × \(width) × \(channels)")
        }
        // A larger padding only adds windows lying wholly in the zero border; the bound also keeps
        // `2p + 1` and `y + dy − p` far from overflow.
        guard padding <= Swift.max(height, width) else {
            throw DatasetError.invalidArgument(
                operation: operation,
                message: "padding \(padding) exceeds the image size max(height, width) = \(Swift.max(height, width))")
        }
        if isIdentity { return image }
        let (dy, dx, flip) = draw(using: &generator)
        var output = [Element](repeating: .zero, count: image.count)
        for y in 0..<height {
            let sourceY = y + dy - padding
            guard sourceY >= 0, sourceY < height else { continue }
            for x in 0..<width {
                let sourceX = (flip ? width - 1 - x : x) + dx - padding
                guard sourceX >= 0, sourceX < width else { continue }
                let source = (sourceY * width + sourceX) * channels
                let target = (y * width + x) * channels
                for c in 0..<channels { output[target + c] = image[source + c] }
            }
        }
        return output
    }

    /// Draws one image's crop offsets and flip in the documented order.
    func draw(using generator: inout SplitMix64) -> (dy: Int, dx: Int, flip: Bool) {
        var dy = 0
        var dx = 0
        if padding > 0 {
            dy = generator.nextInt(below: 2 * padding + 1)
            dx = generator.nextInt(below: 2 * padding + 1)
        }
        let flip = horizontalFlip && generator.nextInt(below: 2) == 1
        return (dy, dx, flip)
    }
}
