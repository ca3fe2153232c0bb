/// The coefficients of an explicit Runge–Kutta method: the Butcher tableau
/// ```
///  c | a          c_i = Σ_j a_ij,  a strictly lower triangular (explicit)
/// ---+----
///    | b          Σ_i b_i = 1
///    | bHat       (optional embedded weights, Σ_i bHat_i = 1)
/// ```
/// A tableau is a constant: it validates itself once, at construction (and on decoding), and never
/// changes. The catalogue (``forwardEuler``, ``rk4Classic``, …) lives in `ButcherTableau+Catalogue.swift`.
///
/// Order: ``order`` is the stated (nominal) order p, checked at construction against the order
/// conditions up to `min(p, 4)`; ``measuredAlgebraicOrder`` reports the conditions that hold. One step costs ``stageCount`` evaluations of the right-hand side.
///
/// Invariants: `a` is s×s and strictly lower triangular; `b`, `c` (and `bHat`) have s entries;
/// `|c_i − Σ_j a_ij|` and `|Σ_i b_i − 1|` are within a few ulps (see ``consistencyTolerance(magnitude:)``).
///
/// Reference: J. C. Butcher, *Numerical Methods for Ordinary Differential Equations*, 3rd ed.,
/// Wiley 2016, §23 (Runge–Kutta methods) and §32 (low-order explicit methods); Hairer, Nørsett &
/// Wanner 1993, *Solving Ordinary Differential Equations I*, §II.1.
public struct ButcherTableau: Sendable, Hashable {
    /// A short identifier (the catalogue uses the ``IntegratorKind`` raw value, e.g. `"rk4Classic"`).
    public let name: String
    /// The s×s stage matrix; `a[i][j]` weighs `k_j` in the input of stage i.
    public let a: [[Double]]
    /// The s weights of the update `y_{n+1} = y_n + h Σ_i b_i k_i`.
    public let b: [Double]
    /// The s stage times as fractions of the step: stage i is evaluated at `t_n + c_i h`.
    public let c: [Double]
    /// The nominal order p of the method (global error `O(h^p)`).
    public let order: Int
    /// The embedded weights of a lower-order companion solution, if any.
    public let bHat: [Double]?
    /// The nominal order of the embedded solution (present exactly when ``bHat`` is).
    public let embeddedOrder: Int?

    /// The number of stages s (= right-hand-side evaluations per step).
    public var stageCount: Int { b.count }

    /// Whether the last stage is evaluated at the new solution ("first same as last"):
    /// `a[s−1] = b` and `c[s−1] = 1`, so an adaptive driver may reuse `k_s` as the next `k_1`.
    ///
    /// The fixed-step integrators here do not exploit it: every step evaluates all s stages.
    public var isFirstSameAsLast: Bool {
        stageCount > 1 && a[stageCount - 1] == b && c[stageCount - 1] == 1
    }

    /// Builds and validates a tableau.
    ///
    /// - Parameters:
    ///   - name: an identifier used in messages, JSON and HDF5 metadata.
    ///   - a: the s×s stage matrix, strictly lower triangular.
    ///   - b: the s weights, summing to 1.
    ///   - c: the s stage times, `c_i = Σ_j a_ij`.
    ///   - order: the nominal order p ≥ 1; every order condition of order ≤ min(p, 4) must hold to
    ///     ``orderConditionTolerance``. Conditions of order 5 and above are not implemented: an order
    ///     p > 4 is checked up to 4 only (measure it with ``ConvergenceStudy``).
    ///   - bHat: optional embedded weights, summing to 1.
    ///   - embeddedOrder: the nominal order of `bHat` (required exactly when `bHat` is given),
    ///     checked against the order conditions like `order`.
    /// - Throws: ``ButcherTableauError/noStages``, ``ButcherTableauError/aNotSquare(row:count:stageCount:)``,
    ///   ``ButcherTableauError/bCountMismatch(count:stageCount:)``, ``ButcherTableauError/cCountMismatch(count:stageCount:)``,
    ///   ``ButcherTableauError/bHatCountMismatch(count:stageCount:)``,
    ///   ``ButcherTableauError/nonFiniteCoefficient(coefficient:value:)``,
    ///   ``ButcherTableauError/notExplicit(row:column:value:)``, ``ButcherTableauError/rowSumMismatch(row:c:rowSum:)``,
    ///   ``ButcherTableauError/weightsDoNotSumToOne(sum:)``, ``ButcherTableauError/embeddedWeightsDoNotSumToOne(sum:)``,
    ///   ``ButcherTableauError/invalidOrder(field:value:)``, ``ButcherTableauError/incompleteEmbeddedPair(missing:)``,
    ///   ``ButcherTableauError/orderConditionViolated(field:order:condition:residual:)``;
    ///   checks run in that order (shapes, finiteness, explicitness, consistency, order).
    public init(
        name: String, a: [[Double]], b: [Double], c: [Double], order: Int,
        bHat: [Double]? = nil, embeddedOrder: Int? = nil
    ) throws {
        try Self.validate(a: a, b: b, c: c, order: order, bHat: bHat, embeddedOrder: embeddedOrder)
        self.init(unvalidatedName: name, a: a, b: b, c: c, order: order,
                  bHat: bHat, embeddedOrder: embeddedOrder)
        try validateClaimedOrders()
    }

