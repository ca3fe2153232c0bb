/// Global average pooling of NHWC activations over height and width.
///
/// ```
/// y[n, c] = (1 / (H·W)) Σ_{h, w} x[n, h, w, c]
/// ```
/// Shape: input `[batch, H, W, C]`, output `[batch, C]`.
public enum GlobalAveragePooling {
    /// The forward pass.
    ///
    /// - Parameter input: `x`, NHWC.
    /// - Returns: `y`, `[batch, C]`.
    /// - Throws: `TensorError.invalidArgument` unless the input is a non-empty rank-4 tensor.
    public static func forward(_ input: Tensor) throws(TensorError) -> Tensor {
        let (n, hw, c) = try dimensions(input.shape, operation: "global average pooling forward")
        var output = Tensor(uncheckedShape: [n, c])
        let y = output.mutablePointer()
        let x = input.pointer
        let scale = 1 / Float(hw)
        for b in 0..<n {
            let row = y + b * c
            row.update(repeating: 0, count: c)
            for p in 0..<hw {
                let source = x + (b * hw + p) * c
                for k in 0..<c { row[k] += source[k] }
            }
            for k in 0..<c { row[k] *= scale }
        }
        return output
    }

    /// The backward pass: `dx[n, h, w, c] = dy[n, c] / (H·W)`.
    ///
    /// - Parameters:
    ///   - outputGradient: `dy`, `[batch, C]`.
    ///   - inputShape: the forward input's shape `[batch, H, W, C]`.
    /// - Returns: `dx` with shape `inputShape`.
    /// - Throws: `TensorError` for a bad input shape or a mismatched gradient.
    public static func backward(outputGradient: Tensor, inputShape: [Int]) throws(TensorError) -> Tensor {
        let (n, hw, c) = try dimensions(try Tensor.validated(inputShape, operation: "global average pooling backward"),
                                        operation: "global average pooling backward")
        try outputGradient.checkShape([n, c], operation: "global average pooling backward")
        var input = Tensor(uncheckedShape: inputShape)
        let dx = input.mutablePointer()
        let dy = outputGradient.pointer
        let scale = 1 / Float(hw)
        for b in 0..<n {
            let g = dy + b * c
            for p in 0..<hw {
                let target = dx + (b * hw + p) * c
                for k in 0..<c { target[k] = g[k] * scale }
            }
        }
        return input
    }

    static func dimensions(_ shape: [Int], operation: String) throws(TensorError) -> (Int, Int, Int) {
        guard shape.count == 4, shape.allSatisfy({ $0 > 0 }) else {
            throw .invalidArgument(operation: operation,
                                   message: "input must be a non-empty NHWC tensor, got \(shape)")
        }
        return (shape[0], shape[1] * shape[2], shape[3])
    }
}
