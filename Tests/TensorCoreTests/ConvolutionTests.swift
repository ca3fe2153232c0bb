import Testing
@testable import TensorCore

/// The four convolution configurations of a pre-activation ResNet.
struct ConvolutionCase: Sendable, CustomTestStringConvertible {
    var kernel: Int
    var stride: Int
    var padding: Int
    var testDescription: String { "\(kernel)×\(kernel) s\(stride) p\(padding)" }
    static let all = [
        ConvolutionCase(kernel: 1, stride: 1, padding: 0), ConvolutionCase(kernel: 3, stride: 1, padding: 1),
        ConvolutionCase(kernel: 3, stride: 2, padding: 1), ConvolutionCase(kernel: 1, stride: 2, padding: 0),
    ]
}

@Suite("Convolution")
struct ConvolutionTests {
    @Test("forward matches a naive NHWC × OIHW loop", arguments: ConvolutionCase.all)
    func forwardMatchesReference(_ c: ConvolutionCase) throws {
        var generator = Xoshiro256StarStar(seed: 7)
        let x = try Tensor.randomNormal(shape: [2, 6, 6, 8], standardDeviation: 1, generator: &generator)
        let w = try Tensor.randomNormal(shape: [16, 8, c.kernel, c.kernel], standardDeviation: 0.3,
                                        generator: &generator)
        let y = try Convolution.forward(x, weight: w, stride: c.stride, padding: c.padding)
        let reference = Reference.convolution(input: x.doubles, inputShape: x.shape, weight: w.doubles,
                                              weightShape: w.shape, stride: c.stride, padding: c.padding)
        #expect(y.shape == reference.shape)
        #expect(relativeError(y.doubles, reference.values) < 1e-4)
    }

    @Test("stem convolutions with 1 or 3 input channels run and match the reference", arguments: [1, 3])
    func stem(inChannels: Int) throws {
        var generator = Xoshiro256StarStar(seed: 9)
        let x = try Tensor.randomNormal(shape: [2, 8, 8, inChannels], standardDeviation: 1, generator: &generator)
        let w = try Tensor.randomNormal(shape: [16, inChannels, 3, 3], standardDeviation: 0.3, generator: &generator)
        let y = try Convolution.forward(x, weight: w, stride: 1, padding: 1)
        let reference = Reference.convolution(input: x.doubles, inputShape: x.shape, weight: w.doubles,
                                              weightShape: w.shape, stride: 1, padding: 1)
        #expect(relativeError(y.doubles, reference.values) < 1e-4)
        var dw = try Tensor(zeros: w.shape)
        try Convolution.backwardWeights(input: x, outputGradient: y, into: &dw, accumulate: false, stride: 1, padding: 1)
        // dL/dw for L = ½‖y‖² is Σ x ⋆ y; check one entry against the reference loop: (w + e)·… is linear.
        var plus = w.doubles
        plus[5] += 1e-3
        var minus = w.doubles
        minus[5] -= 1e-3
        func loss(_ ws: [Double]) -> Double {
            let v = Reference.convolution(input: x.doubles, inputShape: x.shape, weight: ws, weightShape: w.shape,
                                          stride: 1, padding: 1).values
            return 0.5 * Reference.dot(v, v)
        }
        let numeric = (loss(plus) - loss(minus)) / 2e-3
        #expect(abs(Double(dw.elements[5]) - numeric) < 1e-3 * max(abs(numeric), 1))
        #expect(try KernelDiagnostics.primitiveImplementations().allSatisfy { !$0.hasSuffix("[ref:any]") })
    }

    @Test("cached reordered weights are refreshed after the weights change")
    func weightCacheInvalidation() throws {
        var generator = Xoshiro256StarStar(seed: 8)
        let x = try Tensor.randomNormal(shape: [1, 4, 4, 8], standardDeviation: 1, generator: &generator)
        var w = try Tensor.randomNormal(shape: [16, 8, 3, 3], standardDeviation: 0.3, generator: &generator)
        let y1 = try Convolution.forward(x, weight: w, stride: 1, padding: 1)
        w.withUnsafeMutableBufferPointer { buffer in
            for i in buffer.indices { buffer[i] *= 2 }
        }
        let y2 = try Convolution.forward(x, weight: w, stride: 1, padding: 1)
        #expect(relativeError(y2.doubles, y1.doubles.map { 2 * $0 }) < 1e-5)
    }

    @Test("mismatched channels throw a shape error naming both shapes")
    func channelMismatch() throws {
        let x = try Tensor(zeros: [1, 4, 4, 8])
        let w = try Tensor(zeros: [16, 4, 3, 3])
        #expect(throws: TensorError.self) { try Convolution.forward(x, weight: w, stride: 1, padding: 1) }
        do {
            _ = try Convolution.forward(x, weight: w, stride: 1, padding: 1)
        } catch let error as TensorError {
            #expect(error.description.contains("[16, 4, 3, 3]"))
            #expect(error.description.contains("[16, 8, 3, 3]"))
        }
    }
}
