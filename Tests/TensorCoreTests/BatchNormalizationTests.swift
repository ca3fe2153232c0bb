import Testing
@testable import TensorCore

@Suite("Batch normalization")
struct BatchNormalizationTests {
    let shape = [2, 3, 3, 16]
    let epsilon: Float = 1e-5

    func inputs(seed: UInt64) throws -> (x: Tensor, gamma: Tensor, beta: Tensor) {
        var generator = Xoshiro256StarStar(seed: seed)
        let x = try Tensor.randomNormal(shape: shape, mean: 0.5, standardDeviation: 2, generator: &generator)
        let gamma = try Tensor.randomUniform(shape: [16], lower: 0.5, upper: 1.5, generator: &generator)
        let beta = try Tensor.randomNormal(shape: [16], standardDeviation: 0.5, generator: &generator)
        return (x, gamma, beta)
    }

    @Test("training forward matches the formula and returns the batch statistics", arguments: [false, true])
    func trainingForward(fuseReLU: Bool) throws {
        let (x, gamma, beta) = try inputs(seed: 21)
        let result = try BatchNormalization.forwardTraining(x, scale: gamma, shift: beta, epsilon: epsilon,
                                                            fuseReLU: fuseReLU)
        var expected = Reference.batchNorm(x.doubles, shape: shape, gamma: gamma.doubles, beta: beta.doubles,
                                           epsilon: Double(epsilon))
        if fuseReLU { expected = expected.map { max($0, 0) } }
        #expect(relativeError(result.output.doubles, expected) < 1e-4)
        #expect(result.statistics.count == 18)
        #expect((fuseReLU ? result.workspace != nil : result.workspace == nil))
        let xs = x.doubles
        let mean0 = stride(from: 0, to: xs.count, by: 16).map { xs[$0] }.reduce(0, +) / 18
        #expect(abs(Double(result.statistics.mean.elements[0]) - mean0) < 1e-5)
        // The returned variance is the biased (population) one.
        let variance0 = stride(from: 0, to: xs.count, by: 16).map { (xs[$0] - mean0) * (xs[$0] - mean0) }
            .reduce(0, +) / 18
        #expect(abs(Double(result.statistics.variance.elements[0]) - variance0) < 1e-4 * variance0)
        // Running averages use the unbiased batch variance.
        var runningMean = try Tensor(zeros: [16])
        var runningVariance = try Tensor(shape: [16], repeating: 1)
        try result.statistics.updateRunningAverages(mean: &runningMean, variance: &runningVariance, momentum: 0.1)
        #expect(abs(Double(runningMean.elements[0]) - 0.1 * mean0) < 1e-5)
        #expect(abs(Double(runningVariance.elements[0]) - (0.9 + 0.1 * variance0 * 18 / 17)) < 1e-4)
    }

