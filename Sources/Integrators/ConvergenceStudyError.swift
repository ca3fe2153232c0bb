/// Why a convergence measurement could not produce an order estimate.
public enum ConvergenceStudyError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Fewer than two step counts, or a step count below 1.
    case invalidStepCounts([Int])
    /// The error at step count `stepCount` is zero, negative or not finite, so `log(error)` is
    /// undefined (e.g. a method exact on the problem, or a blow-up).
    case unusableError(problem: String, method: String, stepCount: Int, error: Double)
    /// The exact solution has `exactCount` components where the computed state has `stateCount`.
    case exactSolutionCountMismatch(problem: String, stateCount: Int, exactCount: Int)
    /// The least-squares fit has no unique slope (all step sizes equal).
    case degenerateFit(pointCount: Int)

    /// A one-line message naming the offending value(s).
    public var description: String {
        switch self {
        case let .invalidStepCounts(counts):
            return "convergence study: step counts \(counts) (need ≥ 2 distinct counts ≥ 1)"
        case let .unusableError(problem, method, stepCount, error):
            return "convergence study: \(method) on \(problem) at N = \(stepCount) has error \(error); log undefined"
        case let .exactSolutionCountMismatch(problem, stateCount, exactCount):
            return "convergence study: \(problem): state has \(stateCount) components, exact solution \(exactCount)"
        case let .degenerateFit(pointCount):
            return "convergence study: least-squares fit of \(pointCount) points has no unique slope"
        }
    }
}
