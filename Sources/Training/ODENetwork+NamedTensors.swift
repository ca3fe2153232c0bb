import Autodiff
public import ODENet
public import TensorCore

extension ODENetwork {
    /// ``/ODENet/ODENetwork/tensorsByPath()`` keyed by ``/Autodiff/ParameterPath/name`` (`stage1.step0.bn1.running_var`, …).
    public func namedTensors() -> [String: Tensor] { tensorsByPath().keyedByName }

    /// Overwrites every tensor of ``namedTensors()`` from `tensors` (a snapshot of a network with
    /// the same spec); gradients are left as they are.
    ///
    /// - Parameter tensors: a tensor for every name of ``namedTensors()``, same shapes.
    /// - Throws: ``TrainingError/stateMismatch(_:)`` naming the first missing or misshapen entry;
    ///   nothing is written then.
    public func load(_ tensors: [String: Tensor]) throws {
        var byPath: [ParameterPath: Tensor] = [:]
        for (path, value) in tensorsByPath() {
            guard let new = tensors[path.name] else { throw TrainingError.stateMismatch("no tensor for '\(path)'") }
            guard new.shape == value.shape else {
                throw TrainingError.stateMismatch("'\(path)' has shape \(new.shape), the network needs \(value.shape)")
            }
            byPath[path] = new
        }
        for parameter in parameters {
            if let path = parameter.path, let value = byPath[path] { parameter.value = value }
        }
        for norm in batchNorms {
            if let mean = byPath[norm.paths.runningMean] { norm.runningMean = mean }
            if let variance = byPath[norm.paths.runningVariance] { norm.runningVariance = variance }
        }
    }
}
