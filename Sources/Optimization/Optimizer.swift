public import Autodiff
public import TensorCore

/// An update rule for a model's parameters, with per-parameter state keyed by ``/Autodiff/ParameterPath``
/// and tagged with the depth of the model it belongs to.
///
/// A trainer calls, per step: ``firstNonFiniteUpdate(of:learningRate:)`` (the divergence screen,
/// before anything is written), then ``step(_:learningRate:depth:)``. Between levels of a
/// multilevel run it moves ``state`` to the new network (`ODENetwork.transferredState`) and hands
/// it back with ``setState(_:depth:)``.
///
/// Why the depth tag: a path names a step by its index (`stage1.step3`), so state of a network
/// with `N` steps per stage would line up by index with the first `N` steps of a deeper one; an
/// optimizer refuses state of another depth (``OptimizationError/depthMismatch(buffers:parameters:)``).
public protocol Optimizer: Sendable {
    /// The per-parameter state (e.g. SGD's momentum buffers) by path; absent = not started.
    var state: [ParameterPath: Tensor] { get }
    /// The depth of the model ``state`` belongs to (an ODE network's steps per stage `N`), or `nil`
    /// when untagged.
    var depth: Int? { get }

    /// Replaces the state, tagged with the depth of its model.
    ///
    /// - Parameters:
    ///   - state: tensors by path.
    ///   - depth: the depth of their model, or `nil` when unknown (the next step adopts its depth).
    mutating func setState(_ state: [ParameterPath: Tensor], depth: Int?)

    /// Checks that the state may be applied to a model of `depth`.
    ///
    /// - Parameter depth: the depth of the model about to be updated.
    /// - Throws: ``OptimizationError/depthMismatch(buffers:parameters:)`` when state is held and
    ///   tagged with another depth.
    func requireDepth(_ depth: Int) throws

    /// Applies one update to every parameter from its gradient, then zeroes the gradients.
    ///
    /// - Parameters:
    ///   - parameters: the parameters, each with a distinct ``/Autodiff/Parameter/path``.
    ///   - learningRate: η > 0 of this step.
    ///   - depth: the depth of the model (checked against ``depth``, which it then becomes), or `nil`.
    /// - Throws: `OptimizationError` (bad η, a missing or duplicate path, state of another depth or
    ///   shape); nothing is updated then.
    mutating func step(_ parameters: [Parameter], learningRate: Double, depth: Int?) throws

    /// The first gradient, or weight after ``step(_:learningRate:depth:)`` with the same η, that is
    /// NaN or ±∞; `nil` when the step is safe. Nothing is changed.
    ///
    /// - Parameters:
    ///   - parameters: the parameters about to be updated, in the order to report them.
    ///   - learningRate: η of the coming step.
    /// - Returns: the first non-finite value, or `nil`.
    func firstNonFiniteUpdate(of parameters: [Parameter], learningRate: Double) -> NonFiniteValue?
}

/// A group of parameters that can be excluded from weight decay (`--no-decay norm,bias`).
public enum DecayExclusion: String, CaseIterable, Hashable, Sendable, Codable {
    /// Every batch norm's γ and β.
    case norm
    /// Every bias (the classifier's).
    case bias

    /// The parameter kind this group is.
    public var kind: ParameterKind {
        switch self {
        case .norm: .norm
        case .bias: .bias
        }
    }
}
