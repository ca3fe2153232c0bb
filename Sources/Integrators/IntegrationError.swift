/// Why a fixed-step ``Integrator/solve(_:startTime:finalTime:stepCount:recordTrajectory:rightHandSide:)``
/// was refused before any step ran, or a step was given the wrong carried states.
public enum IntegrationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The step count N is below 1.
    case invalidStepCount(Int)
    /// The start time t0 or the final time T is NaN or infinite.
    case nonFiniteTime(startTime: Double, finalTime: Double)
    /// T ≤ t0: the interval `[t0, T]` is empty or reversed.
    case emptyInterval(startTime: Double, finalTime: Double)
    /// `h = (T − t0)/N` is not a finite positive number (e.g. `T − t0` overflows).
    case invalidStepSize(Double)
    /// `recordTrajectory` with more steps than ``Integrator/maximumRecordedStepCount``: the
    /// trajectory would hold `N + 1` states.
    case trajectoryTooLong(stepCount: Int, limit: Int)
    /// A step of `method` was given `found` carried states where the method carries `expected`
    /// (``Integrator/carriedStateCount``), or its starting procedure returned `found`.
    case carriedStateCountMismatch(method: String, expected: Int, found: Int)

    /// A one-line message naming the offending value(s).
    public var description: String {
        switch self {
        case let .invalidStepCount(n):
            return "solve: step count N = \(n), expected N ≥ 1"
        case let .nonFiniteTime(t0, t):
            return "solve: times must be finite, got startTime = \(t0), finalTime = \(t)"
        case let .emptyInterval(t0, t):
            return "solve: finalTime T = \(t) must exceed startTime t0 = \(t0)"
        case let .invalidStepSize(h):
            return "solve: step size h = (T − t0)/N = \(h) is not finite and positive"
        case let .trajectoryTooLong(n, limit):
            return "solve: recordTrajectory with N = \(n) steps exceeds the limit of \(limit) recorded steps"
        case let .carriedStateCountMismatch(method, expected, found):
            return "\(method): \(found) carried states, the method carries \(expected)"
        }
    }
}
