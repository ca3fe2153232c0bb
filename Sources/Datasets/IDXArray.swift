/// The contents of one IDX file of unsigned bytes: its dimensions and its values.
///
/// Shape: `values` is `dimensions` row-major (last index fastest), `Π dimensions` bytes.
public struct IDXArray: Sendable, Equatable {
    /// The path the array was read from (with ` (decompressed)` for gzip files).
    public let path: String
    /// The dimension sizes from the header, e.g. `[count, height, width]` for images.
    public let dimensions: [Int]
    /// The data bytes, row-major.
    public let values: [UInt8]
    /// The byte offset of the first value in the (decompressed) file: `4 + 4 · dimensions.count`.
    public var dataOffset: Int { 4 + 4 * dimensions.count }
}
