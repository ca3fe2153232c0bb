public import TensorCore

/// A reverse-mode automatic-differentiation tape (Wengert list).
///
/// Every operation records, next to its forward computation, a closure computing its
/// vector–Jacobian product. `backward(from:)` seeds `∂L/∂L = 1` and runs the closures in reverse
/// recording order (a valid reverse topological order); gradients accumulate (`+=`) wherever a
/// variable is used more than once, and into each `Parameter.gradient`.
///
/// Typical step: `let tape = Tape()` once; per batch: forward ops, `loss.backward()`,
/// `tape.reset()`, optimizer update, `parameter.zeroGradient()`. Reset before updating the
/// parameters: the tape holds the weights' forward values, and an update while they are held
/// copies them (copy-on-write) instead of writing in place.
///
/// Invariants: steps only refer to earlier nodes; freed tensors return to a process-wide buffer
/// pool, so a training loop with fixed shapes allocates no new memory after its first step.
///
/// Reference: A. Karpathy, micrograd (2020); A. Griewank, A. Walther, *Evaluating Derivatives*,
/// 2nd ed., SIAM 2008, ch. 3.
public final class Tape {
    /// Whether operations record backward steps (`false`: evaluation only, nothing retained).
    public let isRecording: Bool
    /// Incremented by `reset()`; variables of older generations are rejected.
    public private(set) var generation = 0

    struct Step {
        /// The node whose gradient this step consumes.
        var output: Int
        /// The VJP: receives the tape and `∂L/∂output`.
        var run: (Tape, Tensor) throws -> Void
    }

    var gradients: [Tensor?] = []
    var steps: [Step] = []
    private var parameterIDs: Set<ObjectIdentifier> = []

    /// The parameters used by operations recorded since the last reset, in first-use order (what
    /// an optimizer step should update after `backward`).
    public private(set) var parameters: [Parameter] = []

    /// Notes that an operation used `parameter`.
    func use(_ parameter: Parameter) {
        guard isRecording, parameterIDs.insert(ObjectIdentifier(parameter)).inserted else { return }
        parameters.append(parameter)
    }

    /// Creates an empty tape.
    ///
    /// - Parameter recording: `false` for a forward-only (evaluation) tape.
    public init(recording: Bool = true) { isRecording = recording }

    /// The number of nodes recorded since the last reset.
    public var nodeCount: Int { gradients.count }

    /// A variable for a tensor entering the computation.
    ///
    /// - Parameters:
    ///   - value: the tensor (an input batch, a constant).
    ///   - requiresGradient: whether `backward` should compute `∂L/∂value` (kept after backward).
    /// - Returns: a leaf variable.
    public func input(_ value: Tensor, requiresGradient: Bool = false) -> Variable {
        guard isRecording, requiresGradient else { return constant(value) }
        gradients.append(nil)
        return Variable(value: value, tape: self, index: gradients.count - 1, generation: generation)
    }

    /// Records an operation's output.
    ///
    /// - Parameters:
    ///   - value: the forward result.
    ///   - differentiable: whether any input needs a gradient (else nothing is recorded).
    ///   - backward: the VJP, run with `∂L/∂value`.
    func record(_ value: Tensor, differentiable: Bool, backward: @escaping (Tape, Tensor) throws -> Void)
        -> Variable
    {
        guard isRecording, differentiable else { return constant(value) }
        gradients.append(nil)
        let index = gradients.count - 1
        steps.append(Step(output: index, run: backward))
        return Variable(value: value, tape: self, index: index, generation: generation)
    }

    func constant(_ value: Tensor) -> Variable {
        Variable(value: value, tape: self, index: -1, generation: generation)
    }

    /// Throws unless `variable` was recorded on this tape since the last reset.
    func validate(_ variable: Variable, _ operation: String) throws(AutodiffError) {
        guard variable.tape === self else { throw .differentTapes(operation: operation) }
        guard variable.generation == generation else { throw .staleVariable(operation: operation) }
    }

    /// `∂L/∂node += α · gradient` (no-op for constants, `node < 0`).
    ///
    /// Backward closures capture node indices, never variables: a variable holds its tape, and a
    /// closure stored on the tape holding it would form a reference cycle.
    func accumulate(_ gradient: Tensor, scaledBy alpha: Float = 1, into node: Int) throws {
        guard node >= 0 else { return }
        if gradients[node] == nil {
            gradients[node] = alpha == 1 ? gradient : try gradient.scaled(by: alpha)
        } else {
            try gradients[node]!.add(gradient, scaledBy: alpha)
        }
    }

    /// The gradient accumulated for `variable`, if any (see `Variable.gradient`).
    ///
    /// - Parameter variable: a variable of this tape.
    /// - Returns: `∂L/∂variable`, or `nil` for constants, stale variables and released gradients.
    public func gradient(of variable: Variable) -> Tensor? {
        guard variable.tape === self, variable.generation == generation, variable.index >= 0 else { return nil }
        return gradients[variable.index]
    }

    /// Backpropagates from `loss`, accumulating into inputs' and parameters' gradients.
    ///
    /// The seed `∂L/∂loss` is all ones (for a scalar loss, the usual 1). Gradients of intermediate
    /// nodes are released as soon as their step ran.
    ///
    /// - Parameter loss: a variable of this tape (normally the scalar loss).
    /// - Throws: `AutodiffError` for a foreign, stale or non-differentiable variable; any kernel
    ///   error raised by a backward step.
    public func backward(from loss: Variable) throws {
        try backward(from: loss, seed: Tensor(shape: loss.shape, repeating: 1))
    }

    /// Backpropagates the cotangent `seed` from `output` (a vector–Jacobian product `seedᵀ J`).
    ///
    /// - Parameters:
    ///   - output: a variable of this tape.
    ///   - seed: `∂L/∂output`, of `output`'s shape.
    /// - Throws: `AutodiffError` for a foreign, stale or non-differentiable variable;
    ///   `TensorError.shapeMismatch` for a wrong seed shape; any kernel error of a backward step.
    public func backward(from output: Variable, seed: Tensor) throws {
        try validate(output, "backward")
        guard output.index >= 0 else { throw AutodiffError.notDifferentiable(operation: "backward") }
        try seed.checkShape(output.shape, operation: "backward (seed)")
        let loss = output
        gradients[loss.index] = seed
        for step in steps.reversed() where step.output <= loss.index {
            guard let gradient = gradients[step.output] else { continue }
            gradients[step.output] = nil
            try step.run(self, gradient)
        }
    }

    /// Forgets every recorded node and step (releasing the saved tensors to the buffer pool) and
    /// starts a new generation; arrays keep their capacity.
    public func reset() {
        gradients.removeAll(keepingCapacity: true)
        steps.removeAll(keepingCapacity: true)
        parameters.removeAll(keepingCapacity: true)
        parameterIDs.removeAll(keepingCapacity: true)
        generation += 1
    }
}
