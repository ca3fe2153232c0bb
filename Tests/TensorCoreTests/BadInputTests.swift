import Testing
@testable import TensorCore

/// Inputs that used to trap, crash or allocate terabytes; each must now throw a typed error
/// before anything large is allocated (every rejected size here is refused by the guard).
@Suite("Tensor bad input")
struct TensorBadInputTests {
    @Test("a shape larger than physical memory is refused before allocating, naming operation, shape and bytes")
    func physicalMemory() throws {
        let physical = TensorMemory.physicalMemoryBytes
        try #require(physical > 0)
        let shape = [1 << 50]  // 4 PiB of Float32
        #expect(throws: TensorError.exceedsPhysicalMemory(operation: "Tensor(shape:repeating:)", shape: shape,
                                                          byteCount: 1 << 52, physicalMemory: physical)) {
            try Tensor(zeros: shape)
        }
        do {
            _ = try Tensor(shape: [1 << 26, 1 << 24], elements: [])
            Issue.record("a 2⁵⁰-element tensor was accepted")
        } catch {
            #expect(error.description.contains("Tensor(shape:elements:)"))
            #expect(error.description.contains("\(1 << 52) bytes"))
        }
        var generator = Xoshiro256StarStar(seed: 1)
        #expect(throws: TensorError.self) { try Tensor.randomNormal(shape: shape, standardDeviation: 1, generator: &generator) }
        #expect(throws: TensorError.self) { try Tensor.randomUniform(shape: shape, generator: &generator) }
        // A 2²⁰-channel 3×3 convolution weight (finding 7: 39.6 TB) is refused by the initializer.
        #expect(throws: TensorError.self) {
            try Tensor.heNormal(shape: [1 << 20, 1 << 20, 3, 3], fanIn: 9 << 20, generator: &generator)
        }
        #expect(try Tensor.checkedByteCount([2, 3], operation: "t") == 24)
        #expect(try Tensor.checkedByteCount([], operation: "t") == 4)
        #expect(throws: TensorError.self) { try Tensor.checkedByteCount([Int.max / 2, 4], operation: "t") }
        #expect(throws: TensorError.self) { try Tensor.checkedByteCount([Int.max / 4 + 1], operation: "t") }
    }

    @Test("random draws reject a negative or non-finite σ and bad uniform bounds without advancing the generator")
    func randomParameters() throws {
        var generator = Xoshiro256StarStar(seed: 7)
        let before = generator
        for sigma: Float in [-1, .nan, .infinity] {
            #expect(throws: TensorError.self) {
                try Tensor.randomNormal(shape: [4], standardDeviation: sigma, generator: &generator)
            }
        }
        #expect(throws: TensorError.self) {
            try Tensor.randomNormal(shape: [4], mean: .nan, standardDeviation: 1, generator: &generator)
        }
        for (lower, upper): (Float, Float) in [(5, -5), (.nan, 1), (0, .infinity), (-3e38, 3e38)] {
            #expect(throws: TensorError.self) {
                try Tensor.randomUniform(shape: [4], lower: lower, upper: upper, generator: &generator)
            }
        }
        #expect(generator == before)
        // The edges stay valid: σ = 0 gives the mean, lower == upper gives the bound.
        #expect(try Tensor.randomNormal(shape: [3], mean: 2, standardDeviation: 0, generator: &generator).elements == [2, 2, 2])
        #expect(try Tensor.randomUniform(shape: [2], lower: 1, upper: 1, generator: &generator).elements == [1, 1])
    }

    @Test("convolution sizes: overflow, padding ≥ kernel and huge outputs throw")
    func convolutionShapes() throws {
        let w = [1, 1, 3, 3]
        #expect(throws: TensorError.self) {
            try Convolution.outputShape(inputShape: [1, 4, 4, 1], weightShape: w, stride: 1, padding: Int.max / 2)
        }
        #expect(throws: TensorError.self) {
            try Convolution.outputShape(inputShape: [1, Int.max, 4, 1], weightShape: w, stride: 1, padding: 1)
        }
        #expect(throws: TensorError.self) {
            try Convolution.outputShape(inputShape: [1, 4, 4, 1], weightShape: w, stride: 1, padding: 1 << 20)
        }
        #expect(throws: TensorError.self) {
            try Convolution.outputShape(inputShape: [1, 4, 4, 1], weightShape: w, stride: 1, padding: 3)
        }
        #expect(throws: TensorError.self) {
            try Convolution.outputShape(inputShape: [1, 4, 4, 1], weightShape: [1, 1, 1, 3], stride: 1, padding: 1)
        }
        #expect(throws: TensorError.self) {
            try Convolution.outputShape(inputShape: [1, 1 << 40, 1 << 20, 1], weightShape: [1, 1, 1, 1],
                                        stride: 1, padding: 0)
        }
        let x = try Tensor(shape: [1, 4, 4, 1], repeating: 1)
        #expect(throws: TensorError.self) {
            try Convolution.forward(x, weight: try Tensor(zeros: w), stride: 1, padding: Int.max / 2)
        }
        // The largest padding allowed still works.
        #expect(try Convolution.outputShape(inputShape: [1, 4, 4, 1], weightShape: w, stride: 1, padding: 2)
                == [1, 6, 6, 1])
    }

    @Test("the thread count is bounded by 4 × cores (at most 1024)")
    func threadBounds() throws {
        let maximum = ThreadControl.maximumThreadCount
        #expect(maximum >= 4 && maximum <= 1024)
        for count in [3_000_000_000, 100_000, maximum + 1, 0, -1] {
            #expect(throws: ComputeContextError.self) { try ComputeContext(threadCount: count) }
        }
    }

    @Test("firstNonFiniteIndex finds the first NaN or ±∞ in any block, and nil for finite extremes")
    func finiteness() throws {
        let n = 10_000
        var values = [Float](repeating: 1, count: n)
        values[0] = .greatestFiniteMagnitude
        values[1] = -.leastNonzeroMagnitude
        #expect(try Tensor(shape: [n], elements: values).firstNonFiniteIndex() == nil)
        for (index, bad) in [(0, Float.nan), (4095, .infinity), (4096, -.infinity), (n - 1, .nan), (5000, -.nan)] {
            var copy = values
            copy[index] = bad
            #expect(try Tensor(shape: [n], elements: copy).firstNonFiniteIndex() == index)
        }
        var twice = values
        twice[9000] = .nan
        twice[7000] = .infinity
        #expect(try Tensor(shape: [100, 100], elements: twice).firstNonFiniteIndex() == 7000)
        #expect(try Tensor(zeros: [0]).firstNonFiniteIndex() == nil)
    }
}
