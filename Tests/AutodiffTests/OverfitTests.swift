import Testing
import TensorCore
@testable import Autodiff

@Suite("Training")
struct OverfitTests {
    @Test("a two-layer conv net overfits a fixed tiny batch under plain gradient descent")
    func overfit() throws {
        var generator = Xoshiro256StarStar(seed: 50)
        let images = try Tensor.randomNormal(shape: [8, 6, 6, 8], standardDeviation: 1, generator: &generator)
        let labels = [0, 1, 2, 3, 0, 1, 2, 3]
        let conv = Parameter(try Tensor.heNormal(shape: [16, 8, 3, 3], fanIn: 72, generator: &generator), name: "conv")
        let gamma = Parameter(try Tensor(shape: [16], repeating: 1), name: "gamma")
        let beta = Parameter(try Tensor(zeros: [16]), name: "beta")
        let fc = Parameter(try Tensor.heNormal(shape: [4, 16], fanIn: 16, generator: &generator), name: "fc")
        let bias = Parameter(try Tensor(zeros: [4]), name: "bias")
        let parameters = [conv, gamma, beta, fc, bias]
        var runningMean = try Tensor(zeros: [16])
        var runningVariance = try Tensor(shape: [16], repeating: 1)
        let tape = Tape()
        var losses: [Float] = []
        var accuracy = 0.0
        for _ in 0..<40 {
            let x = tape.input(images)
            let (normalized, statistics) = try x.conv2d(weight: conv, padding: 1)
                .batchNorm(scale: gamma, shift: beta, fuseReLU: true)
            try statistics.updateRunningAverages(mean: &runningMean, variance: &runningVariance, momentum: 0.1)
            let logits = try normalized.globalAveragePool().linear(weight: fc, bias: bias)
            let result = try logits.softmaxCrossEntropy(labels: labels)
            losses.append(result.loss.value.elements[0])
            accuracy = result.accuracy
            try result.loss.backward()
            tape.reset()
            for p in parameters {
                p.update { value, gradient in for i in value.indices { value[i] -= 0.5 * gradient[i] } }
                p.zeroGradient()
            }
        }
        #expect(losses.last! < 0.3 * losses.first!)
        #expect(accuracy == 1)
        #expect(conv.version == 40)
        // The running variance moved toward the batch variance and stays positive.
        #expect(runningVariance.elements.allSatisfy { $0 > 0 })
    }
}
