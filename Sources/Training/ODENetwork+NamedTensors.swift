public import ODENet
public import TensorCore

extension ODENetwork {
    /// Every tensor that defines the network's function: the trainable parameters under their
    /// names, and each batch norm's running statistics under `<prefix>.running_mean` and
    /// `<prefix>.running_var` (`<prefix>.weight` being its scale).
    ///
    /// Tensors are copy-on-write values: the result is a snapshot, unaffected by further training.
    public func namedTensors() -> [String: Tensor] {
        var result: [String: Tensor] = [:]
        for parameter in parameters { result[parameter.name] = parameter.value }
        for norm in batchNorms {
            let prefix = String(norm.scale.name.dropLast(".weight".count))
            result[prefix + ".running_mean"] = norm.runningMean
            result[prefix + ".running_var"] = norm.runningVariance
        }
        return result
    }

    /// Overwrites every tensor of ``namedTensors()`` from `tensors` (a snapshot of a network with
    /// the same spec); gradients are left as they are.
    ///
    /// - Parameter tensors: a tensor for every name of ``namedTensors()``, same shapes.
    /// - Throws: ``TrainingError/stateMismatch(_:)`` naming the first missing or misshapen entry;
    ///   nothing is written then.
    public func load(_ tensors: [String: Tensor]) throws {
        let current = namedTensors()
        for (name, value) in current {
            guard let new = tensors[name] else { throw TrainingError.stateMismatch("no tensor for '\(name)'") }
            guard new.shape == value.shape else {
                throw TrainingError.stateMismatch("'\(name)' has shape \(new.shape), the network needs \(value.shape)")
            }
        }
        for parameter in parameters { parameter.value = tensors[parameter.name]! }
        for norm in batchNorms {
            let prefix = String(norm.scale.name.dropLast(".weight".count))
            norm.runningMean = tensors[prefix + ".running_mean"]!
            norm.runningVariance = tensors[prefix + ".running_var"]!
        }
    }

    /// Every batch normalization, in forward order.
    var batchNorms: [BatchNormParameters] {
        var norms: [BatchNormParameters] = []
        for stage in stages {
            if let connector = stage.connector { norms += [connector.bn1, connector.bn2] }
            for step in stage.steps { norms += [step.bn1, step.bn2] }
        }
        return norms + [headNorm]
    }
}
