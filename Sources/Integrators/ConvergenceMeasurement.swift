/// The measured convergence of one method on one problem: errors at N = 2^k steps and the
/// least-squares order estimate.
///
/// Invariants: `stepCounts`, `stepSizes` and `errors` have the same length (≥ 2);
/// `passed == (abs(estimatedOrder − nominalOrder) <= tolerance)`.
public struct ConvergenceMeasurement: Sendable, Codable, Equatable {
    /// The problem's name.
    public let problem: String
    /// The method's name.
    public let method: String
    /// The method's nominal order p.
    public let nominalOrder: Int
    /// The step counts N used.
    public let stepCounts: [Int]
    /// The step sizes `h = (T − t0)/N`.
    public let stepSizes: [Double]
    /// The max-norm errors `‖y_N − y(T)‖_∞`.
    public let errors: [Double]
    /// p̂, the slope of the least-squares fit of `log error` on `log h`.
    public let estimatedOrder: Double
    /// The accepted `|p̂ − p|`.
    public let tolerance: Double
    /// Whether `|p̂ − p| ≤ tolerance`.
    public let passed: Bool
}
