/// Errors of the optimizers and learning-rate schedules.
public enum OptimizationError: Error, Equatable, CustomStringConvertible {
    /// A hyperparameter outside its range (named, with the value and the range expected).
    case invalidHyperparameter(name: String, value: Double, expected: String)
    /// Two parameters share one name, so their optimizer state would collide.
    case duplicateParameterName(String)
    /// A stored state entry whose shape differs from its parameter's.
    case stateShapeMismatch(name: String, expected: [Int], got: [Int])

    /// A one-line explanation naming the offending values.

    public var description: String {
        switch self {
        case .invalidHyperparameter(let name, let value, let expected):
            return "\(name) = \(value) is invalid: expected \(expected)"
        case .duplicateParameterName(let name):
            return "two parameters are named '\(name)': optimizer state is kept by name"
        case .stateShapeMismatch(let name, let expected, let got):
            return "state for '\(name)' has shape \(got), the parameter has \(expected)"
        }
    }
}
