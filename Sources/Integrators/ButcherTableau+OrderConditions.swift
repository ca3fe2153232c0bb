extension ButcherTableau {
    /// The default tolerance of the order-condition checks: `1000 ε ≈ 2.2e-13`, far above the
    /// rounding of the catalogue's sums and far below any genuine defect (the smallest right-hand
    /// side is 1/24).
    public static let orderConditionTolerance = 1000 * Double.ulpOfOne

    /// The residual `value − expected` of every condition of order ≤ `p`.
    ///
    /// - Parameters:
    ///   - p: the highest order to include, `1…4`.
    ///   - weights: `.main` (b) or `.embedded` (bHat).
    /// - Returns: pairs (condition, residual), in the order of ``OrderCondition/all``.
    /// - Throws: ``OrderConditionError/unsupportedOrder(requested:highest:)`` for p outside 1…4;
    ///   ``OrderConditionError/noEmbeddedWeights(tableau:)`` for `.embedded` without `bHat`.
    public func orderConditionResiduals(
        upTo p: Int, weights: TableauWeights = .main
    ) throws -> [(condition: OrderCondition, residual: Double)] {
        guard (1...OrderCondition.highestOrder).contains(p) else {
            throw OrderConditionError.unsupportedOrder(requested: p, highest: OrderCondition.highestOrder)
        }
        let w = try selectedWeights(weights)
        return OrderCondition.all.filter { $0.order <= p }.map {
            (condition: $0, residual: $0.value(for: self, weights: w) - $0.expected)
        }
    }

    /// Whether every order condition of order ≤ `p` holds to `tolerance`.
    ///
    /// - Parameters:
    ///   - p: the order to check, `1…4` (the checker stops at 4: the 9 further conditions of
    ///     order 5 are not implemented; order 5 is measured by ``ConvergenceStudy`` instead).
    ///   - tolerance: the largest accepted `|value − expected|`.
    ///   - weights: `.main` (b) or `.embedded` (bHat).
    /// - Returns: `true` when all conditions up to `p` hold.
    /// - Throws: as ``orderConditionResiduals(upTo:weights:)``.
    public func satisfiesOrderConditions(
        upTo p: Int, tolerance: Double = orderConditionTolerance, weights: TableauWeights = .main
    ) throws -> Bool {
        try orderConditionResiduals(upTo: p, weights: weights).allSatisfy { abs($0.residual) <= tolerance }
    }

    /// The highest p ≤ 4 for which every condition of order ≤ p holds (0 if even `Σ b_i = 1` fails).
    ///
    /// Order: this is the algebraic order capped at 4; for ``dormandPrince54`` (order 5) it reports 4.
    public var measuredAlgebraicOrder: Int { algebraicOrder(of: b) }

    /// ``measuredAlgebraicOrder`` of the embedded weights `bHat`, or `nil` when there are none.
    public var embeddedMeasuredAlgebraicOrder: Int? { bHat.map(algebraicOrder(of:)) }

    private func algebraicOrder(of w: [Double]) -> Int {
        var p = 0
        for condition in OrderCondition.all {
            if abs(condition.value(for: self, weights: w) - condition.expected) > Self.orderConditionTolerance {
                return condition.order - 1
            }
            p = condition.order
        }
        return p
    }

    private func selectedWeights(_ weights: TableauWeights) throws -> [Double] {
        switch weights {
        case .main:
            return b
        case .embedded:
            guard let bHat else { throw OrderConditionError.noEmbeddedWeights(tableau: name) }
            return bHat
        }
    }
}
