import Integrators

/// A 1-D vector that records every `linearCombination` call (weights per call), to test which
/// combinations an integrator asks for: zero coefficients skipped, `y_n` passed through untouched.
struct CountingVector: VectorSpace, Equatable {
    var value: Double
    /// How many `linearCombination` calls produced this value (summed over its history).
    var combinations: Int = 0
    /// The number of terms of each of those calls, in order.
    var termCounts: [Int] = []

    static func linearCombination(
        _ base: CountingVector, weights: [Double], terms: [CountingVector]
    ) throws -> CountingVector {
        var result = base
        for (w, t) in zip(weights, terms) { result.value += w * t.value }
        // Terms carry their own histories; the result records this call on top of base's.
        result.combinations = base.combinations + 1
        result.termCounts = base.termCounts + [terms.count]
        return result
    }
}
