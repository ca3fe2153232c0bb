/// Errors of the optimizers and learning-rate schedules.
public enum OptimizationError: Error, Equatable, CustomStringConvertible {
    /// A hyperparameter outside its range (named, with the value and the range expected).
    case invalidHyperparameter(name: String, value: Double, expected: String)
    /// Two parameters share one name, so their optimizer state would collide.
    case duplicateParameterName(String)
    /// A stored state entry whose shape differs from its parameter's.
    case stateShapeMismatch(name: String, expected: [Int], got: [Int])
    /// Momentum buffers of a model of depth `buffers` (an ODE network's steps per stage `N`) handed
    /// to the parameters of a model of depth `parameters`: their names would line up by position
    /// only (step n of one depth is not step n of the other).
    case depthMismatch(buffers: Int, parameters: Int)
    /// A parameter without a ``/Autodiff/ParameterPath`` (named), so it has no key for optimizer state.
    case missingPath(String)

    /// A one-line explanation naming the offending values.
    public var description: String {
        switch self {
        case .invalidHyperparameter(let name, let value, let expected):
            return "\(name) = \(value) is invalid: expected \(expected)"
        case .duplicateParameterName(let name):
            return "two parameters have the path '\(name)': optimizer state is kept by path"
        case .stateShapeMismatch(let name, let expected, let got):
            return "state for '\(name)' has shape \(got), the parameter has \(expected)"
        case .missingPath(let name):
            return "parameter '\(name)' has no parameter path: optimizer state is kept by path"
        case .depthMismatch(let buffers, let parameters):
            return "momentum buffers of a network with N = \(buffers) steps per stage cannot update a network with "
                + "N = \(parameters) (transfer them with ODENetwork.transferredState, or reset them)"
        }
    }
}
