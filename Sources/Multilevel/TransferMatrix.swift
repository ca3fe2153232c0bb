/// A linear map between per-step parameter sequences of two levels, stored as a dense matrix.
///
/// Every prolongation `P` and restriction `R` here is linear in the sequence θ_0 … θ_{N−1}, so it is
/// built once as a matrix and applied to every per-step tensor (conv weights, BN γ/β, running
/// statistics, momentum buffers): with the `N` tensors of one parameter stacked as the rows of an
/// `N × S` matrix Θ, the transferred sequence is `M Θ`.
///
/// Shape: `rowCount × columnCount`, entries row-major; a prolongation from `N` coarse steps is
/// `(cf·N) × N`, a restriction to `N` coarse steps is `N × (cf·N)`.
public struct TransferMatrix: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Rows: the length of the output sequence.
    public let rowCount: Int
    /// Columns: the length of the input sequence.
    public let columnCount: Int
    /// The entries, row-major: `entries[i * columnCount + j]` is `M_ij`.
    public let entries: [Double]

    /// Creates a matrix from its row-major entries.
    ///
    /// - Throws: `MultilevelError.shapeMismatch` when `entries.count != rowCount · columnCount` or a
    ///   dimension is not positive.
    public init(rowCount: Int, columnCount: Int, entries: [Double]) throws {
        guard rowCount > 0, columnCount > 0, entries.count == rowCount * columnCount else {
            throw MultilevelError.shapeMismatch(operation: "TransferMatrix.init",
                                                left: [rowCount, columnCount], right: [entries.count])
        }
        self.rowCount = rowCount
        self.columnCount = columnCount
        self.entries = entries
    }

    /// Builds a matrix row by row from a function of the indices (internal: sizes are trusted).
    init(rowCount: Int, columnCount: Int, entry: (_ row: Int, _ column: Int) -> Double) {
        self.rowCount = rowCount
        self.columnCount = columnCount
        var entries = [Double](repeating: 0, count: rowCount * columnCount)
        for i in 0..<rowCount {
            for j in 0..<columnCount { entries[i * columnCount + j] = entry(i, j) }
        }
        self.entries = entries
    }

    /// The `n × n` identity.
    ///
    /// - Precondition: `n ≥ 1`.
    public static func identity(_ n: Int) -> TransferMatrix {
        TransferMatrix(rowCount: n, columnCount: n) { $0 == $1 ? 1 : 0 }
    }

    /// The entry `M_ij`.
    public subscript(row: Int, column: Int) -> Double { entries[row * columnCount + column] }

    /// The transpose `Mᵀ`.
    public var transposed: TransferMatrix {
        TransferMatrix(rowCount: columnCount, columnCount: rowCount) { self[$1, $0] }
    }

    /// The matrix scaled by a real factor.
    public func scaled(by factor: Double) -> TransferMatrix {
        TransferMatrix(rowCount: rowCount, columnCount: columnCount) { factor * self[$0, $1] }
    }

    /// The product `self · other` (apply `other` first).
    ///
    /// - Throws: `MultilevelError.shapeMismatch` when `columnCount != other.rowCount`.
    public func multiplied(by other: TransferMatrix) throws -> TransferMatrix {
        guard columnCount == other.rowCount else {
            throw MultilevelError.shapeMismatch(operation: "TransferMatrix.multiplied",
                                                left: [rowCount, columnCount],
                                                right: [other.rowCount, other.columnCount])
        }
        return TransferMatrix(rowCount: rowCount, columnCount: other.columnCount) { i, j in
            (0..<columnCount).reduce(0) { $0 + self[i, $1] * other[$1, j] }
        }
    }

    /// The largest absolute entry of `self − other` (∞ when the shapes differ).
    public func maxAbsoluteDifference(from other: TransferMatrix) -> Double {
        guard rowCount == other.rowCount, columnCount == other.columnCount else { return .infinity }
        return zip(entries, other.entries).map { abs($0 - $1) }.max() ?? 0
    }

    /// Applies the map to a sequence of per-step arrays: `output[i] = Σ_j M_ij · input[j]`.
    ///
    /// Sums are accumulated in `Double` and zero entries are skipped, so copies (`M_ij = 1`) and
    /// averages of equal values are exact: refining then coarsening with an exact pair (`R P = I`)
    /// returns the original values bit for bit.
    ///
    /// - Parameter sequence: `columnCount` arrays of equal length `S` (one flattened tensor per step).
    /// - Returns: `rowCount` arrays of length `S`.
    /// - Throws: `MultilevelError.sequenceLengthMismatch` when `sequence.count != columnCount`,
    ///   `.elementCountMismatch` when the arrays' lengths differ.
    public func apply<Scalar: BinaryFloatingPoint>(to sequence: [[Scalar]]) throws -> [[Scalar]] {
        guard sequence.count == columnCount else {
            throw MultilevelError.sequenceLengthMismatch(operation: "TransferMatrix.apply",
                                                         expected: columnCount, got: sequence.count)
        }
        let size = sequence[0].count
        for (step, values) in sequence.enumerated() where values.count != size {
            throw MultilevelError.elementCountMismatch(operation: "TransferMatrix.apply",
                                                       step: step, expected: size, got: values.count)
        }
        var output: [[Scalar]] = []
        output.reserveCapacity(rowCount)
        var accumulator = [Double](repeating: 0, count: size)
        for i in 0..<rowCount {
            for k in 0..<size { accumulator[k] = 0 }
            for j in 0..<columnCount {
                let weight = self[i, j]
                if weight == 0 { continue }
                sequence[j].withUnsafeBufferPointer { input in
                    for k in 0..<size { accumulator[k] += weight * Double(input[k]) }
                }
            }
            output.append(accumulator.map { Scalar($0) })
        }
        return output
    }

    /// The matrix, one row per line, entries tab-separated.

    public var description: String {
        (0..<rowCount).map { i in
            (0..<columnCount).map { j in String(self[i, j]) }.joined(separator: "\t")
        }.joined(separator: "\n")
    }
}
