/// What a prolongation actually computes for a given coarse step count `N`: the interpolating
/// methods fall back to lower-degree polynomials when `N` is too small to determine them.
///
/// | chosen `Prolongation` | `N = 1`             | `N = 2`    | `N = 3`     | `N ≥ 4`       |
/// |-----------------------|---------------------|------------|-------------|---------------|
/// | `piecewiseConstant`   | `piecewiseConstant` | same       | same        | same          |
/// | `linear`              | `constant`          | `linear`   | `linear`    | `linear`      |
/// | `cubicSpline`         | `constant`          | `linear`   | `quadratic` | `cubicSpline` |
///
/// `constant` (every fine step gets θ_0) equals `piecewiseConstant` at `N = 1`; `linear` at
/// `N = 2` is the line through both steps, `quadratic` at `N = 3` the parabola through the three
/// (the not-a-knot spline of fewer than four points; see ``Prolongation``), each extended past the
/// ends as the method states.
///
/// Stored as the per-level attribute `prolongation_effective` of a level archive (raw values).
public enum EffectiveProlongation: String, Sendable, Hashable, Codable, CaseIterable {
    /// The paper's copy of each step `cf` times.
    case piecewiseConstant
    /// One value for every fine step (`N = 1` under an interpolating method).
    case constant
    /// Linear interpolation (the line through two steps when `N = 2`).
    case linear
    /// The parabola through three steps (a not-a-knot cubic spline of `N = 3` points).
    case quadratic
    /// The not-a-knot cubic spline (`N ≥ 4`).
    case cubicSpline

    /// The highest polynomial degree the method reproduces exactly (piecewise constant: 0).
    public var degree: Int {
        switch self {
        case .piecewiseConstant, .constant: return 0
        case .linear: return 1
        case .quadratic: return 2
        case .cubicSpline: return 3
        }
    }
}

extension Prolongation {
    /// The method this prolongation amounts to on `N` coarse steps (see ``EffectiveProlongation``).
    ///
    /// - Parameter n: the coarse step count `N ≥ 1` (values below 1 are treated as 1).
    /// - Returns: `piecewiseConstant` for `piecewiseConstant`; for `linear`: `constant` at `N = 1`,
    ///   else `linear`; for `cubicSpline`: `constant`, `linear`, `quadratic` at `N = 1, 2, 3`, else
    ///   `cubicSpline`.
    public func effectiveMethod(coarseStepCount n: Int) -> EffectiveProlongation {
        switch self {
        case .piecewiseConstant: return .piecewiseConstant
        case .linear: return n <= 1 ? .constant : .linear
        case .cubicSpline:
            switch n {
            case ...1: return .constant
            case 2: return .linear
            case 3: return .quadratic
            default: return .cubicSpline
            }
        }
    }

    /// Whether this prolongation on `N` coarse steps falls back to a lower-degree method than it names.
    ///
    /// - Parameter n: the coarse step count `N`.
    /// - Returns: `true` for `linear` at `N = 1` and `cubicSpline` at `N < 4`.
    public func isDegraded(coarseStepCount n: Int) -> Bool {
        switch (self, effectiveMethod(coarseStepCount: n)) {
        case (.piecewiseConstant, _), (.linear, .linear), (.cubicSpline, .cubicSpline): return false
        default: return true
        }
    }

    /// A one-line warning when this prolongation on `N` coarse steps falls back to a lower degree,
    /// else `nil`.
    ///
    /// - Parameter n: the coarse step count `N`.
    /// - Returns: e.g. `prolongation cubicSpline on N = 2 coarse steps is the linear interpolation
    ///   (a cubic spline needs N ≥ 4)`.
    public func degradationWarning(coarseStepCount n: Int) -> String? {
        guard isDegraded(coarseStepCount: n) else { return nil }
        let needed = self == .cubicSpline ? 4 : 2
        let effective = effectiveMethod(coarseStepCount: n)
        return "prolongation \(rawValue) on N = \(n) coarse step\(n == 1 ? "" : "s") is the \(effective.rawValue) "
            + "interpolation (degree \(effective.degree)); \(rawValue) needs N ≥ \(needed)"
    }

    /// The effective methods of the refinements that take `N` coarse steps to `N'` fine steps, one
    /// per refinement by `cf`, coarse to fine.
    ///
    /// - Parameters:
    ///   - coarse: `N ≥ 1`.
    ///   - fine: `N' = N · cf^k` with `k ≥ 0`.
    ///   - cf: the coarseningFactor, `≥ 2` (2 in every schedule this library builds).
    /// - Returns: `k` methods (`[]` when `N' = N`), or `nil` when `N'` is not `N · cf^k`.
    public func effectiveMethods(fromStepCount coarse: Int, toStepCount fine: Int,
                                 coarseningFactor cf: Int = 2) -> [EffectiveProlongation]? {
        guard coarse >= 1, cf >= 2 else { return nil }
        var methods: [EffectiveProlongation] = []
        var n = coarse
        while n < fine {
            methods.append(effectiveMethod(coarseStepCount: n))
            let (next, overflow) = n.multipliedReportingOverflow(by: cf)
            if overflow { return nil }
            n = next
        }
        return n == fine ? methods : nil
    }
}
