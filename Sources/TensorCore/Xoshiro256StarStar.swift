#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A small, fast, seedable pseudo-random generator (xoshiro256**, seeded through SplitMix64).
///
/// The same seed gives the same stream on every platform, which makes weight initialization and
/// tests reproducible.
///
/// Reference: D. Blackman, S. Vigna, "Scrambled linear pseudorandom number generators",
/// ACM TOMS 47 (2021); SplitMix64 from G. Steele, D. Lea, C. Flood, OOPSLA 2014.
public struct Xoshiro256StarStar: RandomNumberGenerator, Sendable, Equatable {
    /// The 256-bit state (never all zero).
    public private(set) var state: (UInt64, UInt64, UInt64, UInt64)

    /// Seeds the state with four SplitMix64 outputs of `seed`.
    ///
    /// - Parameter seed: any 64-bit value.
    public init(seed: UInt64) {
        var s = seed
        let a = Xoshiro256StarStar.splitMix(&s)
        let b = Xoshiro256StarStar.splitMix(&s)
        let c = Xoshiro256StarStar.splitMix(&s)
        let d = Xoshiro256StarStar.splitMix(&s)
        state = (a, b, c, d)
    }

    /// One SplitMix64 step.
    private static func splitMix(_ s: inout UInt64) -> UInt64 {
        s &+= 0x9E37_79B9_7F4A_7C15
        var z = s
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Restores a generator from a saved `state` (for checkpoints).
    ///
    /// - Parameter state: a state previously read from `state`; all zero is replaced by seed 0.
    public init(state: (UInt64, UInt64, UInt64, UInt64)) {
        self.state = state == (0, 0, 0, 0) ? Xoshiro256StarStar(seed: 0).state : state
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = rotl(state.1 &* 5, 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = rotl(state.3, 45)
        return result
    }

    private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// A standard normal sample by the Box–Muller transform.
    ///
    /// - Returns: a draw from N(0, 1).
    public mutating func nextNormal() -> Double {
        // u1 in (0, 1] so that log(u1) is finite.
        let u1 = (Double(next() >> 11) + 1) * 0x1.0p-53
        let u2 = Double(next() >> 11) * 0x1.0p-53
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// Two generators are equal when their states are (they will produce the same stream).
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.state == rhs.state }
}

