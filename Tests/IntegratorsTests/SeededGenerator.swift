import Datasets

/// The project's seeded generator (`Datasets.SplitMix64`) under the name these tests use.
typealias SeededGenerator = SplitMix64

extension SplitMix64 {
    /// `count` values uniform in [−1, 1].
    mutating func vector(count: Int) -> [Double] {
        (0..<count).map { _ in Double.random(in: -1...1, using: &self) }
    }
}
