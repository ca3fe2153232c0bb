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
///
/// Invariants: `shape == []` both for a scalar (one value) and for a NULL dataspace (no value,
/// h5py's `h5py.Empty`); ``isNull`` tells them apart.
public struct HDF5DatasetInfo: Equatable, Sendable {
    /// The extents, slowest axis first (`[]` for a scalar dataset or a NULL dataspace).
    public let shape: [Int]
    /// The stored element type.
    public let elementType: HDF5ElementType
    /// Whether the dataset has a NULL dataspace (h5py's `h5py.Empty(dtype)`): no values at all.
    /// Reading such a dataset throws ``HDF5Error/nullDataspace(file:object:)``.
    public let isNull: Bool

    /// Describes a dataset.
    /// - Parameters:
    ///   - shape: the extents.
    ///   - elementType: the stored element type.
    ///   - isNull: whether the dataspace is NULL (default `false`).
    public init(shape: [Int], elementType: HDF5ElementType, isNull: Bool = false) {
        self.shape = shape
        self.elementType = elementType
        self.isNull = isNull
    }

    /// `∏ shape` (0 for a NULL dataspace), saturating at `Int.max` when the product overflows
    /// `Int` (e.g. shape `[2³¹, 2³¹, 4]`); such a dataset cannot be read.
    public var elementCount: Int {
        if isNull { return 0 }
        return HDF5Array<UInt8>.elementCount(of: shape) ?? Int.max
    }
}
