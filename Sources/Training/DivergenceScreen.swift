public import Autodiff
public import ODENet
public import Optimization
import TensorCore

/// The check a trainer runs before every update: is any batch-norm running statistic, gradient, or
/// weight after the coming SGD update NaN or ±∞?
///
/// ```
/// 1. for each batch norm, in forward order: running mean, running variance
/// 2. for each parameter, in network order: gradient g, then θ − η(…) as the optimizer's step would compute it
/// ```
/// Each tensor is read once (vectorizable reductions over the exponent bits, no allocation unless a
/// non-finite value is found). Built once per network (the list of batch norms and their names);
/// the tensors are read anew at every call.
///
/// Units: its cost is reported by `mlresnet bench` as a share of a training step.
public struct DivergenceScreen {
    private let norms: [BatchNormParameters]

    /// The screen of `network`'s batch norms.
    ///
    /// - Parameter network: the network being trained.
    public init(network: ODENetwork) {
        norms = network.batchNorms
    }

    /// The first non-finite value of the step about to be applied, or `nil` when it is safe.
    ///
    /// - Parameters:
    ///   - parameters: the parameters `optimizer` is about to update (the network's).
    ///   - optimizer: the optimizer, with its momentum buffers.
    ///   - learningRate: η of the coming step.
    /// - Returns: the tensor (a running statistic's or a parameter's path name, e.g.
    ///   `stage1.step0.bn1.running_var`), the quantity, the element index and its value; `nil` when
    ///   everything is finite.
    public func firstNonFiniteValue(parameters: [Parameter], optimizer: any Optimizer,
                                    learningRate: Double) -> NonFiniteValue? {
        // The name is built only for a hit: no allocation while everything is finite.
        func statistic(_ tensor: Tensor, _ path: ParameterPath) -> NonFiniteValue? {
            tensor.firstNonFiniteIndex().map { i in
                NonFiniteValue(name: path.name, quantity: .runningStatistic, index: i,
                               value: tensor.withUnsafeBufferPointer { $0[i] })
            }
        }
        for norm in norms {
            if let found = statistic(norm.runningMean, norm.paths.runningMean)
                ?? statistic(norm.runningVariance, norm.paths.runningVariance) {
                return found
            }
        }
        return optimizer.firstNonFiniteUpdate(of: parameters, learningRate: learningRate)
    }
}
