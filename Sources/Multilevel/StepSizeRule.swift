/// How the step size changes when a network's depth changes by the coarsening factor.
///
/// Reference: Chang, Meng, Haber, Tung, Begert, *Multi-level Residual Networks from Dynamical
/// Systems View*, ICLR 2018, §3.2 (`halve`); `keep` is the naive baseline a reviewer asked for.
public enum StepSizeRule: String, Sendable, Hashable, Codable, CaseIterable {
    /// Keep the final time `T`: refining `N → 2N` halves `h` (the paper's rule).
    case halve
    /// Keep the step size `h`: refining `N → 2N` doubles `T` (deeper network, same residual scale).
    case keep

    /// The final time of the level reached by multiplying the step count by `factor`.
    ///
    /// - Parameters:
    ///   - finalTime: `T` of the current level.
    ///   - factor: the ratio `N_new / N_old` (2 to refine, ½ to coarsen by 2).
    /// - Returns: `T` under `halve`, `T · factor` under `keep`.
    public func finalTime(from finalTime: Double, stepCountFactor factor: Double) -> Double {
        switch self {
        case .halve: return finalTime
        case .keep: return finalTime * factor
        }
    }
}
