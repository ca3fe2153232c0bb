/// A state that explicit Runge–Kutta methods can advance: a real vector space with a fused linear
/// combination.
///
/// Integrators are generic over this protocol so that one implementation runs on plain `[Double]`
/// vectors (convergence tests on analytic ODEs) and on network activations recorded on the autodiff
/// tape (training), where the fused combination is a single op with its own vector–Jacobian product.
///
/// An explicit Runge–Kutta step needs only the stage inputs and the update
/// ```
/// Y_i     = y_n + h Σ_{j<i} a_ij k_j
/// y_{n+1} = y_n + h Σ_i b_i k_i
/// ```
/// which are both `linearCombination(y_n, weights: h·a_i· or h·b, terms: k)`.
///
/// Invariants: `linearCombination(x, weights: [], terms: [])` equals `x`; the result has the shape
/// of `base`.
public protocol VectorSpace {
    /// `base + Σ_i weights[i] · terms[i]`, computed in one pass over the data.
    ///
    /// - Parameters:
    ///   - base: the vector the combination starts from (`y_n` in a Runge–Kutta step).
    ///   - weights: one real coefficient per term; a zero weight may be skipped.
    ///   - terms: vectors of the same shape as `base` (the stage derivatives `k_j`).
    /// - Returns: a new vector of `base`'s shape.
    /// - Throws: a conforming type's shape error when a term's shape differs from `base`'s, or
    ///   when `weights.count != terms.count`.
    static func linearCombination(_ base: Self, weights: [Double], terms: [Self]) throws -> Self
}
