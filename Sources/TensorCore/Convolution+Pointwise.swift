internal import COpenBLAS

/// The 1×1 (pointwise) convolution's backward weights as one GEMM, bypassing oneDNN's `jit_1x1`
/// backward-weights kernel.
///
/// oneDNN 2.6.3 (Debian 12's `libdnnl`) has a defect in that kernel: for NHWC sources whose input
/// channel count is below its channel block (16 on AVX-512, 8 on AVX2) and stride > 1, it writes
/// past its reduce-to-unit-stride workspace — heap corruption (`sysmalloc` / `free(): invalid next
/// size` aborts) or, with more threads, silently wrong `diff_weights` (upstream oneDNN issue 6035,
/// open). The projection shortcut of every connector (1×1, stride 2, `C → 2C`) is such a
/// convolution, so every 1×1 backward-weights problem without padding takes this route instead:
/// ```
/// x_s[m, c] = x[n, s·p, s·q, c]            m = (n, p, q), the positions the kernel reads
/// dW[o, c]  = Σ_m dy[m, o] · x_s[m, c]      (dW = dyᵀ · x_s, one SGEMM; + dW when accumulating)
/// ```
/// With stride 1, `x_s` is `x` itself (no copy). The cost is one gather of `B·oh·ow·C` floats and a
/// GEMM of `O × C × B·oh·ow` multiply-adds — for the shortcut, a small fraction of a step.
///
/// Reference: `cblas_sgemm` (OpenBLAS 0.3); Convolution.swift for the layouts.
extension Convolution {
    /// Whether ``backwardWeights(input:outputGradient:into:accumulate:stride:padding:)`` takes the
    /// GEMM route for `problem`: a 1×1 kernel without padding.
    static func takesPointwiseRoute(_ problem: ConvolutionProblem) -> Bool {
        problem.kernelHeight == 1 && problem.kernelWidth == 1 && problem.padding == 0
    }

    /// `dW (+)= dyᵀ · x_s` for a 1×1 convolution without padding (see the extension's comment).
    ///
    /// - Throws: `TensorError.invalidArgument` when a GEMM extent exceeds BLAS's 32-bit sizes.
    static func pointwiseBackwardWeights(_ problem: ConvolutionProblem, input: Tensor, outputGradient: Tensor,
                                         into weightGradient: inout Tensor, accumulate: Bool) throws(TensorError) {
        let positions = problem.batch * problem.outHeight * problem.outWidth
        let (inputs, outputs) = (problem.inChannels, problem.outChannels)
        guard positions <= Int(Int32.max), inputs <= Int(Int32.max), outputs <= Int(Int32.max) else {
            throw .invalidArgument(operation: "convolution backward weights (1×1 as GEMM)",
                                   message: "B·oh·ow = \(positions) positions exceed BLAS's 32-bit sizes (\(Int32.max))")
        }
        let gathered = problem.stride == 1 ? input : gatherStrided(input, problem)
        let target = weightGradient.mutablePointer()
        OpenBLASThreads.withCallingThreadCount {
            cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(outputs), Int32(inputs), Int32(positions),
                        1, outputGradient.pointer, Int32(outputs), gathered.pointer, Int32(inputs),
                        accumulate ? 1 : 0, target, Int32(inputs))
        }
        withExtendedLifetime((input, gathered, outputGradient)) {}
    }

    /// `x_s[n, p, q, c] = x[n, s·p, s·q, c]`, `[batch, outHeight, outWidth, in]` (padding 0).
    static func gatherStrided(_ input: Tensor, _ problem: ConvolutionProblem) -> Tensor {
        let (oh, ow, c, s) = (problem.outHeight, problem.outWidth, problem.inChannels, problem.stride)
        let (h, w) = (problem.height, problem.width)
        var gathered = Tensor(uncheckedShape: [problem.batch, oh, ow, c])
        let target = gathered.mutablePointer()
        let source = input.pointer
        for n in 0..<problem.batch {
            for p in 0..<oh {
                for q in 0..<ow {
                    (target + ((n * oh + p) * ow + q) * c)
                        .update(from: source + ((n * h + s * p) * w + s * q) * c, count: c)
                }
            }
        }
        withExtendedLifetime(input) {}
        return gathered
    }
}
