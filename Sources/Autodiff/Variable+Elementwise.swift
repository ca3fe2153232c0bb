import TensorCore

extension Variable {
    /// The rectified linear unit `max(x, 0)`.
    ///
    /// VJP: `dx = dy · [y > 0]`.
    ///
    /// - Returns: the activated variable.
    /// - Throws: `AutodiffError.staleVariable` for a variable from before the last reset.
    public func relu() throws -> Variable {
        try tape.validate(self, "relu")
        let output = value.relu()
        let node = index
        return tape.record(output, differentiable: requiresGradient) { tape, gradient in
            try tape.accumulate(Tensor.reluBackward(output: output, gradient: gradient), into: node)
        }
    }

    /// `α · x`.
    ///
    /// VJP: `dx = α · dy`.
    ///
    /// - Parameter alpha: the factor α.
    /// - Returns: the scaled variable.
    /// - Throws: `AutodiffError.staleVariable` for a variable from before the last reset.
    public func scaled(by alpha: Float) throws -> Variable {
        try tape.validate(self, "scaled")
        let node = index
        return tape.record(try value.scaled(by: alpha), differentiable: requiresGradient) { tape, gradient in
            try tape.accumulate(gradient, scaledBy: alpha, into: node)
        }
    }

    /// Elementwise sum `a + b`.
    ///
    /// VJP: `da = dy`, `db = dy`.
    ///
    /// - Throws: `AutodiffError` for variables of different tapes; `TensorError.shapeMismatch`.
    public static func + (a: Variable, b: Variable) throws -> Variable {
        try linearCombination(a, weights: [1], terms: [b])
    }

    /// The fused linear combination as one recorded operation.
    ///
    /// ```
    /// y = base + Σ_i w_i · terms[i]
    /// ```
    /// VJP: `d base = dy`, `d terms[i] = w_i · dy` (one backward step for all terms, so a
    /// Runge–Kutta stage or update costs one node whatever the number of stages).
    ///
    /// - Parameters:
    ///   - base: `y_n`.
    ///   - weights: `w_i` (e.g. `h·a_ij` or `h·b_i`), rounded to Float32.
    ///   - terms: the `k_i`, of `base`'s shape, on `base`'s tape.
    /// - Returns: the combination.
    /// - Throws: `AutodiffError` for foreign or stale variables; `TensorError` for a count or shape
    ///   mismatch.
    public static func linearCombination(_ base: Variable, weights: [Double], terms: [Variable]) throws
        -> Variable
    {
        let tape = base.tape
        try tape.validate(base, "linearCombination")
        for term in terms { try tape.validate(term, "linearCombination") }
        let w = weights.map { Float($0) }
        let value = try Tensor.linearCombination(base.value, weights: w, terms: terms.map(\.value))
        let differentiable = base.requiresGradient || terms.contains { $0.requiresGradient }
        let baseNode = base.index
        let termNodes = terms.map(\.index)
        return tape.record(value, differentiable: differentiable) { tape, gradient in
            try tape.accumulate(gradient, into: baseNode)
            for (weight, term) in zip(w, termNodes) where weight != 0 {
                try tape.accumulate(gradient, scaledBy: weight, into: term)
            }
        }
    }
}
