/// A Swift numeric type that maps one-to-one onto an HDF5 native element type.
///
/// `Float` ↔ `float32` (`H5T_NATIVE_FLOAT`), `Double` ↔ `float64` (`H5T_NATIVE_DOUBLE`),
/// `Int32` ↔ `int32`, `Int64` ↔ `int64`, `UInt8` ↔ `uint8`. Datasets are written with the native
/// type (little-endian on this platform) and read back only as the same element type.
///
/// Invariants: only the five conformances of this module are supported; a conformance elsewhere
/// must name one of those five element types and have the same memory layout.
public protocol HDF5Scalar: BitwiseCopyable, Equatable, Sendable {
    /// The stored element type this Swift type reads and writes.
    static var hdf5ElementType: HDF5ElementType { get }
}

extension Float: HDF5Scalar {
    /// `float32`.
    public static var hdf5ElementType: HDF5ElementType { .float32 }
}

extension Double: HDF5Scalar {
    /// `float64`.
    public static var hdf5ElementType: HDF5ElementType { .float64 }
}

extension Int32: HDF5Scalar {
    /// `int32`.
    public static var hdf5ElementType: HDF5ElementType { .int32 }
}

extension Int64: HDF5Scalar {
    /// `int64`.
    public static var hdf5ElementType: HDF5ElementType { .int64 }
}

extension UInt8: HDF5Scalar {
    /// `uint8`.
    public static var hdf5ElementType: HDF5ElementType { .uint8 }
}
