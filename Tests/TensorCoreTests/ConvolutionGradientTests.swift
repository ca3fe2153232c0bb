import Testing
@testable import TensorCore

@Suite("Convolution gradients")
struct ConvolutionGradientTests {
    /// `L(x, w) = Σ r · conv(x, w)` evaluated in Double by the reference loop.
    @Test("backward data and backward weights match central differences", arguments: ConvolutionCase.all)
    func gradients(_ c: ConvolutionCase) throws {
        var generator = Xoshiro256StarStar(seed: 11)
        let x = try Tensor.randomNormal(shape: [2, 5, 5, 8], standardDeviation: 1, generator: &generator)
        let w = try Tensor.randomNormal(shape: [16, 8, c.kernel, c.kernel], standardDeviation: 0.3,
                                        generator: &generator)
        let outShape = try Convolution.outputShape(inputShape: x.shape, weightShape: w.shape, stride: c.stride,
                                                   padding: c.padding)
        let r = try Tensor.randomNormal(shape: outShape, standardDeviation: 1, generator: &generator)
        let dx = try Convolution.backwardData(outputGradient: r, weight: w, inputShape: x.shape,
                                              stride: c.stride, padding: c.padding)
        var dw = try Tensor(zeros: w.shape)
        try Convolution.backwardWeights(input: x, outputGradient: r, into: &dw, accumulate: false,
                                        stride: c.stride, padding: c.padding)
        func loss(_ xs: [Double], _ ws: [Double]) -> Double {
            Reference.dot(Reference.convolution(input: xs, inputShape: x.shape, weight: ws, weightShape: w.shape,
                                                stride: c.stride, padding: c.padding).values, r.doubles)
        }
        let xd = x.doubles, wd = w.doubles
        let scaleX = dx.doubles.map(abs).max() ?? 1
        for i in Reference.sampleIndices(x.count) {
            let numeric = Reference.centralDifference(xd, i, h: 1e-3) { loss($0, wd) }
            #expect(abs(Double(dx.elements[i]) - numeric) <= 1e-3 * max(scaleX, 1e-3), "dx[\(i)]")
        }
        let scaleW = dw.doubles.map(abs).max() ?? 1
        for i in Reference.sampleIndices(w.count) {
            let numeric = Reference.centralDifference(wd, i, h: 1e-3) { loss(xd, $0) }
            #expect(abs(Double(dw.elements[i]) - numeric) <= 1e-3 * max(scaleW, 1e-3), "dw[\(i)]")
        }
        // Accumulation adds a second copy.
        try Convolution.backwardWeights(input: x, outputGradient: r, into: &dw, accumulate: true,
                                        stride: c.stride, padding: c.padding)
        let half = try dw.scaled(by: 0.5)
        var once = try Tensor(zeros: w.shape)
        try Convolution.backwardWeights(input: x, outputGradient: r, into: &once, accumulate: false,
                                        stride: c.stride, padding: c.padding)
        #expect(relativeError(half.doubles, once.doubles) < 1e-5)
    }

    @Test("a mismatched output gradient names both shapes")
    func gradientShapeMismatch() throws {
        let w = try Tensor(zeros: [16, 8, 3, 3])
        let r = try Tensor(zeros: [1, 3, 3, 16])
        do {
            _ = try Convolution.backwardData(outputGradient: r, weight: w, inputShape: [1, 4, 4, 8], stride: 1,
                                             padding: 1)
            Issue.record("expected a shape error")
        } catch let error as TensorError {
            #expect(error == .shapeMismatch(operation: "convolution backward data (output gradient)",
                                            expected: [1, 4, 4, 16], got: [1, 3, 3, 16]))
        }
    }
}
