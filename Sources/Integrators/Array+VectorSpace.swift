/// `[Double]` is a vector space under element-wise addition and scaling, so every integrator runs on
/// plain vectors (the analytic problems of the convergence study).
///
/// Shape: a vector of `base.count` elements; every term must have the same count.
extension Array: VectorSpace where Element == Double {
    /// `base + Σ_i weights[i] · terms[i]`, element by element, in one pass.
    ///
    /// ```
    /// result[e] = base[e] + weights[0]·terms[0][e] + weights[1]·terms[1][e] + …   (left to right)
    /// ```
    /// Zero weights are skipped (they would only add `±0`, or propagate a non-finite term).
    ///
    /// - Parameters:
    ///   - base: the vector the combination starts from.
    ///   - weights: one coefficient per term.
    ///   - terms: vectors with `base.count` elements each.
    /// - Returns: a new vector with `base.count` elements.
    /// - Throws: ``VectorSpaceError/weightCountMismatch(weightCount:termCount:)`` when
    ///   `weights.count != terms.count`; ``VectorSpaceError/countMismatch(termIndex:baseCount:termCount:)``
    ///   when a term's count differs from `base.count`.
    public static func linearCombination(
        _ base: [Double], weights: [Double], terms: [[Double]]
    ) throws -> [Double] {
        guard weights.count == terms.count else {
            throw VectorSpaceError.weightCountMismatch(weightCount: weights.count, termCount: terms.count)
        }
        for (index, term) in terms.enumerated() where term.count != base.count {
            throw VectorSpaceError.countMismatch(
                termIndex: index, baseCount: base.count, termCount: term.count)
        }
        var result = base
        for (weight, term) in zip(weights, terms) where weight != 0 {
            for e in result.indices {
                result[e] += weight * term[e]
            }
        }
        return result
    }
}
