public import TensorCore

/// A trainable tensor: a leaf of every tape it is used on, holding its master value and the
/// gradient accumulated by `Tape.backward(from:)`.
///
/// The value is kept in plain layout (OIHW for convolution weights, `[C]` for batch-norm scale and
/// shift, `[out, in]` / `[out]` for a linear layer), the layout an optimizer, a prolongation or
/// an HDF5 export reads. Writing `value` (e.g. an optimizer step through
/// `value.withUnsafeMutableBufferPointer`) invalidates any oneDNN-layout copy cached for it.
///
/// Invariants: `gradient.shape == value.shape`; `version` grows by one on every `update`.
public final class Parameter: @unchecked Sendable {
    // Sendable by convention: a parameter is mutated only by the single training loop that owns it
    // (the tape and the optimizer run on one thread); it must not be updated concurrently.

    /// A name for messages and exports (e.g. `"stage1.step0.conv1.weight"`): ``path``'s name for a
    /// network tensor.
    public let name: String
    /// The parameter's place in an ODE network (the key of optimizer state and files), or `nil` for
    /// a free-standing parameter.
    public let path: ParameterPath?
    /// The master value.
    ///
    /// Assigning a value of another shape (e.g. a prolongated weight) resets `gradient` to zeros of
    /// the new shape, so `gradient.shape == value.shape` always holds.
    public var value: Tensor {
        didSet {
            // No `oldValue`: an in-place write (`update`) stays a modify without a copy.
            if value.shape != gradient.shape {
                gradient = Tensor(zerosLike: value)
                gradientIsZero = true
            }
        }
    }
    /// The accumulated gradient `∂loss/∂value` (zero after `zeroGradient()`).
    public internal(set) var gradient: Tensor
    /// Whether `gradient` is known to be all zeros (lets the first accumulation overwrite).
    var gradientIsZero = true
    /// Bumped by `update(_:)`; the number of optimizer updates applied. Informational: cached
    /// oneDNN layouts of the value are invalidated by any write to `value`, not by this counter.
    public private(set) var version: UInt64 = 0

    /// Creates a parameter with a zero gradient.
    ///
    /// - Parameters:
    ///   - value: the initial value.
    ///   - name: a name for messages.
    public init(_ value: Tensor, name: String = "") {
        self.value = value
        self.name = name
        self.path = nil
        gradient = Tensor(zerosLike: value)
    }

    /// Creates a network parameter with a zero gradient, named by its path.
    ///
    /// - Parameters:
    ///   - value: the initial value.
    ///   - path: its place in the network; ``name`` is `path.name`.
    public init(_ value: Tensor, path: ParameterPath) {
        self.value = value
        self.name = path.name
        self.path = path
        gradient = Tensor(zerosLike: value)
    }

    /// A new parameter with the same value, name and path (gradient zero).
    ///
    /// - Returns: the copy (tensors are copy-on-write: training one leaves the other unchanged).
    public func copy() -> Parameter {
        if let path { return Parameter(value, path: path) }
        return Parameter(value, name: name)
    }

    /// The shape of `value`.
    public var shape: [Int] { value.shape }

    /// Resets the gradient to zeros.
    public func zeroGradient() {
        if !gradientIsZero { gradient.fill(with: 0) }
        gradientIsZero = true
    }

    /// Applies an in-place update to the value and bumps `version`.
    ///
    /// - Parameter body: receives the value buffer and the gradient buffer (read-only).
    /// - Returns: what `body` returns.
    public func update<R>(_ body: (UnsafeMutableBufferPointer<Float>, UnsafeBufferPointer<Float>) throws -> R)
        rethrows -> R
    {
        version &+= 1
        let gradient = self.gradient
        return try gradient.withUnsafeBufferPointer { g in
            try value.withUnsafeMutableBufferPointer { v in try body(v, g) }
        }
    }

    /// Rewrites the accumulated gradient in place (a trainer's gradient hook: an allreduce, a
    /// restriction, a clip).
    ///
    /// - Parameter body: receives the gradient buffer (`value`'s shape, row-major).
    /// - Returns: what `body` returns.
    public func updateGradient<R>(_ body: (UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R {
        gradientIsZero = false
        return try gradient.withUnsafeMutableBufferPointer { try body($0) }
    }

    /// Adds `delta` into the gradient (overwriting when the gradient is known to be zero): how a
    /// term added to the objective outside the tape (a trainer's objective hook) contributes its
    /// gradient.
    ///
    /// - Parameter delta: `∂term/∂value`, of the value's shape.
    /// - Throws: `TensorError.shapeMismatch` for another shape (the gradient is unchanged).
    public func accumulateGradient(_ delta: Tensor) throws {
        if gradientIsZero {
            try delta.checkShape(value.shape, operation: "gradient of \(name)")
            gradient = delta
            gradientIsZero = false
        } else {
            try gradient.add(delta)
        }
    }
}