    /// Checks ``order`` (and ``embeddedOrder``) against the order conditions up to `min(p, 4)`.
    ///
    /// - Throws: ``ButcherTableauError/orderConditionViolated(field:order:condition:residual:)``
    ///   naming the first condition that fails.
    func validateClaimedOrders() throws {
        var claims: [(field: String, order: Int, weights: TableauWeights)] = [("order", order, .main)]
        if let embeddedOrder { claims.append(("embeddedOrder", embeddedOrder, .embedded)) }
        for claim in claims {
            let p = Swift.min(claim.order, OrderCondition.highestOrder)
            for (condition, residual) in try orderConditionResiduals(upTo: p, weights: claim.weights)
            where !(Swift.abs(residual) <= Self.orderConditionTolerance) {
                throw ButcherTableauError.orderConditionViolated(field: claim.field, order: claim.order,
                                                                 condition: condition.formula, residual: residual)
            }
        }
    }

    /// The catalogue's initializer: the constants are checked by the tests through the throwing
    /// initializer instead of at every use.
    init(
        unvalidatedName name: String, a: [[Double]], b: [Double], c: [Double], order: Int,
        bHat: [Double]?, embeddedOrder: Int?
    ) {
        self.name = name
        self.a = a
        self.b = b
        self.c = c
        self.order = order
        self.bHat = bHat
        self.embeddedOrder = embeddedOrder
    }

    /// The rounding tolerance for a sum of terms whose absolute values add up to `magnitude`:
    /// ```
    /// tol = 4 · ε · max(1, magnitude)          ε = Double.ulpOfOne
    /// ```
    /// Coefficients written as exact ratios and converted once stay far inside it; a mistyped
    /// coefficient (even in the 4th significant digit) is far outside.
    ///
    /// - Parameter magnitude: `Σ |terms|` of the sum being checked.
    /// - Returns: the allowed absolute deviation.
    public static func consistencyTolerance(magnitude: Double) -> Double {
        4 * Double.ulpOfOne * Swift.max(1, magnitude)
    }
}

extension ButcherTableau {
    private static func validate(
        a: [[Double]], b: [Double], c: [Double], order: Int,
        bHat: [Double]?, embeddedOrder: Int?
    ) throws {
        let s = a.count
        guard s > 0 else { throw ButcherTableauError.noStages }
        for (i, row) in a.enumerated() where row.count != s {
            throw ButcherTableauError.aNotSquare(row: i, count: row.count, stageCount: s)
        }
        guard b.count == s else { throw ButcherTableauError.bCountMismatch(count: b.count, stageCount: s) }
        guard c.count == s else { throw ButcherTableauError.cCountMismatch(count: c.count, stageCount: s) }
        if let bHat, bHat.count != s {
            throw ButcherTableauError.bHatCountMismatch(count: bHat.count, stageCount: s)
        }
        try requireFinite(a: a, b: b, c: c, bHat: bHat)
        for i in 0..<s {
            for j in i..<s where a[i][j] != 0 {
                throw ButcherTableauError.notExplicit(row: i, column: j, value: a[i][j])
            }
        }
        for i in 0..<s {
            let rowSum = a[i].reduce(0, +)
            let magnitude = a[i].reduce(0) { $0 + Swift.abs($1) } + Swift.abs(c[i])
            guard Swift.abs(rowSum - c[i]) <= consistencyTolerance(magnitude: magnitude) else {
                throw ButcherTableauError.rowSumMismatch(row: i, c: c[i], rowSum: rowSum)
            }
        }
        let bSum = b.reduce(0, +)
        guard Swift.abs(bSum - 1) <= consistencyTolerance(magnitude: b.reduce(0) { $0 + Swift.abs($1) }) else {
            throw ButcherTableauError.weightsDoNotSumToOne(sum: bSum)
        }
        if let bHat {
            let sum = bHat.reduce(0, +)
            let magnitude = bHat.reduce(0) { $0 + Swift.abs($1) }
            guard Swift.abs(sum - 1) <= consistencyTolerance(magnitude: magnitude) else {
                throw ButcherTableauError.embeddedWeightsDoNotSumToOne(sum: sum)
            }
        }
        guard order >= 1 else { throw ButcherTableauError.invalidOrder(field: "order", value: order) }
        switch (bHat, embeddedOrder) {
        case (nil, nil):
            break
        case (.some, nil):
            throw ButcherTableauError.incompleteEmbeddedPair(missing: "embeddedOrder")
        case (nil, .some):
            throw ButcherTableauError.incompleteEmbeddedPair(missing: "bHat")
        case let (.some, .some(p)):
            guard p >= 1 else { throw ButcherTableauError.invalidOrder(field: "embeddedOrder", value: p) }
        }
    }

    private static func requireFinite(a: [[Double]], b: [Double], c: [Double], bHat: [Double]?) throws {
        for (i, row) in a.enumerated() {
            for (j, value) in row.enumerated() where !value.isFinite {
                throw ButcherTableauError.nonFiniteCoefficient(coefficient: "a[\(i)][\(j)]", value: value)
            }
        }
        let vectors: [(String, [Double])] = [("b", b), ("c", c), ("bHat", bHat ?? [])]
        for (label, vector) in vectors {
            for (i, value) in vector.enumerated() where !value.isFinite {
                throw ButcherTableauError.nonFiniteCoefficient(coefficient: "\(label)[\(i)]", value: value)
            }
        }
    }
}
