internal import CHDF5

/// The element type of a stored dataset or attribute, named as NumPy names dtypes.
///
/// Classification is by HDF5 type class, size and sign; byte order is ignored (HDF5 converts it on
/// read). Only `float32`, `float64`, `int32`, `int64` and `uint8` can be read into Swift arrays
/// (see ``HDF5Scalar``); the other cases exist so that ``HDF5DatasetInfo`` can describe any file.
public enum HDF5ElementType: Hashable, Sendable, CustomStringConvertible {
    /// Signed integers of 8, 16, 32 and 64 bits.
    case int8, int16, int32, int64
    /// Unsigned integers of 8, 16, 32 and 64 bits.
    case uint8, uint16, uint32, uint64
    /// IEEE floating point of 16, 32 and 64 bits.
    case float16, float32, float64
    /// A fixed- or variable-length string.
    case string
    /// Any other HDF5 type (compound, enum, array, …), described by its class.
    case other(String)

    /// The NumPy-style name (`float32`, `int64`, `string`, …).
    public var description: String {
        switch self {
        case .int8: return "int8"
        case .int16: return "int16"
        case .int32: return "int32"
        case .int64: return "int64"
        case .uint8: return "uint8"
        case .uint16: return "uint16"
        case .uint32: return "uint32"
        case .uint64: return "uint64"
        case .float16: return "float16"
        case .float32: return "float32"
        case .float64: return "float64"
        case .string: return "string"
        case let .other(name): return name
        }
    }

    /// The HDF5 native memory type of the five readable element types, `nil` otherwise.
    var nativeTypeID: hid_t? {
        switch self {
        case .float32: return mlr_H5T_NATIVE_FLOAT()
        case .float64: return mlr_H5T_NATIVE_DOUBLE()
        case .int32: return mlr_H5T_NATIVE_INT32()
        case .int64: return mlr_H5T_NATIVE_INT64()
        case .uint8: return mlr_H5T_NATIVE_UINT8()
        default: return nil
        }
    }

    /// Classifies an open HDF5 datatype (must be called under the library lock).
    init(typeID: hid_t) {
        let size = H5Tget_size(typeID)
        let typeClass = H5Tget_class(typeID)
        if typeClass == H5T_INTEGER {
            let signed = H5Tget_sign(typeID) != H5T_SGN_NONE
            switch (size, signed) {
            case (1, true): self = .int8
            case (2, true): self = .int16
            case (4, true): self = .int32
            case (8, true): self = .int64
            case (1, false): self = .uint8
            case (2, false): self = .uint16
            case (4, false): self = .uint32
            case (8, false): self = .uint64
            default: self = .other("\(signed ? "int" : "uint")\(size * 8)")
            }
        } else if typeClass == H5T_FLOAT {
            switch size {
            case 2: self = .float16
            case 4: self = .float32
            case 8: self = .float64
            default: self = .other("float\(size * 8)")
            }
        } else if typeClass == H5T_STRING {
            self = .string
        } else if typeClass == H5T_COMPOUND {
            self = .other("compound")
        } else if typeClass == H5T_ENUM {
            self = .other("enum")
        } else if typeClass == H5T_ARRAY {
            self = .other("array")
        } else if typeClass == H5T_VLEN {
            self = .other("vlen")
        } else if typeClass == H5T_OPAQUE {
            self = .other("opaque")
        } else if typeClass == H5T_BITFIELD {
            self = .other("bitfield")
        } else if typeClass == H5T_REFERENCE {
            self = .other("reference")
        } else {
            self = .other("unknown")
        }
    }
}
