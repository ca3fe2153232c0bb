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
        withUnsafeBufferPointer { Tensor.firstNonFiniteIndex(in: $0) }
    }

    /// The number of elements that are NaN or ±∞ (0 for a finite tensor).
    ///
    /// - Returns: a count in `0...count`.
    public func nonFiniteCount() -> Int {
        withUnsafeBufferPointer { Tensor.nonFiniteCount(in: $0) }
    }

    /// The index of the first NaN or ±∞ in `values`, or `nil` when all are finite (see
    /// ``firstNonFiniteIndex()``; no allocation).
    ///
    /// - Parameter values: any Float32 values.
    /// - Returns: the index of the first non-finite value, or `nil`.
    public static func firstNonFiniteIndex(in values: UnsafeBufferPointer<Float>) -> Int? {
        let exponentMask = Float.exponentMask
        return values.withMemoryRebound(to: UInt32.self) { bits -> Int? in
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

    /// The number of NaN and ±∞ values in `values` (a vectorizable count over the exponent bits;
    /// no allocation).
    ///
    /// - Parameter values: any Float32 values.
    /// - Returns: a count in `0...values.count`.
    public static func nonFiniteCount(in values: UnsafeBufferPointer<Float>) -> Int {
        let exponentMask = Float.exponentMask
        return values.withMemoryRebound(to: UInt32.self) { bits -> Int in
            var count = 0
            for word in bits { count &+= word & exponentMask == exponentMask ? 1 : 0 }
            return count
        }
    }
}

extension Float {
    /// The exponent bits of a Float32 (`0x7F80_0000`): all of them are set exactly for NaN and ±∞,
    /// so `x.bitPattern & exponentMask == exponentMask` tests `!x.isFinite` without a branch on the
    /// class of `x` — the form that vectorizes in reductions such as `max` over a buffer.
    @inlinable public static var exponentMask: UInt32 { 0x7F80_0000 }
}
