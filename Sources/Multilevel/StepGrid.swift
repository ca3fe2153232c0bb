/// Where the per-step parameters θ_n sit in depth-time, for interpolating transfer operators.
///
/// Step `n` of a level with step size `h` covers `[n h, (n+1) h)` and uses θ_n throughout (θ is
/// piecewise constant in `t`; every Runge–Kutta stage of the step uses θ_n).
public enum StepGrid: String, Sendable, Hashable, Codable, CaseIterable {
    /// θ_n at the centre of its step, `t = (n + ½) h`. A coarse centre lies between two fine ones,
    /// so no fine step coincides with a coarse step.
    case cellCentred
    /// θ_n at the start of its step, `t = n h` (where forward Euler evaluates `F`). Fine step `2n`
    /// coincides with coarse step `n`.
    case vertex

    /// The positions of `count` steps of size `h`, in depth-time.
    ///
    /// - Returns: `(n + ½) h` (cell-centred) or `n h` (vertex), `n = 0 … count − 1`.
    public func positions(count: Int, stepSize h: Double) -> [Double] {
        let offset = self == .cellCentred ? 0.5 : 0.0
        return (0..<count).map { (Double($0) + offset) * h }
    }
}
