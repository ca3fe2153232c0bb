/// An n-dimensional array as stored in a dataset: flat values in row-major (C) order and a shape.
///
/// Shape: `shape[0]` is the slowest-varying axis; `shape == []` is a scalar holding one value.
/// Order: row-major, as NumPy/h5py store it: element `[i, j, k]` of shape `[A, B, C]` is
/// `values[(i * B + j) * C + k]`.
/// Invariants: `values.count == shape.reduce(1, *)`, every extent `≥ 0`.
public struct HDF5Array<Element: HDF5Scalar>: Equatable, Sendable {
    /// The extents, slowest axis first.
    public let shape: [Int]
    /// The values in row-major order.
    public let values: [Element]

    /// Wraps values and a shape after checking that they agree.
    ///
    /// - Parameters:
    ///   - values: `∏ shape` values in row-major order.
    ///   - shape: the extents (empty for a scalar).
    /// - Throws: ``HDF5Error/shapeMismatch(file:object:shape:valueCount:)`` (with empty file and
    ///   object) when an extent is negative or the counts differ.
    public init(values: [Element], shape: [Int]) throws {
        guard HDF5Array.elementCount(of: shape) == values.count else {
            throw HDF5Error.shapeMismatch(file: "", object: "", shape: shape, valueCount: values.count)
        }
        self.values = values
        self.shape = shape
    }

    /// Internal initializer for arrays whose counts were already checked.
    init(checkedValues values: [Element], shape: [Int]) {
        self.values = values
        self.shape = shape
    }

    /// The rank (number of axes); 0 for a scalar.
    public var rank: Int { shape.count }

    /// `∏ shape`, or `nil` if an extent is negative or the product overflows `Int`.
    static func elementCount(of shape: [Int]) -> Int? {
        var count = 1
        for extent in shape {
            guard extent >= 0 else { return nil }
            let (product, overflow) = count.multipliedReportingOverflow(by: extent)
            guard !overflow else { return nil }
            count = product
        }
        return count
    }
}

/// What a dataset holds, read from its metadata without reading its values.
public struct HDF5DatasetInfo: Equatable, Sendable {
    /// The extents, slowest axis first (`[]` for a scalar dataset).
    public let shape: [Int]
    /// The stored element type.
    public let elementType: HDF5ElementType

    /// Describes a dataset.
    /// - Parameters:
    ///   - shape: the extents.
    ///   - elementType: the stored element type.
    public init(shape: [Int], elementType: HDF5ElementType) {
        self.shape = shape
        self.elementType = elementType
    }

    /// `∏ shape`.
    public var elementCount: Int { shape.reduce(1, *) }
}
