import Datasets
import Testing

@Suite struct AugmentationTests {
    /// A 5 × 4 image with 2 channels, every value distinct and non-zero.
    static let height = 5, width = 4, channels = 2
    static let image: [UInt8] = (0..<40).map { UInt8($0 + 1) }

    static func pixel(_ image: [UInt8], _ y: Int, _ x: Int, _ c: Int) -> UInt8 {
        image[(y * width + x) * channels + c]
    }

    /// Whether `output` is `image` shifted by (dy − p, dx − p), zero outside, mirrored when `flip`.
    static func isCrop(_ output: [UInt8], dy: Int, dx: Int, padding p: Int, flip: Bool) -> Bool {
        for y in 0..<height {
            for x in 0..<width {
                for c in 0..<channels {
                    let sy = y + dy - p
                    let sx = (flip ? width - 1 - x : x) + dx - p
                    let inside = sy >= 0 && sy < height && sx >= 0 && sx < width
                    if pixel(output, y, x, c) != (inside ? pixel(image, sy, sx, c) : 0) { return false }
                }
            }
        }
        return true
    }

    @Test func zeroPaddingWithoutFlipIsTheIdentity() throws {
        var generator = SplitMix64(seed: 9)
        for augmentation in [Augmentation.none, Augmentation(padding: 0)] {
            let output = try augmentation.apply(to: Self.image, height: Self.height, width: Self.width,
                                                channels: Self.channels, generator: &generator)
            #expect(output == Self.image)
        }
        #expect(generator == SplitMix64(seed: 9))
    }

    @Test func fixedSeedIsReproducible() throws {
        let augmentation = Augmentation(padding: 2, horizontalFlip: true)
        func run(seed: UInt64) throws -> [[UInt8]] {
            var generator = SplitMix64(seed: seed)
            return try (0..<20).map { _ in
                try augmentation.apply(to: Self.image, height: Self.height, width: Self.width,
                                       channels: Self.channels, generator: &generator)
            }
        }
        #expect(try run(seed: 5) == run(seed: 5))
        #expect(try run(seed: 5) != run(seed: 6))
        #expect(Set(try run(seed: 5)).count > 5)
    }

    @Test func outputsAreZeroPaddedCropsAndMirrors() throws {
        let p = 2
        let augmentation = Augmentation(padding: p, horizontalFlip: true)
        var generator = SplitMix64(seed: 11)
        var flips = 0
        for _ in 0..<40 {
            let output = try augmentation.apply(to: Self.image, height: Self.height, width: Self.width,
                                                channels: Self.channels, generator: &generator)
            var matches: [Bool] = []
            for dy in 0...(2 * p) {
                for dx in 0...(2 * p) {
                    for flip in [false, true] where Self.isCrop(output, dy: dy, dx: dx, padding: p, flip: flip) {
                        matches.append(flip)
                    }
                }
            }
            #expect(matches.count == 1)
            if matches == [true] { flips += 1 }
        }
        #expect(flips > 5 && flips < 35)
    }

    @Test func flipOnlyMirrorsEachRowOnFloats() throws {
        let floats = Self.image.map { Float($0) }
        var generator = SplitMix64(seed: 2)
        var sawMirror = false
        for _ in 0..<10 {
            let output = try Augmentation(horizontalFlip: true).apply(
                to: floats, height: Self.height, width: Self.width, channels: Self.channels, generator: &generator)
            let mirrored = output.first == Float(Self.pixel(Self.image, 0, Self.width - 1, 0))
            sawMirror = sawMirror || mirrored
            let expected = Self.isCrop(output.map { UInt8($0) }, dy: 0, dx: 0, padding: 0, flip: mirrored)
            #expect(expected)
        }
        #expect(sawMirror)
    }

    @Test func badArgumentsThrowAndStandardPolicy() throws {
        var generator = SplitMix64(seed: 1)
        #expect(throws: DatasetError.self) {
            try Augmentation(padding: -1).apply(to: Self.image, height: 5, width: 4, channels: 2, generator: &generator)
        }
        #expect(throws: DatasetError.self) {
            try Augmentation(padding: 1).apply(to: Self.image, height: 5, width: 5, channels: 2, generator: &generator)
        }
        let cifarLike = try Dataset(name: "c", images: [UInt8](repeating: 0, count: 32 * 32 * 3), labels: [0],
                                    height: 32, width: 32, channels: 3, classCount: 10)
        #expect(Augmentation.standard(for: cifarLike) == Augmentation(padding: 4, horizontalFlip: true))
    }
}
