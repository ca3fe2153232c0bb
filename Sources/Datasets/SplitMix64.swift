/// SplitMix64: the small, seedable 64-bit generator that drives every random choice of this module
/// (train/validation shuffles, crop offsets, flips).
///
/// Its whole state is one `UInt64`, so a checkpoint can save and restore it exactly. The output
/// sequence for a seed is fixed by the algorithm below, independent of the Swift version and of
/// the platform (the system generator is never used).
///
/// ```
/// state ← state + 0x9E3779B97F4A7C15          (wrapping)
/// z ← (state ⊕ (state ≫ 30)) · 0xBF58476D1CE4E5B9
/// z ← (z ⊕ (z ≫ 27)) · 0x94D049BB133111EB
/// next = z ⊕ (z ≫ 31)
/// ```
///
/// Reference: G. L. Steele, D. Lea, C. H. Flood, *Fast splittable pseudorandom number generators*,
/// OOPSLA 2014; constants of S. Vigna's `splitmix64.c` (prng.di.unimi.it).
public struct SplitMix64: RandomNumberGenerator, Sendable, Hashable, Codable {
    /// The generator's whole state; save it to resume the exact sequence.
    public var state: UInt64

    /// Creates a generator whose first output is the SplitMix64 output following `seed`.
    ///
    /// - Parameter seed: any 64-bit value; equal seeds give equal sequences.
    public init(seed: UInt64) {
        state = seed
    }

    /// Advances the state and returns the next 64 pseudo-random bits.
    ///
    /// - Returns: the next output of the sequence (see the type's formula).
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in `0..<bound`, without modulo bias.
    ///
    /// Rule (fixed, so sequences are reproducible): draw `r = next()` until
    /// `r ≥ 2⁶⁴ mod bound`, then return `r mod bound`. The rejected region has fewer than `bound`
    /// of the 2⁶⁴ values, so for the small bounds used here a draw is almost never repeated.
    ///
    /// - Parameter bound: the exclusive upper bound; values `≤ 1` return 0 without drawing.
    /// - Returns: an integer in `0..<max(bound, 1)`.
    public mutating func nextInt(below bound: Int) -> Int {
        guard bound > 1 else { return 0 }
        let n = UInt64(bound)
        let threshold = (0 &- n) % n
        while true {
            let r = next()
            if r >= threshold { return Int(r % n) }
        }
    }

    /// Shuffles `values` in place by the Fisher–Yates algorithm driven by ``nextInt(below:)``.
    ///
    /// Order: for `i` from `count − 1` down to 1, swap element `i` with element `nextInt(below: i + 1)`.
    ///
    /// - Parameter values: the array to permute; every permutation is equally likely.
    /// Reference: D. E. Knuth, *The Art of Computer Programming* vol. 2, §3.4.2, Algorithm P.
    public mutating func shuffle<T>(_ values: inout [T]) {
        guard values.count > 1 else { return }
        for i in stride(from: values.count - 1, to: 0, by: -1) {
            let j = nextInt(below: i + 1)
            if i != j { values.swapAt(i, j) }
        }
    }
}
