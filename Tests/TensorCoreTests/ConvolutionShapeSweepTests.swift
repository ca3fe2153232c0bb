import Foundation
import Testing
@testable import TensorCore

/// Every convolution shape the networks create, against the naive Double reference, in all three
/// directions: forward, backward data and backward weights.
///
/// Regression guard for oneDNN 2.6.3's `jit_1x1` backward-weights kernel, which writes past its
/// reduce-to-unit-stride workspace for NHWC sources with fewer input channels than its channel
/// block (16 with AVX-512, 8 with AVX2) and stride 2 — heap corruption (`sysmalloc` aborts) or
/// silently wrong `diff_weights` (oneDNN issue 6035). ASan cannot see it (the writes come from
/// JIT code), so the reference comparison is the guard: for input channels 1, 3, 4, 8 and 16, odd
/// and even mini-batches, 1 and 2 threads, on the kernels this machine has; 2 threads and the AVX2
/// kernels are checked by re-running the sweep in child processes (`ONEDNN_MAX_CPU_ISA=AVX2`).
@Suite("Convolution shapes against the reference", .serialized)
struct ConvolutionShapeSweepTests {
    /// One convolution as a network creates it.
    struct Shape: CustomStringConvertible, Sendable {
        var role: String
        var batch, size, inChannels, outChannels, kernel, stride, padding: Int
        var description: String {
            "\(role) b\(batch) \(size)×\(size) ic\(inChannels) oc\(outChannels) k\(kernel) s\(stride) p\(padding)"
        }
    }

    /// The stem (3×3, stride 1), an ODE step's convolution (3×3, stride 1, C → C), a connector's
    /// convolution (3×3, stride 2, C → 2C) and its projection shortcut (1×1, stride 2, C → 2C), for
    /// every input channel count, odd and even mini-batches, odd and even image sizes (28 is the
    /// size of the reported crash).
    static let shapes: [Shape] = {
        var shapes: [Shape] = []
        for ic in [1, 3, 4, 8, 16] {
            for batch in [1, 2, 7] {
                shapes.append(Shape(role: "step", batch: batch, size: 7, inChannels: ic, outChannels: ic,
                                    kernel: 3, stride: 1, padding: 1))
                shapes.append(Shape(role: "stem", batch: batch, size: 8, inChannels: ic, outChannels: 8,
                                    kernel: 3, stride: 1, padding: 1))
                shapes.append(Shape(role: "connector", batch: batch, size: 9, inChannels: ic, outChannels: 2 * ic,
                                    kernel: 3, stride: 2, padding: 1))
                for size in [8, 9] {
                    shapes.append(Shape(role: "shortcut", batch: batch, size: size, inChannels: ic,
                                        outChannels: 2 * ic, kernel: 1, stride: 2, padding: 0))
                }
            }
            for batch in [17, 31, 32] {
                shapes.append(Shape(role: "shortcut", batch: batch, size: 28, inChannels: ic,
                                    outChannels: 2 * ic, kernel: 1, stride: 2, padding: 0))
            }
        }
        return shapes
    }()

    /// The thread counts of this process's sweep: `MLRESNET_SWEEP_THREADS` (comma-separated) in a
    /// child, else 1. Suites run in parallel and spinning OpenMP pools would slow them, so counts
    /// other than the suite's usual 1 are only used in child processes.
    static var threadCounts: [Int] {
        let text = ProcessInfo.processInfo.environment["MLRESNET_SWEEP_THREADS"] ?? "1"
        return text.split(separator: ",").compactMap { Int($0) }
    }

    /// Whether this process is a child started by the tests below.
    static var isChild: Bool { ProcessInfo.processInfo.environment["MLRESNET_SWEEP_THREADS"] != nil }

    @Test("forward, backward data and backward weights equal the reference")
    func allShapes() throws {
        var failures: [String] = []
        #expect(!Self.threadCounts.isEmpty)
        for threads in Self.threadCounts {
            try ComputeContext(threadCount: threads).run {
                for (i, shape) in Self.shapes.enumerated() {
                    failures += try Self.check(shape, seed: UInt64(i), threads: threads)
                }
            }
        }
        #expect(failures.isEmpty, "\(failures.count) mismatches:\n\(failures.prefix(20).joined(separator: "\n"))")
        // In the AVX2 child, the kernels really are AVX2 ones.
        if ProcessInfo.processInfo.environment["ONEDNN_MAX_CPU_ISA"] == "AVX2" {
            let names = try KernelDiagnostics.primitiveImplementations()
            #expect(!names.isEmpty && !names.contains { $0.contains("avx512") }, "\(names)")
        }
    }

