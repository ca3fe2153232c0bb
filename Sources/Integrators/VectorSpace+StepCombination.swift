extension VectorSpace {
    /// `base + h Σ_j coefficients[j] · terms[j]`, skipping zero coefficients and returning `base`
    /// itself (not a copy through ``linearCombination(_:weights:terms:)``) when every coefficient
    /// is zero.
    ///
    /// This is the one shape both halves of an explicit Runge–Kutta step take:
    /// ```
    /// Y_i     = y_n + h Σ_{j<i} a_ij k_j      (coefficients = row i of a, first i entries)
    /// y_{n+1} = y_n + h Σ_i   b_i  k_i
    /// ```
    /// The weights passed on are `h · coefficients[j]`.
    ///
    /// - Parameters:
    ///   - base: `y_n`.
    ///   - h: the step size.
    ///   - coefficients: one tableau coefficient per term.
    ///   - terms: the stage derivatives `k_j`.
    /// - Returns: the combination, or `base` when no coefficient is nonzero.
    /// - Throws: ``VectorSpaceError/weightCountMismatch(weightCount:termCount:)`` when
    ///   `coefficients.count != terms.count`; whatever the conforming type's
    ///   ``linearCombination(_:weights:terms:)`` throws (e.g. a shape mismatch).
    public static func linearCombination(
        _ base: Self, stepSize h: Double, coefficients: [Double], terms: [Self]
    ) throws -> Self {
        guard coefficients.count == terms.count else {
            throw VectorSpaceError.weightCountMismatch(
                weightCount: coefficients.count, termCount: terms.count)
        }
        var weights: [Double] = []
        var used: [Self] = []
        weights.reserveCapacity(coefficients.count)
        used.reserveCapacity(coefficients.count)
        for (coefficient, term) in zip(coefficients, terms) where coefficient != 0 {
            weights.append(h * coefficient)
            used.append(term)
        }
        if used.isEmpty { return base }
        return try linearCombination(base, weights: weights, terms: used)
    }
}
