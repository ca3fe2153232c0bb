extension Tensor {
    /// The row-major index of the first element that is NaN or ±∞, or `nil` when all are finite.
    ///
    /// A guard for inputs before they reach kernels that would hide a non-finite value (ReLU maps
    /// NaN to 0). Fast: blocks of 4096 elements are screened with a vectorizable integer reduction
    /// over the exponent bits (all ones exactly for NaN and ±∞), and only a block that fails is
    /// scanned element by element.
    ///
    /// - Returns: the index in `0..<count` of the first non-finite element, or `nil`.
    public func firstNonFiniteIndex() -> Int? {
        let exponentMask: UInt32 = 0x7F80_0000
        return withUnsafeBufferPointer { values in
            values.withMemoryRebound(to: UInt32.self) { bits -> Int? in
                let blockSize = 4096
                var start = 0
                while start < bits.count {
                    let end = Swift.min(start + blockSize, bits.count)
                    var largest: UInt32 = 0
                    for i in start..<end { largest = Swift.max(largest, bits[i] & exponentMask) }
                    if largest == exponentMask {
                        for i in start..<end where bits[i] & exponentMask == exponentMask { return i }
                    }
                    start = end
                }
                return nil
            }
        }
    }
}
