internal import CDNNL
import Synchronization

/// The scaled sum `dst = Σ_i scale_i · src_i` over flat Float32 buffers, multi-threaded through
/// oneDNN's sum primitive for large buffers and a plain loop for small ones.
///
/// Large elementwise passes (the Runge–Kutta combination, gradient accumulation) are memory
/// bound; running them on oneDNN's OpenMP pool uses every core without a second thread pool
/// competing with oneDNN's spinning threads.
///
/// Invariants: `scales.count == sources.count ≥ 1`; `destination` may equal `sources[0]`
/// (in place) but no other source.
enum ScaledSum {
    /// Buffers at least this long go through oneDNN.
    static let threshold = 1 << 15
    /// At most this many distinct sum primitives are created (scales and length are baked into each;
    /// they are small, non-JIT objects). Past the limit, sums run as single-threaded loops.
    static let primitiveLimit = 1024
    private static let created = Atomic<Int>(0)

    /// Computes `destination = Σ scales[i] · sources[i]` over `count` floats.
    static func run(destination: UnsafeMutablePointer<Float>, sources: [UnsafePointer<Float>],
                    scales: [Float], count: Int) throws {
        if count >= threshold, try viaDNNL(destination, sources, scales, count) { return }
        var start = 0
        let block = 2048
        while start < count {
            let n = Swift.min(block, count - start)
            let o = destination + start
            let s0 = sources[0] + start
            let a0 = scales[0]
            for i in 0..<n { o[i] = a0 * s0[i] }
            for k in 1..<sources.count {
                let s = sources[k] + start
                let a = scales[k]
                for i in 0..<n { o[i] += a * s[i] }
            }
            start += n
        }
    }

    /// Runs through oneDNN; `false` when the primitive limit is reached (caller loops instead).
    private static func viaDNNL(_ destination: UnsafeMutablePointer<Float>, _ sources: [UnsafePointer<Float>],
                                _ scales: [Float], _ count: Int) throws -> Bool {
        let runtime = try DNNLRuntime.get()
        let inPlace = UnsafePointer(destination) == sources[0]
        let key = PrimitiveKey(kind: .scaledSum,
                               values: [count, inPlace ? 1 : 0] + scales.map { Int($0.bitPattern) })
        let flat = try memoryDescriptor([count], dnnl_x)
        let shape = "[\(count)] × \(sources.count) sources"
        let primitive: DNNLPrimitive
        do {
            primitive = try runtime.primitive(key) {
                guard created.add(1, ordering: .relaxed).newValue <= primitiveLimit else {
                    throw LimitReached()
                }
                var destination = flat
                let sourceDescriptors = [dnnl_memory_desc_t](repeating: flat, count: sources.count)
                var descriptor: dnnl_primitive_desc_t?
                try dnnlCheck(dnnl_sum_primitive_desc_create(&descriptor, &destination, Int32(sources.count),
                                                             scales, sourceDescriptors, nil, runtime.engine),
                              "dnnl_sum_primitive_desc_create", shape)
                guard let descriptor else {
                    throw DNNLError(function: "dnnl_sum_primitive_desc_create", status: -1,
                                    message: "returned no descriptor for sum \(shape)")
                }
                return try DNNLPrimitive(ownedDescriptor: descriptor, kind: "sum", shape: shape, refuseReference: false)
            }
        } catch is LimitReached {
            return false
        }
        var arguments: [(Int32, dnnl_memory_desc_t, UnsafeMutableRawPointer)] = sources.enumerated().map {
            (DNNL_ARG_MULTIPLE_SRC + Int32($0.offset), flat, UnsafeMutableRawPointer(mutating: $0.element))
        }
        arguments.append((DNNL_ARG_DST, flat, UnsafeMutableRawPointer(destination)))
        try runtime.execute(primitive, arguments)
        return true
    }

    private struct LimitReached: Error {}
}
