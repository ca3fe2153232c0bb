extension Tensor {
    /// The fused linear combination in one pass over memory.
    ///
    /// ```
    /// result = base + Σ_i weights[i] · terms[i]
    /// ```
    /// Terms with weight 0 are skipped. Large tensors go through oneDNN's multi-threaded sum
    /// primitive, small ones through a loop over L1-sized blocks; either way each output element is
    /// written once.
    ///
    /// - Parameters:
    ///   - base: the starting tensor.
    ///   - weights: one coefficient per term.
    ///   - terms: tensors of `base`'s shape.
    /// - Returns: a new tensor of `base`'s shape.
    /// - Throws: `TensorError.invalidArgument` when `weights.count != terms.count`,
    ///   `TensorError.shapeMismatch` when a term's shape differs from `base`'s; `DNNLError` if
    ///   oneDNN fails.
    public static func linearCombination(
        _ base: Tensor, weights: [Float], terms: [Tensor]
    ) throws -> Tensor {
        guard weights.count == terms.count else {
            throw TensorError.invalidArgument(operation: "linearCombination",
                                   message: "\(weights.count) weights for \(terms.count) terms")
        }
        for term in terms { try term.checkShape(base.shape, operation: "linearCombination") }
        var result = Tensor(uncheckedShape: base.shape)
        let out = result.mutablePointer()
        let active = zip(weights, terms).filter { $0.0 != 0 }
        try ScaledSum.run(destination: out, sources: [UnsafePointer(base.pointer)] + active.map { UnsafePointer($0.1.pointer) },
                          scales: [1] + active.map(\.0), count: base.count)
        withExtendedLifetime((base, terms)) {}
        return result
    }

    /// Elementwise sum `a + b`.
    ///
    /// - Throws: `TensorError.shapeMismatch` when the shapes differ; `DNNLError` if oneDNN fails.
    public static func + (a: Tensor, b: Tensor) throws -> Tensor {
        try linearCombination(a, weights: [1], terms: [b])
    }

    /// `α · self` as a new tensor.
    ///
    /// - Parameter alpha: the factor α.
    /// - Throws: `DNNLError` if oneDNN fails (large tensors only).
    public func scaled(by alpha: Float) throws -> Tensor {
        var result = Tensor(uncheckedShape: shape)
        try ScaledSum.run(destination: result.mutablePointer(), sources: [UnsafePointer(pointer)],
                          scales: [alpha], count: count)
        withExtendedLifetime(self) {}
        return result
    }

    /// In-place `self += α · other` (BLAS axpy).
    ///
    /// - Parameters:
    ///   - other: a tensor of the same shape.
    ///   - alpha: the factor α.
    /// - Throws: `TensorError.shapeMismatch` when the shapes differ; `DNNLError` if oneDNN fails.
    public mutating func add(_ other: Tensor, scaledBy alpha: Float = 1) throws {
        try other.checkShape(shape, operation: "add(_:scaledBy:)")
        // Copy-on-write first: if `other` shares this storage, `y` becomes a distinct copy.
        let y = mutablePointer()
        try ScaledSum.run(destination: y, sources: [UnsafePointer(y), UnsafePointer(other.pointer)],
                          scales: [1, alpha], count: count)
        withExtendedLifetime(other) {}
    }

    /// Sets every element to `value` in place.
    ///
    /// - Parameter value: the fill value.
    public mutating func fill(with value: Float) {
        let y = mutablePointer()
        y.update(repeating: value, count: count)
    }

    /// The rectified linear unit `max(x, 0)` elementwise.
    public func relu() -> Tensor {
        var result = Tensor(uncheckedShape: shape)
        let out = result.mutablePointer()
        let x = pointer
        for i in 0..<count { out[i] = Swift.max(x[i], 0) }
        return result
    }

    /// The vector–Jacobian product of ReLU.
    ///
    /// ```
    /// dx_i = g_i if y_i > 0 else 0
    /// ```
    /// - Parameters:
    ///   - output: the ReLU output `y` (or its input: the sign test is the same).
    ///   - gradient: the upstream gradient `g`, same shape.
    /// - Returns: `dx`.
    /// - Throws: `TensorError.shapeMismatch` when the shapes differ.
    public static func reluBackward(output: Tensor, gradient: Tensor) throws(TensorError) -> Tensor {
        try gradient.checkShape(output.shape, operation: "reluBackward")
        var result = Tensor(uncheckedShape: output.shape)
        let out = result.mutablePointer()
        let y = output.pointer
        let g = gradient.pointer
        for i in 0..<output.count { out[i] = y[i] > 0 ? g[i] : 0 }
        return result
    }

    /// The sum of all elements, accumulated in Double.
    public func sum() -> Double {
        var total = 0.0
        let x = pointer
        for i in 0..<count { total += Double(x[i]) }
        return total
    }
}
