import Testing
@testable import TensorCore

@Suite("Pooling and linear")
struct DenseLayerTests {
    @Test("global average pooling forward averages H×W and backward spreads dy/(H·W)")
    func pooling() throws {
        var g = Xoshiro256StarStar(seed: 31)
        let x = try Tensor.randomNormal(shape: [2, 3, 4, 5], standardDeviation: 1, generator: &g)
        let y = try GlobalAveragePooling.forward(x)
        #expect(y.shape == [2, 5])
        let xs = x.doubles
        var expected01 = 0.0
        for p in 0..<12 { expected01 += xs[(12 + p) * 5 + 3] / 12 }
        #expect(abs(Double(y.elements[1 * 5 + 3]) - expected01) < 1e-5)
        // L = Σ r·y is linear in x, so dL/dx = r/(H·W) exactly.
        let r = try Tensor.randomNormal(shape: [2, 5], standardDeviation: 1, generator: &g)
        let dx = try GlobalAveragePooling.backward(outputGradient: r, inputShape: x.shape)
        func loss(_ v: [Double]) -> Double {
            var total = 0.0
            for i in v.indices { total += v[i] * Double(r.elements[(i / 60) * 5 + i % 5]) / 12 }
            return total
        }
        for i in Reference.sampleIndices(x.count) {
            let numeric = Reference.centralDifference(xs, i, h: 1e-3, loss)
            #expect(abs(Double(dx.elements[i]) - numeric) < 1e-5)
        }
        #expect(throws: TensorError.self) { try GlobalAveragePooling.forward(try Tensor(zeros: [2, 5])) }
    }

    @Test("linear forward is x Wᵀ + b and backward matches central differences")
    func linear() throws {
        var g = Xoshiro256StarStar(seed: 32)
        let x = try Tensor.randomNormal(shape: [3, 4], standardDeviation: 1, generator: &g)
        let w = try Tensor.randomNormal(shape: [5, 4], standardDeviation: 1, generator: &g)
        let b = try Tensor.randomNormal(shape: [5], standardDeviation: 1, generator: &g)
        let r = try Tensor.randomNormal(shape: [3, 5], standardDeviation: 1, generator: &g)
        let y = try Linear.forward(x, weight: w, bias: b)
        func forward(_ x: [Double], _ w: [Double], _ b: [Double]) -> [Double] {
            (0..<15).map { i in
                let (n, o) = (i / 5, i % 5)
                return b[o] + (0..<4).reduce(0.0) { $0 + x[n * 4 + $1] * w[o * 4 + $1] }
            }
        }
        let (xd, wd, bd, rd) = (x.doubles, w.doubles, b.doubles, r.doubles)
        #expect(relativeError(y.doubles, forward(xd, wd, bd)) < 1e-5)
        let grads = try Linear.backward(input: x, weight: w, outputGradient: r)
        func loss(_ x: [Double], _ w: [Double], _ b: [Double]) -> Double { Reference.dot(forward(x, w, b), rd) }
        for i in 0..<12 {
            #expect(abs(Double(grads.input.elements[i]) - Reference.centralDifference(xd, i, h: 1e-3) { loss($0, wd, bd) }) < 1e-4)
        }
        for i in 0..<20 {
            #expect(abs(Double(grads.weight.elements[i]) - Reference.centralDifference(wd, i, h: 1e-3) { loss(xd, $0, bd) }) < 1e-4)
        }
        for i in 0..<5 {
            #expect(abs(Double(grads.bias.elements[i]) - Reference.centralDifference(bd, i, h: 1e-3) { loss(xd, wd, $0) }) < 1e-4)
        }
        #expect(throws: TensorError.self) { try Linear.forward(x, weight: try Tensor(zeros: [5, 3]), bias: nil) }
    }
}
