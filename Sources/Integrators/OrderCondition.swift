/// One of the eight Runge–Kutta order conditions up to order 4, one per rooted tree.
///
/// With `c_i = Σ_j a_ij`, a method has order p when every condition of order ≤ p holds:
/// ```
/// order 1:  Σ b_i                  = 1
/// order 2:  Σ b_i c_i              = 1/2
/// order 3:  Σ b_i c_i²             = 1/3      Σ b_i a_ij c_j         = 1/6
/// order 4:  Σ b_i c_i³             = 1/4      Σ b_i c_i a_ij c_j     = 1/8
///           Σ b_i a_ij c_j²        = 1/12     Σ b_i a_ij a_jk c_k    = 1/24
/// ```
/// (the right-hand side is `1/γ(τ)`, the density of the tree τ).
///
/// Reference: Butcher 2016, *Numerical Methods for Ordinary Differential Equations*, §31 (order
/// conditions, rooted trees); Hairer, Nørsett & Wanner 1993, *Solving Ordinary Differential
/// Equations I*, §II.2 (order conditions for Runge–Kutta methods).
public struct OrderCondition: Sendable, Hashable, CustomStringConvertible {
    /// The order at which this condition first appears (the number of vertices of its tree).
    public let order: Int
    /// The condition as written above, e.g. `"Σ b_i a_ij c_j = 1/6"`.
    public let formula: String
    /// The exact value `1/γ(τ)` the sum must equal.
    public let expected: Double

    private let kind: Kind

    private enum Kind: Sendable, Hashable {
        case bSum, bc, bc2, bac, bc3, bcac, bac2, baac
    }

    /// The eight conditions, ordered by order.
    public static let all: [OrderCondition] = [
        OrderCondition(order: 1, formula: "Σ b_i = 1", expected: 1, kind: .bSum),
        OrderCondition(order: 2, formula: "Σ b_i c_i = 1/2", expected: 1.0 / 2, kind: .bc),
        OrderCondition(order: 3, formula: "Σ b_i c_i² = 1/3", expected: 1.0 / 3, kind: .bc2),
        OrderCondition(order: 3, formula: "Σ b_i a_ij c_j = 1/6", expected: 1.0 / 6, kind: .bac),
        OrderCondition(order: 4, formula: "Σ b_i c_i³ = 1/4", expected: 1.0 / 4, kind: .bc3),
        OrderCondition(order: 4, formula: "Σ b_i c_i a_ij c_j = 1/8", expected: 1.0 / 8, kind: .bcac),
        OrderCondition(order: 4, formula: "Σ b_i a_ij c_j² = 1/12", expected: 1.0 / 12, kind: .bac2),
        OrderCondition(order: 4, formula: "Σ b_i a_ij a_jk c_k = 1/24", expected: 1.0 / 24, kind: .baac),
    ]

    /// The highest order the catalogue of conditions covers.
    public static let highestOrder = 4

    /// The condition as written, e.g. `"Σ b_i c_i = 1/2"`.
    public var description: String { formula }

    /// The left-hand side of the condition for weights `b` (the tableau's `b` or `bHat`).
    ///
    /// - Parameters:
    ///   - tableau: supplies `a` and `c`.
    ///   - b: the weights to test (s entries).
    /// - Returns: the sum; the condition holds when it equals ``expected``.
    public func value(for tableau: ButcherTableau, weights b: [Double]) -> Double {
        let a = tableau.a, c = tableau.c, s = tableau.stageCount
        // (A c)_i and (A c²)_i, (A A c)_i: the inner sums of the bushy and tall trees.
        func aTimes(_ v: [Double]) -> [Double] {
            (0..<s).map { i in (0..<s).reduce(0) { $0 + a[i][$1] * v[$1] } }
        }
        func dot(_ u: [Double]) -> Double { (0..<s).reduce(0) { $0 + b[$1] * u[$1] } }
        switch kind {
        case .bSum: return dot(Array(repeating: 1, count: s))
        case .bc: return dot(c)
        case .bc2: return dot(c.map { $0 * $0 })
        case .bac: return dot(aTimes(c))
        case .bc3: return dot(c.map { $0 * $0 * $0 })
        case .bcac: return dot(zip(c, aTimes(c)).map { $0 * $1 })
        case .bac2: return dot(aTimes(c.map { $0 * $0 }))
        case .baac: return dot(aTimes(aTimes(c)))
        }
    }
}
