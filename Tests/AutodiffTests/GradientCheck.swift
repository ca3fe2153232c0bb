import Testing
import TensorCore
@testable import Autodiff

/// Central-difference gradient checks of `L = Σ r · f(x, θ)`, with `L` summed in Double.
///
/// The forward runs in Float32, so the step `h` is large (1e-2) and the tolerance is relative to
/// the largest gradient component (≤ 1e-2, as for Float32 checks in PyTorch's gradcheck).
struct GradientCheck {
    var h: Float = 1e-2
    var tolerance = 1e-2
    var samples = 8

    /// Checks the input gradient and every parameter's gradient of `f` at `x`.
    func check(input x: Tensor, parameters: [Parameter], seed: UInt64 = 99,
               sourceLocation: SourceLocation = #_sourceLocation,
               _ f: (Variable) throws -> Variable) throws {
        // Analytic gradients.
        let tape = Tape()
        for p in parameters { p.zeroGradient() }
        let input = tape.input(x, requiresGradient: true)
        let y = try f(input)
        var generator = Xoshiro256StarStar(seed: seed)
        let r = try Tensor.randomNormal(shape: y.shape, standardDeviation: 1, generator: &generator)
        try tape.backward(from: y, seed: r)
        let dx = try #require(input.gradient, sourceLocation: sourceLocation)
        let rd = r.elements.map(Double.init)

        func loss(_ x: Tensor) throws -> Double {
            let t = Tape(recording: false)
            let out = try f(t.input(x))
            return zip(out.value.elements, rd).reduce(0.0) { $0 + Double($1.0) * $1.1 }
        }
        func compare(_ analytic: Tensor, _ numeric: (Int) throws -> Double, _ name: String) throws {
            let values = analytic.elements
            let scale = max(values.map { abs(Double($0)) }.max() ?? 0, 1e-3)
            for i in (0..<samples).map({ ($0 * 7919 + 5) % analytic.count }) {
                let n = try numeric(i)
                #expect(abs(Double(values[i]) - n) <= tolerance * scale,
                        "\(name)[\(i)]: analytic \(values[i]) vs numeric \(n)", sourceLocation: sourceLocation)
            }
        }
        try compare(dx, { i in
            var plus = x, minus = x
            plus.withUnsafeMutableBufferPointer { $0[i] += h }
            minus.withUnsafeMutableBufferPointer { $0[i] -= h }
            return try (loss(plus) - loss(minus)) / Double(2 * h)
        }, "dx")
        for p in parameters {
            let analytic = p.gradient
            try compare(analytic, { i in
                let original = p.value
                p.value.withUnsafeMutableBufferPointer { $0[i] += h }
                let plus = try loss(x)
                p.value = original
                p.value.withUnsafeMutableBufferPointer { $0[i] -= h }
                let minus = try loss(x)
                p.value = original
                return (plus - minus) / Double(2 * h)
            }, p.name)
        }
    }
}

func randomTensor(_ shape: [Int], seed: UInt64, standardDeviation: Float = 1, mean: Float = 0) throws -> Tensor {
    var generator = Xoshiro256StarStar(seed: seed)
    return try Tensor.randomNormal(shape: shape, mean: mean, standardDeviation: standardDeviation,
                                   generator: &generator)
}
