/// Failures of the analysis.
public enum AnalysisError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The power law cannot be fitted; `reason` says why.
    case powerLawUnavailable(reason: String)
    /// A stage or step index out of range in a lesion.
    case invalidLesion(stage: Int, step: Int, message: String)
    /// A bad argument (e.g. no test set, `k < 1`, no seeds).
    case invalidArgument(message: String)

    /// A readable description.
    public var description: String {
        switch self {
        case let .powerLawUnavailable(reason): "power law unavailable: \(reason)"
        case let .invalidLesion(stage, step, message): "lesion of stage \(stage) step \(step): \(message)"
        case let .invalidArgument(message): "analysis: \(message)"
        }
    }
}