    @Test("a one-image batch uses its positions' statistics; one value per channel is refused")
    func oneImageBatch() throws {
        var generator = Xoshiro256StarStar(seed: 5)
        let gamma = try Tensor(shape: [4], repeating: 1)
        let beta = try Tensor(zeros: [4])
        // One image of 2 × 2 maps: M = 4 values per channel, normalized by their own statistics.
        let x = try Tensor.randomNormal(shape: [1, 2, 2, 4], standardDeviation: 1, generator: &generator)
        let result = try BatchNormalization.forwardTraining(x, scale: gamma, shift: beta, epsilon: epsilon)
        #expect(result.statistics.count == 4)
        let expected = Reference.batchNorm(x.doubles, shape: [1, 2, 2, 4], gamma: gamma.doubles,
                                           beta: beta.doubles, epsilon: Double(epsilon))
        #expect(relativeError(result.output.doubles, expected) < 1e-4)
        // One image of 1 × 1 maps: no variance; refused rather than normalized to β.
        let single = try Tensor.randomNormal(shape: [1, 1, 1, 4], standardDeviation: 1, generator: &generator)
        #expect(throws: TensorError.self) {
            _ = try BatchNormalization.forwardTraining(single, scale: gamma, shift: beta, epsilon: epsilon)
        }
        // Two such images are enough.
        let pair = try Tensor.randomNormal(shape: [2, 1, 1, 4], standardDeviation: 1, generator: &generator)
        _ = try BatchNormalization.forwardTraining(pair, scale: gamma, shift: beta, epsilon: epsilon)
    }

    @Test("inference uses the given running statistics")
    func inference() throws {
        let (x, gamma, beta) = try inputs(seed: 22)
        var generator = Xoshiro256StarStar(seed: 23)
        let mean = try Tensor.randomNormal(shape: [16], standardDeviation: 1, generator: &generator)
        let variance = try Tensor.randomUniform(shape: [16], lower: 0.5, upper: 2, generator: &generator)
        let y = try BatchNormalization.forwardInference(x, scale: gamma, shift: beta, mean: mean,
                                                        variance: variance, epsilon: epsilon)
        let expected = Reference.batchNorm(x.doubles, shape: shape, gamma: gamma.doubles, beta: beta.doubles,
                                           epsilon: Double(epsilon), mean: mean.doubles, variance: variance.doubles)
        #expect(relativeError(y.doubles, expected) < 1e-4)
    }

    @Test("training backward matches central differences for x, γ and β")
    func trainingBackward() throws {
        let (x, gamma, beta) = try inputs(seed: 24)
        var generator = Xoshiro256StarStar(seed: 25)
        let r = try Tensor.randomNormal(shape: shape, standardDeviation: 1, generator: &generator)
        let forward = try BatchNormalization.forwardTraining(x, scale: gamma, shift: beta, epsilon: epsilon)
        let grads = try BatchNormalization.backward(input: x, outputGradient: r, scale: gamma, shift: beta,
                                                    statistics: forward.statistics, workspace: nil,
                                                    epsilon: epsilon)
        let (xd, gd, bd, rd) = (x.doubles, gamma.doubles, beta.doubles, r.doubles)
        let e = Double(epsilon)
        func loss(_ x: [Double], _ g: [Double], _ b: [Double]) -> Double {
            Reference.dot(Reference.batchNorm(x, shape: shape, gamma: g, beta: b, epsilon: e), rd)
        }
        let scale = grads.input.doubles.map(abs).max() ?? 1
        for i in Reference.sampleIndices(x.count) {
            let numeric = Reference.centralDifference(xd, i, h: 1e-4) { loss($0, gd, bd) }
            #expect(abs(Double(grads.input.elements[i]) - numeric) <= 1e-2 * scale, "dx[\(i)]")
        }
        for i in [0, 5, 15] {
            let dg = Reference.centralDifference(gd, i, h: 1e-4) { loss(xd, $0, bd) }
            let db = Reference.centralDifference(bd, i, h: 1e-4) { loss(xd, gd, $0) }
            #expect(abs(Double(grads.scale.elements[i]) - dg) <= 1e-2 * max(abs(dg), 1), "dγ[\(i)]")
            #expect(abs(Double(grads.shift.elements[i]) - db) <= 1e-2 * max(abs(db), 1), "dβ[\(i)]")
        }
    }

    @Test("fused ReLU backward equals ReLU backward then batch-norm backward")
    func fusedBackward() throws {
        let (x, gamma, beta) = try inputs(seed: 26)
        var generator = Xoshiro256StarStar(seed: 27)
        let r = try Tensor.randomNormal(shape: shape, standardDeviation: 1, generator: &generator)
        let fused = try BatchNormalization.forwardTraining(x, scale: gamma, shift: beta, epsilon: epsilon,
                                                           fuseReLU: true)
        let fusedGrads = try BatchNormalization.backward(
            input: x, outputGradient: r, scale: gamma, shift: beta, statistics: fused.statistics,
            workspace: fused.workspace, epsilon: epsilon, fuseReLU: true)
        let plain = try BatchNormalization.forwardTraining(x, scale: gamma, shift: beta, epsilon: epsilon)
        let masked = try Tensor.reluBackward(output: plain.output, gradient: r)
        let plainGrads = try BatchNormalization.backward(input: x, outputGradient: masked, scale: gamma,
                                                         shift: beta, statistics: plain.statistics,
                                                         workspace: nil, epsilon: epsilon)
        #expect(relativeError(fusedGrads.input.doubles, plainGrads.input.doubles) < 1e-4)
        #expect(relativeError(fusedGrads.scale.doubles, plainGrads.scale.doubles) < 1e-4)
        #expect(relativeError(fusedGrads.shift.doubles, plainGrads.shift.doubles) < 1e-4)
    }

    @Test("fused backward without a workspace and wrong channel counts throw")
    func errors() throws {
        let (x, gamma, beta) = try inputs(seed: 28)
        let forward = try BatchNormalization.forwardTraining(x, scale: gamma, shift: beta)
        #expect(throws: TensorError.self) {
            try BatchNormalization.backward(input: x, outputGradient: x, scale: gamma, shift: beta,
                                            statistics: forward.statistics, workspace: nil, fuseReLU: true)
        }
        #expect(throws: TensorError.shapeMismatch(operation: "batch normalization (scale)", expected: [16], got: [8])) {
            try BatchNormalization.forwardTraining(x, scale: try Tensor(zeros: [8]), shift: beta)
        }
    }
}
