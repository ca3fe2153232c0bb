/// The convergence of one method over every problem of a study.
///
/// Invariants: `passed` is `true` exactly when every measurement passed.
public struct MethodConvergence: Sendable, Codable, Equatable {
    /// The method's name (the ``IntegratorKind`` raw value for the catalogue).
    public let name: String
    /// s, the stages per step.
    public let stageCount: Int
    /// p, the nominal order.
    public let nominalOrder: Int
    /// One measurement per problem, in the study's problem order.
    public let measurements: [ConvergenceMeasurement]
    /// Whether the method reached its order on every problem.
    public var passed: Bool { measurements.allSatisfy(\.passed) }
}
