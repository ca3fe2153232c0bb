extension Tensor {
    /// A tensor of independent normal samples.
    ///
    /// - Parameters:
    ///   - shape: the extents; each must be ≥ 0.
    ///   - mean: the mean μ.
    ///   - standardDeviation: σ.
    ///   - generator: the seeded generator, advanced by the draw.
    /// - Returns: values `μ + σ z`, `z ~ N(0, 1)`, drawn in row-major order.
    /// - Throws: `TensorError.invalidArgument` for a negative extent, a non-finite μ, or σ that is
    ///   negative or not finite (checked before the generator is advanced);
    ///   `TensorError.exceedsPhysicalMemory` for a shape larger than physical memory.
    public static func randomNormal(
        shape: [Int], mean: Float = 0, standardDeviation: Float,
        generator: inout Xoshiro256StarStar
    ) throws(TensorError) -> Tensor {
        guard mean.isFinite, standardDeviation.isFinite, standardDeviation >= 0 else {
            throw .invalidArgument(operation: "randomNormal",
                                   message: "mean must be finite and standardDeviation finite and ≥ 0, "
                                       + "got mean \(mean), standardDeviation \(standardDeviation)")
        }
        var result = Tensor(uncheckedShape: try validated(shape, operation: "randomNormal"))
        let p = result.mutablePointer()
        for i in 0..<result.count {
            p[i] = mean + standardDeviation * Float(generator.nextNormal())
        }
        return result
    }

    /// He (Kaiming) normal initialization for a layer followed by ReLU.
    ///
    /// ```
    /// w ~ N(0, 2 / fanIn)
    /// ```
    /// For a convolution weight `[out, in, kh, kw]`, `fanIn = in · kh · kw`.
    ///
    /// - Parameters:
    ///   - shape: the weight shape.
    ///   - fanIn: inputs per output unit; must be > 0.
    ///   - generator: the seeded generator.
    /// - Returns: the initialized weights.
    /// - Throws: `TensorError.invalidArgument` for a negative extent or `fanIn ≤ 0`.
    ///
    /// Reference: He, Zhang, Ren, Sun, "Delving Deep into Rectifiers", ICCV 2015, eq. (10).
    public static func heNormal(
        shape: [Int], fanIn: Int, generator: inout Xoshiro256StarStar
    ) throws(TensorError) -> Tensor {
        guard fanIn > 0 else {
            throw .invalidArgument(operation: "heNormal", message: "fanIn must be > 0, got \(fanIn)")
        }
        return try randomNormal(shape: shape, standardDeviation: Float((2.0 / Double(fanIn)).squareRoot()),
                                generator: &generator)
    }

    /// A tensor of independent uniform samples in `[lower, upper)`.
    ///
    /// - Parameters:
    ///   - shape: the extents; each must be ≥ 0.
    ///   - lower: the lower bound.
    ///   - upper: the upper bound.
    ///   - generator: the seeded generator.
    /// - Returns: the samples in row-major order.
    /// - Throws: `TensorError.invalidArgument` for a negative extent, or bounds that are not finite,
    ///   with `lower > upper`, or whose width `upper − lower` overflows Float (checked before the
    ///   generator is advanced); `TensorError.exceedsPhysicalMemory` for a shape larger than
    ///   physical memory.
    public static func randomUniform(
        shape: [Int], lower: Float = 0, upper: Float = 1, generator: inout Xoshiro256StarStar
    ) throws(TensorError) -> Tensor {
        guard lower.isFinite, upper.isFinite, lower <= upper, (upper - lower).isFinite else {
            throw .invalidArgument(operation: "randomUniform",
                                   message: "bounds must be finite with lower ≤ upper (and a finite width), "
                                       + "got lower \(lower), upper \(upper)")
        }
        var result = Tensor(uncheckedShape: try validated(shape, operation: "randomUniform"))
        let p = result.mutablePointer()
        for i in 0..<result.count {
            let u = Float(generator.next() >> 40) * 0x1.0p-24
            p[i] = lower + (upper - lower) * u
        }
        return result
    }
}
