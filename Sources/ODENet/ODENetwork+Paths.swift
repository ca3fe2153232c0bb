public import Autodiff
public import TensorCore

extension ODENetwork {
    /// Every tensor that defines the network's function, by path: the trainable parameters and each
    /// batch norm's running statistics (the datasets of its HDF5 export, by
    /// `ParameterPath.hdf5Dataset` and `hdf5Row`).
    ///
    /// Tensors are copy-on-write values: the result is a snapshot, unaffected by further training.
    public func tensorsByPath() -> [ParameterPath: Tensor] {
        var result: [ParameterPath: Tensor] = [:]
        for parameter in parameters {
            if let path = parameter.path { result[path] = parameter.value }
        }
        for norm in batchNorms {
            result[norm.paths.runningMean] = norm.runningMean
            result[norm.paths.runningVariance] = norm.runningVariance
        }
        return result
    }

    /// Every batch normalization, in forward order.
    public var batchNorms: [BatchNormParameters] {
        var norms: [BatchNormParameters] = []
        for stage in stages {
            if let connector = stage.connector { norms += [connector.bn1, connector.bn2] }
            for step in stage.steps { norms += [step.bn1, step.bn2] }
        }
        return norms + [headNorm]
    }
}
