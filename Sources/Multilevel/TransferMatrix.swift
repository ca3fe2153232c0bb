/// A linear map between per-step parameter sequences of two levels, stored as a dense matrix.
///
/// Every prolongation `P` and restriction `R` here is linear in the sequence θ_0 … θ_{N−1}, so it is
/// built once as a matrix and applied to every per-step tensor (conv weights, BN γ/β, running
/// statistics, momentum buffers): with the `N` tensors of one parameter stacked as the rows of an
/// `N × S` matrix Θ, the transferred sequence is `M Θ`.
///
/// Shape: `rowCount × columnCount`, entries row-major; a prolongation from `N` coarse steps is
/// `(cf·N) × N`, a restriction to `N` coarse steps is `N × (cf·N)`.
///
/// Invariants: `rowCount, columnCount ≥ 1`, `rowCount · columnCount ≤ maximumEntryCount`, every
/// entry finite (checked at construction and on decoding).
public struct TransferMatrix: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Rows: the length of the output sequence.
    public let rowCount: Int
    /// Columns: the length of the input sequence.
    public let columnCount: Int
    /// The entries, row-major: `entries[i * columnCount + j]` is `M_ij`.
    public let entries: [Double]

    /// The largest number of entries `rowCount · columnCount` of a dense transfer matrix: `2^26`
    /// (512 MiB of `Double`s), e.g. a `(2·4096) × 4096` prolongation.
    public static let maximumEntryCount = 1 << 26

    /// The entry count `rowCount · columnCount`, checked: the one size guard of every constructor.
    ///
    /// - Throws: `MultilevelError.shapeMismatch` for a non-positive dimension, `.sizeOverflow` when the
    ///   product overflows `Int`, `.matrixTooLarge` above ``maximumEntryCount``.
    static func checkedEntryCount(rowCount: Int, columnCount: Int, operation: String) throws -> Int {
        guard rowCount > 0, columnCount > 0 else {
            throw MultilevelError.shapeMismatch(operation: operation, left: [rowCount, columnCount], right: [])
        }
        let (count, overflow) = rowCount.multipliedReportingOverflow(by: columnCount)
        guard !overflow else {
            throw MultilevelError.sizeOverflow(operation: operation, factors: [rowCount, columnCount])
        }
        guard count <= maximumEntryCount else {
            throw MultilevelError.matrixTooLarge(operation: operation, rowCount: rowCount, columnCount: columnCount,
                                                 limit: maximumEntryCount)
        }
        return count
    }

    /// Creates a matrix from its row-major entries.
    ///
    /// - Throws: `MultilevelError.shapeMismatch` when a dimension is not positive or
    ///   `entries.count != rowCount · columnCount`; `.sizeOverflow` / `.matrixTooLarge` for dimensions
    ///   whose product overflows or exceeds ``maximumEntryCount``; `.nonFiniteEntry` for a NaN or
    ///   infinite entry.
    public init(rowCount: Int, columnCount: Int, entries: [Double]) throws {
        let count = try Self.checkedEntryCount(rowCount: rowCount, columnCount: columnCount,
                                               operation: "TransferMatrix.init")
        guard entries.count == count else {
            throw MultilevelError.shapeMismatch(operation: "TransferMatrix.init",
                                                left: [rowCount, columnCount], right: [entries.count])
        }
        if let k = entries.firstIndex(where: { !$0.isFinite }) {
            throw MultilevelError.nonFiniteEntry(row: k / columnCount, column: k % columnCount, value: entries[k])
        }
        self.rowCount = rowCount
        self.columnCount = columnCount
        self.entries = entries
    }

    /// Builds a matrix row by row from a function of the indices, after checking the sizes.
    ///
    /// - Throws: the errors of ``checkedEntryCount(rowCount:columnCount:operation:)``.
    init(rowCount: Int, columnCount: Int, operation: String,
         entry: (_ row: Int, _ column: Int) -> Double) throws {
        _ = try Self.checkedEntryCount(rowCount: rowCount, columnCount: columnCount, operation: operation)
        self.init(trustedRowCount: rowCount, columnCount: columnCount, entry: entry)
    }

    /// Builds a matrix from a function of the indices; the sizes come from a validated matrix.
    private init(trustedRowCount rowCount: Int, columnCount: Int, entry: (_ row: Int, _ column: Int) -> Double) {
        self.rowCount = rowCount
        self.columnCount = columnCount
        var entries = [Double](repeating: 0, count: rowCount * columnCount)
        for i in 0..<rowCount {
            for j in 0..<columnCount { entries[i * columnCount + j] = entry(i, j) }
        }
        self.entries = entries
    }

    private enum CodingKeys: String, CodingKey { case rowCount, columnCount, entries }

    /// Decodes a matrix and validates it as ``init(rowCount:columnCount:entries:)`` does.
    ///
    /// - Parameter decoder: a decoder holding `rowCount`, `columnCount`, `entries`.
    /// - Throws: `DecodingError` for missing or mistyped fields; the `MultilevelError`s of
    ///   ``init(rowCount:columnCount:entries:)``.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(rowCount: try container.decode(Int.self, forKey: .rowCount),
                      columnCount: try container.decode(Int.self, forKey: .columnCount),
                      entries: try container.decode([Double].self, forKey: .entries))
    }

    /// The `n × n` identity.
    ///
    /// - Parameter n: the size, `1 ≤ n` with `n² ≤ maximumEntryCount`.
    /// - Throws: `MultilevelError.shapeMismatch` for `n < 1`; `.sizeOverflow`, `.matrixTooLarge` for
    ///   too large an `n`.
    public static func identity(_ n: Int) throws -> TransferMatrix {
        try TransferMatrix(rowCount: n, columnCount: n, operation: "TransferMatrix.identity") { $0 == $1 ? 1 : 0 }
    }

    /// The entry `M_ij`.
    ///
    /// - Precondition: `0 ≤ row < rowCount` and `0 ≤ column < columnCount` (out of range traps with a
    ///   message naming the index and the shape, as an array subscript would).
    public subscript(row: Int, column: Int) -> Double {
        precondition((0..<rowCount).contains(row) && (0..<columnCount).contains(column),
                     "TransferMatrix: index [\(row), \(column)] outside the \(rowCount) × \(columnCount) matrix")
        return entries[row * columnCount + column]
    }

    /// The transpose `Mᵀ`.
    public var transposed: TransferMatrix {
        TransferMatrix(trustedRowCount: columnCount, columnCount: rowCount) { self[$1, $0] }
    }

    /// The matrix scaled by a real factor.
    public func scaled(by factor: Double) -> TransferMatrix {
        TransferMatrix(trustedRowCount: rowCount, columnCount: columnCount) { factor * self[$0, $1] }
    }

    /// The product `self · other` (apply `other` first).
    ///
    /// - Throws: `MultilevelError.shapeMismatch` when `columnCount != other.rowCount`; `.matrixTooLarge`
    ///   when the product would exceed ``maximumEntryCount``.
    public func multiplied(by other: TransferMatrix) throws -> TransferMatrix {
        guard columnCount == other.rowCount else {
            throw MultilevelError.shapeMismatch(operation: "TransferMatrix.multiplied",
                                                left: [rowCount, columnCount],
                                                right: [other.rowCount, other.columnCount])
        }
        return try TransferMatrix(rowCount: rowCount, columnCount: other.columnCount,
                                  operation: "TransferMatrix.multiplied") { i, j in
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
        // A validated matrix has columnCount ≥ 1, so the sequence is not empty here.
        guard let size = sequence.first?.count else {
            throw MultilevelError.sequenceLengthMismatch(operation: "TransferMatrix.apply",
                                                         expected: columnCount, got: 0)
        }
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
