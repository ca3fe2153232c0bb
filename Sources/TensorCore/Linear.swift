internal import COpenBLAS

/// A dense (fully connected) layer through OpenBLAS SGEMM.
///
/// ```
/// y = x Wᵀ + b
/// ```
/// Shape: input `[batch, in]`, weight `[out, in]`, bias `[out]`, output `[batch, out]`.
///
/// Reference: `cblas_sgemm` (OpenBLAS 0.3).
public enum Linear {
    /// The forward pass.
    ///
    /// - Parameters:
    ///   - input: `x`, `[batch, in]`.
    ///   - weight: `W`, `[out, in]`.
    ///   - bias: `b`, `[out]`, or `nil`.
    /// - Returns: `y`, `[batch, out]`.
    /// - Throws: `TensorError` when the shapes disagree; `TensorError.exceedsPhysicalMemory` when
    ///   the output would exceed physical memory.
    public static func forward(_ input: Tensor, weight: Tensor, bias: Tensor?) throws(TensorError) -> Tensor {
        let (batch, inputs, outputs) = try dimensions(input.shape, weight.shape, operation: "linear forward")
        if let bias { try bias.checkShape([outputs], operation: "linear forward (bias)") }
        var output = Tensor(uncheckedShape: try Tensor.validated([batch, outputs], operation: "linear forward"))
        let y = output.mutablePointer()
        if let bias {
            for b in 0..<batch { (y + b * outputs).update(from: bias.pointer, count: outputs) }
        }
        OpenBLASThreads.withCallingThreadCount {
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(batch), Int32(outputs), Int32(inputs),
                        1, input.pointer, Int32(inputs), weight.pointer, Int32(inputs),
                        bias == nil ? 0 : 1, y, Int32(outputs))
        }
        withExtendedLifetime((input, weight, bias)) {}
        return output
    }

    /// The backward pass.
    ///
    /// ```
    /// dx = dy W,   dW = dyᵀ x,   db = Σ_batch dy
    /// ```
    /// - Parameters:
    ///   - input: the forward input `x`.
    ///   - weight: `W`.
    ///   - outputGradient: `dy`, `[batch, out]`.
    /// - Returns: `(input: dx, weight: dW, bias: db)`.
    /// - Throws: `TensorError` when the shapes disagree.
    public static func backward(input: Tensor, weight: Tensor, outputGradient: Tensor) throws(TensorError)
        -> (input: Tensor, weight: Tensor, bias: Tensor)
    {
        let (batch, inputs, outputs) = try dimensions(input.shape, weight.shape, operation: "linear backward")
        try outputGradient.checkShape([batch, outputs], operation: "linear backward (output gradient)")
        var dx = Tensor(uncheckedShape: [batch, inputs])
        var dw = Tensor(uncheckedShape: [outputs, inputs])
        var db = Tensor(uncheckedShape: [outputs])
        let g = outputGradient.pointer
        let (dxPointer, dwPointer) = (dx.mutablePointer(), dw.mutablePointer())
        OpenBLASThreads.withCallingThreadCount {
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(batch), Int32(inputs), Int32(outputs),
                        1, g, Int32(outputs), weight.pointer, Int32(inputs), 0, dxPointer, Int32(inputs))
            cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(outputs), Int32(inputs), Int32(batch),
                        1, g, Int32(outputs), input.pointer, Int32(inputs), 0, dwPointer, Int32(inputs))
        }
        let bias = db.mutablePointer()
        bias.update(repeating: 0, count: outputs)
        for b in 0..<batch {
            let row = g + b * outputs
            for k in 0..<outputs { bias[k] += row[k] }
        }
        withExtendedLifetime((input, weight, outputGradient)) {}
        return (dx, dw, db)
    }

    static func dimensions(_ input: [Int], _ weight: [Int], operation: String) throws(TensorError)
        -> (Int, Int, Int)
    {
        guard input.count == 2, weight.count == 2, input.allSatisfy({ $0 > 0 }), weight.allSatisfy({ $0 > 0 })
        else {
            throw .invalidArgument(operation: operation,
                                   message: "input must be [batch, in] and weight [out, in], got \(input) and \(weight)")
        }
        guard (input + weight).allSatisfy({ $0 <= Int(Int32.max) }) else {
            throw .invalidArgument(operation: operation,
                                   message: "extents must be ≤ \(Int32.max) (BLAS uses 32-bit sizes), got \(input) and \(weight)")
        }
        guard weight[1] == input[1] else {
            throw .shapeMismatch(operation: "\(operation) (weight [out, in] vs input [batch, in])",
                                 expected: [weight[0], input[1]], got: weight)
        }
        return (input[0], input[1], weight[0])
    }
}
