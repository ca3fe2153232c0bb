import Testing
import TensorCore
@testable import Autodiff

@Suite("Operation gradients")
struct OperationGradientTests {
    @Test("conv2d: input and weight gradients", arguments: [(1, 1, 0), (3, 1, 1), (3, 2, 1), (1, 2, 0)])
    func convolution(kernel: Int, stride: Int, padding: Int) throws {
        let x = try randomTensor([2, 5, 5, 8], seed: 1)
        let w = Parameter(try randomTensor([16, 8, kernel, kernel], seed: 2, standardDeviation: 0.3), name: "w")
        try GradientCheck().check(input: x, parameters: [w]) { try $0.conv2d(weight: w, stride: stride, padding: padding) }
    }

    @Test("batchNorm (training): input, γ and β gradients", arguments: [false, true])
    func batchNorm(fuseReLU: Bool) throws {
        let x = try randomTensor([2, 3, 3, 16], seed: 3, standardDeviation: 2, mean: 0.5)
        let gamma = Parameter(try randomTensor([16], seed: 4, standardDeviation: 0.2, mean: 1), name: "gamma")
        let beta = Parameter(try randomTensor([16], seed: 5, standardDeviation: 0.5), name: "beta")
        // With fused ReLU, a step of h can cross the kink; a small step keeps both sides on one branch.
        var check = GradientCheck()
        if fuseReLU { check.h = 2e-3; check.tolerance = 2e-2 }
        try check.check(input: x, parameters: [gamma, beta]) {
            try $0.batchNorm(scale: gamma, shift: beta, fuseReLU: fuseReLU).output
        }
    }

    @Test("batchNormInference: gradients with running statistics held fixed")
    func batchNormInference() throws {
        let x = try randomTensor([2, 3, 3, 16], seed: 6)
        let gamma = Parameter(try randomTensor([16], seed: 7, standardDeviation: 0.2, mean: 1), name: "gamma")
        let beta = Parameter(try randomTensor([16], seed: 8, standardDeviation: 0.5), name: "beta")
        let mean = try randomTensor([16], seed: 9, standardDeviation: 0.3)
        let variance = try Tensor(shape: [16], repeating: 1.7)
        try GradientCheck().check(input: x, parameters: [gamma, beta]) {
            try $0.batchNormInference(scale: gamma, shift: beta, mean: mean, variance: variance)
        }
    }

    @Test("relu away from the kink")
    func relu() throws {
        // Values at least 0.1 away from 0, so a step of 1e-2 never crosses the kink.
        var x = try randomTensor([3, 7], seed: 10)
        x.withUnsafeMutableBufferPointer { b in for i in b.indices { b[i] += b[i] >= 0 ? 0.1 : -0.1 } }
        try GradientCheck().check(input: x, parameters: []) { try $0.relu() }
    }

    @Test("global average pooling, reshape and linear")
    func poolingAndLinear() throws {
        let x = try randomTensor([2, 3, 3, 8], seed: 11)
        let w = Parameter(try randomTensor([5, 8], seed: 12, standardDeviation: 0.5), name: "W")
        let b = Parameter(try randomTensor([5], seed: 13), name: "b")
        try GradientCheck().check(input: x, parameters: [w, b]) {
            try $0.globalAveragePool().linear(weight: w, bias: b)
        }
        try GradientCheck().check(input: x, parameters: []) { try $0.reshaped(to: [2, 72]) }
    }

    @Test("softmax cross-entropy loss")
    func loss() throws {
        let logits = try randomTensor([4, 5], seed: 14, standardDeviation: 2)
        let labels = [0, 3, 4, 1]
        try GradientCheck().check(input: logits, parameters: []) { try $0.softmaxCrossEntropy(labels: labels).loss }
    }

    @Test("the fused combination y + Σ w_i k_i, add and scale")
    func combination() throws {
        let x = try randomTensor([2, 4, 4, 8], seed: 15)
        let w = Parameter(try randomTensor([8, 8, 3, 3], seed: 16, standardDeviation: 0.2), name: "w")
        try GradientCheck().check(input: x, parameters: [w]) { y in
            let k1 = try y.conv2d(weight: w, padding: 1)
            let k2 = try k1.conv2d(weight: w, padding: 1)   // smooth: no ReLU kink for the finite differences
            return try Variable.linearCombination(y, weights: [0.5, -1.5], terms: [k1, k2])
        }
        try GradientCheck().check(input: x, parameters: []) { y in try y + (try y.scaled(by: 3)) }
    }
}
