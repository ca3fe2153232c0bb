import Testing
@testable import TensorCore

@Suite("Tensor")
struct TensorTests {
    @Test("copies share storage until one is written (copy-on-write)")
    func copyOnWrite() throws {
        let a = try Tensor(shape: [2, 3], elements: [1, 2, 3, 4, 5, 6])
        var b = a
        #expect(a.sharesStorage(with: b))
        b.withUnsafeMutableBufferPointer { $0[0] = 42 }
        #expect(!a.sharesStorage(with: b))
        #expect(a.elements == [1, 2, 3, 4, 5, 6])
        #expect(b.elements == [42, 2, 3, 4, 5, 6])
        // A unique tensor is written in place.
        let before = b.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }
        let after = b.withUnsafeMutableBufferPointer { buffer in
            buffer[1] = 7
            return UInt(bitPattern: buffer.baseAddress)
        }
        #expect(before == after)
    }

    @Test("initializers check shapes and counts")
    func initializers() throws {
        #expect(try Tensor(zeros: [2, 2]).elements == [0, 0, 0, 0])
        #expect(try Tensor(shape: [3], repeating: 1.5).elements == [1.5, 1.5, 1.5])
        #expect(try Tensor(zeros: []).count == 1)
        #expect(throws: TensorError.shapeMismatch(operation: "Tensor(shape:elements:)", expected: [2, 2], got: [3])) {
            try Tensor(shape: [2, 2], elements: [1, 2, 3])
        }
        #expect(throws: TensorError.self) { try Tensor(zeros: [2, -1]) }
        #expect(throws: TensorError.self) { try Tensor(zeros: [Int.max / 2, 4]) }
    }

    @Test("reshape keeps the data and rejects a different count, naming both shapes")
    func reshape() throws {
        let a = try Tensor(shape: [2, 3], elements: [1, 2, 3, 4, 5, 6])
        let b = try a.reshaped(to: [3, 2])
        #expect(b.shape == [3, 2])
        #expect(b.elements == a.elements)
        do {
            _ = try a.reshaped(to: [4, 2])
            Issue.record("expected a shape error")
        } catch {
            #expect(error.description.contains("[2, 3]") && error.description.contains("[4, 2]"))
        }
    }

    @Test("the generator is deterministic per seed and the normal draws have mean ≈ 0, variance ≈ 1")
    func random() throws {
        var g1 = Xoshiro256StarStar(seed: 5)
        var g2 = Xoshiro256StarStar(seed: 5)
        var g3 = Xoshiro256StarStar(seed: 6)
        #expect(g1.next() == g2.next())
        #expect(g1.next() != g3.next())
        let t = try Tensor.randomNormal(shape: [20000], standardDeviation: 1, generator: &g1)
        let mean = t.sum() / 20000
        let variance = t.elements.reduce(0.0) { $0 + Double($1 * $1) } / 20000 - mean * mean
        #expect(abs(mean) < 0.03)
        #expect(abs(variance - 1) < 0.05)
        let he = try Tensor.heNormal(shape: [64, 16, 3, 3], fanIn: 144, generator: &g1)
        let heVariance = he.elements.reduce(0.0) { $0 + Double($1 * $1) } / Double(he.count)
        #expect(abs(heVariance - 2.0 / 144) < 0.2 * 2.0 / 144)
        #expect(throws: TensorError.self) { try Tensor.heNormal(shape: [1], fanIn: 0, generator: &g1) }
    }

    @Test("the fused linear combination equals the term-by-term sum")
    func linearCombination() throws {
        var g = Xoshiro256StarStar(seed: 9)
        let shape = [3, 1000]   // more than one block
        let y = try Tensor.randomNormal(shape: shape, standardDeviation: 1, generator: &g)
        let k1 = try Tensor.randomNormal(shape: shape, standardDeviation: 1, generator: &g)
        let k2 = try Tensor.randomNormal(shape: shape, standardDeviation: 1, generator: &g)
        let z = try Tensor.linearCombination(y, weights: [0.5, -2], terms: [k1, k2])
        let (yd, k1d, k2d) = (y.doubles, k1.doubles, k2.doubles)
        var expected = yd
        for i in expected.indices { expected[i] += 0.5 * k1d[i] - 2 * k2d[i] }
        #expect(relativeError(z.doubles, expected) < 1e-6)
        #expect(try Tensor.linearCombination(y, weights: [], terms: []).elements == y.elements)
        #expect(throws: TensorError.self) { try Tensor.linearCombination(y, weights: [1], terms: []) }
        #expect(throws: TensorError.self) {
            try Tensor.linearCombination(y, weights: [1], terms: [try Tensor(zeros: [3, 999])])
        }
    }

    @Test("large tensors (oneDNN sum path) agree with small ones (loop path)")
    func sumPaths() throws {
        var g = Xoshiro256StarStar(seed: 10)
        let n = ScaledSum.threshold + 17
        let y = try Tensor.randomNormal(shape: [n], standardDeviation: 1, generator: &g)
        let k = try Tensor.randomNormal(shape: [n], standardDeviation: 1, generator: &g)
        let (yd, kd) = (y.doubles, k.doubles)
        let z = try Tensor.linearCombination(y, weights: [0.25, 0, -3], terms: [k, y, k])
        var expected = yd
        for i in expected.indices { expected[i] += 0.25 * kd[i] - 3 * kd[i] }
        #expect(relativeError(z.doubles, expected) < 1e-6)
        #expect(relativeError(try y.scaled(by: -2).doubles, yd.map { -2 * $0 }) < 1e-6)
        var w = y
        try w.add(k, scaledBy: 0.5)
        var axpy = yd
        for i in axpy.indices { axpy[i] += 0.5 * kd[i] }
        #expect(relativeError(w.doubles, axpy) < 1e-6)
        #expect(relativeError(y.doubles, yd) == 0)   // the copy that shared storage is untouched
        var u = y
        try u.add(u, scaledBy: 1)                    // a tensor added to itself
        #expect(relativeError(u.doubles, yd.map { 2 * $0 }) < 1e-6)
    }

    @Test("ReLU and its backward")
    func relu() throws {
        let x = try Tensor(shape: [4], elements: [-1, 2, -3, 4])
        #expect(x.relu().elements == [0, 2, 0, 4])
        let g = try Tensor(shape: [4], elements: [1, 1, 1, 1])
        #expect(try Tensor.reluBackward(output: x.relu(), gradient: g).elements == [0, 1, 0, 1])
    }

    @Test("the reference-implementation guard refuses ref kernels and accepts JIT ones")
    func referenceGuard() throws {
        #expect(throws: TensorError.referenceImplementation(primitive: "convolution forward", shape: "s",
                                                            implementation: "ref:any")) {
            try ImplementationGuard.check(implementation: "ref:any", primitive: "convolution forward", shape: "s")
        }
        try ImplementationGuard.check(implementation: "brg:avx512_core", primitive: "convolution forward", shape: "s")
        try ImplementationGuard.check(implementation: "jit:avx2", primitive: "convolution forward", shape: "s")
        // NHWC data with plain OIHW weights makes oneDNN fall back to its reference kernel.
        let problem = try ConvolutionProblem(inputShape: [2, 8, 8, 16], weightShape: [16, 16, 3, 3], stride: 1,
                                             padding: 1, operation: "test")
        do {
            let primitive = try Convolution.forwardPrimitive(problem, try DNNLRuntime.get(), plainWeights: true)
            Issue.record("expected the guard to refuse \(primitive.implementation)")
        } catch let error as TensorError {
            guard case let .referenceImplementation(primitive, shape, implementation) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(primitive == "convolution forward")
            #expect(shape.contains("[2, 8, 8, 16]"))
            #expect(implementation.hasPrefix("ref"))
        }
    }

    @Test("the thread count is read on the calling thread; a kernel on another thread does not change it")
    func threads() async throws {
        #expect(ThreadControl.threadCount != nil)
        ComputeContext.singleThreaded.run { #expect(ThreadControl.threadCount == 1) }
        // A count applied on one thread does not reach another: no process-wide count is
        // re-applied before kernels any more (issue 13); a context applies it where it runs.
        let seen = try await Task.detached {
            let before = ThreadControl.threadCount
            let inside: Int? = try ComputeContext(threadCount: 2).run {
                let x = try Tensor(shape: [1, 2, 2, 8], repeating: 1)
                _ = try ComputeContext.singleThreaded.run {
                    try Convolution.forward(x, weight: try Tensor(zeros: [8, 8, 1, 1]), stride: 1, padding: 0)
                }
                return ThreadControl.threadCount
            }
            return (before, inside, ThreadControl.threadCount)
        }.value
        #expect(seen.1 == 2)
        #expect(seen.2 == seen.0)
    }
}

@Suite("Tensor memory")
struct TensorMemoryTests {
    @Test("a pool returns freed buffers of the same size and can be drained")
    func pool() {
        let pool = BufferPool(capacityBytes: 1 << 20)
        let a = pool.take(byteCount: 4096)
        pool.give(a, byteCount: 4096)
        #expect(pool.pooledBytes == 4096)
        let b = pool.take(byteCount: 4096)
        #expect(a == b)
        #expect(pool.pooledBytes == 0)
        pool.give(b, byteCount: 4096)
        pool.give(pool.take(byteCount: 1 << 21), byteCount: 1 << 21)   // over capacity: freed, not pooled
        #expect(pool.pooledBytes == 4096)
        pool.drain()
        #expect(pool.pooledBytes == 0)
    }
}
