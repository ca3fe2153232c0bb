@testable import TensorCore

/// Naive Double-precision reference kernels written independently of the library.
enum Reference {
    /// NHWC × OIHW convolution with zero padding.
    static func convolution(input x: [Double], inputShape s: [Int], weight w: [Double], weightShape ws: [Int],
                            stride: Int, padding: Int) -> (values: [Double], shape: [Int]) {
        let (n, h, wd, c) = (s[0], s[1], s[2], s[3])
        let (o, kh, kw) = (ws[0], ws[2], ws[3])
        let oh = (h + 2 * padding - kh) / stride + 1
        let ow = (wd + 2 * padding - kw) / stride + 1
        var y = [Double](repeating: 0, count: n * oh * ow * o)
        for b in 0..<n { for p in 0..<oh { for q in 0..<ow { for oc in 0..<o {
            var acc = 0.0
            for i in 0..<kh { for j in 0..<kw {
                let hi = p * stride + i - padding
                let wj = q * stride + j - padding
                guard hi >= 0, hi < h, wj >= 0, wj < wd else { continue }
                for ic in 0..<c {
                    acc += x[((b * h + hi) * wd + wj) * c + ic] * w[((oc * c + ic) * kh + i) * kw + j]
                }
            } }
            y[((b * oh + p) * ow + q) * o + oc] = acc
        } } } }
        return (y, [n, oh, ow, o])
    }
}

extension Tensor {
    var doubles: [Double] { elements.map(Double.init) }
}

/// Relative error ‖a − b‖∞ / max(‖b‖∞, floor).
func relativeError(_ a: [Double], _ b: [Double], floor: Double = 1e-3) -> Double {
    precondition(a.count == b.count)
    var maxDiff = 0.0
    var maxRef = floor
    for i in a.indices {
        maxDiff = max(maxDiff, abs(a[i] - b[i]))
        maxRef = max(maxRef, abs(b[i]))
    }
    return maxDiff / maxRef
}

extension Reference {
    /// Training-mode batch normalization of NHWC data in Double (biased variance).
    static func batchNorm(_ x: [Double], shape: [Int], gamma: [Double], beta: [Double], epsilon: Double,
                          mean given: [Double]? = nil, variance givenVariance: [Double]? = nil) -> [Double] {
        let c = shape[3]
        let m = x.count / c
        var mean = [Double](repeating: 0, count: c)
        var variance = [Double](repeating: 0, count: c)
        for i in x.indices { mean[i % c] += x[i] / Double(m) }
        for i in x.indices { variance[i % c] += (x[i] - mean[i % c]) * (x[i] - mean[i % c]) / Double(m) }
        if let given { mean = given }
        if let givenVariance { variance = givenVariance }
        return x.indices.map { i in
            let k = i % c
            return gamma[k] * (x[i] - mean[k]) / (variance[k] + epsilon).squareRoot() + beta[k]
        }
    }

    static func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }

    /// Central finite difference of `f` with respect to coordinate `i` of `x`.
    static func centralDifference(_ x: [Double], _ i: Int, h: Double, _ f: ([Double]) -> Double) -> Double {
        var plus = x
        var minus = x
        plus[i] += h
        minus[i] -= h
        return (f(plus) - f(minus)) / (2 * h)
    }

    /// A few coordinates spread over `0..<count` (deterministic).
    static func sampleIndices(_ count: Int, _ k: Int = 6) -> [Int] {
        (0..<k).map { ($0 * 7919 + 13) % count }
    }
}
