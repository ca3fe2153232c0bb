public import TensorCore

/// A tensor value recorded on a `Tape`: an activation of the network being differentiated.
///
/// Variables are cheap values (a tensor reference, the tape and a node index). A variable that
/// needs no gradient (a constant input, or anything computed only from constants on a tape that
/// is not recording) has no node.
///
/// Invariants: a variable is only valid until its tape's next `reset()`.
public struct Variable {
    /// The forward value.
    public let value: Tensor
    /// The tape this variable was recorded on.
    public let tape: Tape
    /// The node index, or −1 for a constant.
    let index: Int
    /// The tape generation (reset count) at recording time.
    let generation: Int

    /// The value's shape.
    public var shape: [Int] { value.shape }

    /// Whether gradients flow to this variable.
    public var requiresGradient: Bool { index >= 0 }

    /// The gradient accumulated for this variable by the last `backward`, if any.
    ///
    /// Gradients of intermediate variables are released during the backward pass to save
    /// memory; leaves (inputs created with `requiresGradient: true`) keep theirs.
    public var gradient: Tensor? { tape.gradient(of: self) }

    /// Backpropagates from this scalar; see `Tape.backward(from:)`.
    ///
    /// - Throws: `AutodiffError` or a kernel error raised by a backward step.
    public func backward() throws { try tape.backward(from: self) }
}