    /// The same sweep with 2 threads, and on oneDNN's AVX2 kernels with 1 and 2 threads, each in a
    /// child process (the ISA limit must be set before the first kernel is created, and 2 threads
    /// would compete with the suites running in parallel). Skipped inside the children.
    @Test("the sweep passes with 2 threads and on the AVX2 kernels (child processes)",
          .enabled(if: !ConvolutionShapeSweepTests.isChild),
          arguments: [["MLRESNET_SWEEP_THREADS": "2"],
                      ["MLRESNET_SWEEP_THREADS": "1,2", "ONEDNN_MAX_CPU_ISA": "AVX2"]])
    func childProcesses(_ environment: [String: String]) throws {
        let result = try TestProcess.rerunThisTest(named: "ConvolutionShapeSweepTests/allShapes()",
                                                   environment: environment)
        #expect(result.status == 0, "child exit \(result.status):\n\(result.output.suffix(3000))")
        #expect(result.output.contains("Test run with 1 test in 1 suite passed"),
                "the child ran no sweep:\n\(result.output.suffix(2000))")
    }

    /// Compares the three directions of one shape; returns one line per mismatch.
    static func check(_ s: Shape, seed: UInt64, threads: Int) throws -> [String] {
        var generator = Xoshiro256StarStar(seed: 1000 + seed)
        let inputShape = [s.batch, s.size, s.size, s.inChannels]
        let weightShape = [s.outChannels, s.inChannels, s.kernel, s.kernel]
        let x = try Tensor.randomNormal(shape: inputShape, standardDeviation: 1, generator: &generator)
        let w = try Tensor.randomNormal(shape: weightShape, standardDeviation: 0.5, generator: &generator)
        let outputShape = try Convolution.outputShape(inputShape: inputShape, weightShape: weightShape,
                                                      stride: s.stride, padding: s.padding)
        let dy = try Tensor.randomNormal(shape: outputShape, standardDeviation: 1, generator: &generator)
        let (xd, wd, dyd) = (x.doubles, w.doubles, dy.doubles)
        var failures: [String] = []
        func compare(_ name: String, _ got: Tensor, _ expected: [Double]) {
            let error = relativeError(got.doubles, expected)
            // Float32 sums of ≤ 31·14·14 products of unit-scale values: 1e-4 relative is generous.
            if !(error < 1e-4) { failures.append("\(s) threads \(threads) \(name): relative error \(error)") }
        }
        let y = try Convolution.forward(x, weight: w, stride: s.stride, padding: s.padding)
        compare("forward", y, Reference.convolution(input: xd, inputShape: inputShape, weight: wd,
                                                    weightShape: weightShape, stride: s.stride,
                                                    padding: s.padding).values)
        let expected = Reference.convolutionBackward(input: xd, inputShape: inputShape, weight: wd,
                                                     weightShape: weightShape, outputGradient: dyd,
                                                     outputShape: outputShape, stride: s.stride, padding: s.padding)
        let dx = try Convolution.backwardData(outputGradient: dy, weight: w, inputShape: inputShape,
                                              stride: s.stride, padding: s.padding)
        compare("backward data", dx, expected.input)
        let expectedWeights = expected.weight
        // Poisoned target: every element must be overwritten.
        var dw = try Tensor(shape: weightShape, repeating: .nan)
        try Convolution.backwardWeights(input: x, outputGradient: dy, into: &dw, accumulate: false,
                                        stride: s.stride, padding: s.padding)
        compare("backward weights", dw, expectedWeights)
        // Accumulating into a gradient that holds the same values doubles them.
        try Convolution.backwardWeights(input: x, outputGradient: dy, into: &dw, accumulate: true,
                                        stride: s.stride, padding: s.padding)
        compare("backward weights (accumulated)", dw, expectedWeights.map { 2 * $0 })
        return failures
    }
}

extension Reference {
    /// Both gradients of `y = conv(x, w)` for an output gradient `dy`, by visiting every tap once:
    /// ```
    /// dx[n, s·p + i − pad, s·q + j − pad, c] += dy[n, p, q, o] · w[o, c, i, j]
    /// dw[o, c, i, j]                         += dy[n, p, q, o] · x[n, s·p + i − pad, s·q + j − pad, c]
    /// ```
    static func convolutionBackward(input x: [Double], inputShape s: [Int], weight w: [Double], weightShape ws: [Int],
                                    outputGradient dy: [Double], outputShape os: [Int], stride: Int,
                                    padding: Int) -> (input: [Double], weight: [Double]) {
        let (n, h, wd, c) = (s[0], s[1], s[2], s[3])
        let (o, kh, kw) = (ws[0], ws[2], ws[3])
        let (oh, ow) = (os[1], os[2])
        var dx = [Double](repeating: 0, count: n * h * wd * c)
        var dw = [Double](repeating: 0, count: o * c * kh * kw)
        for b in 0..<n { for p in 0..<oh { for q in 0..<ow { for oc in 0..<o {
            let g = dy[((b * oh + p) * ow + q) * o + oc]
            for i in 0..<kh { for j in 0..<kw {
                let hi = p * stride + i - padding
                let wj = q * stride + j - padding
                guard hi >= 0, hi < h, wj >= 0, wj < wd else { continue }
                for ic in 0..<c {
                    let (xi, wi) = (((b * h + hi) * wd + wj) * c + ic, ((oc * c + ic) * kh + i) * kw + j)
                    dx[xi] += g * w[wi]
                    dw[wi] += g * x[xi]
                }
            } }
        } } } }
        return (dx, dw)
    }
}
