/// The value of an attribute: a numeric scalar, a numeric 1-D array, a string or strings.
///
/// Written types: `int64` → HDF5 `H5T_STD_I64LE`, `double` → `H5T_IEEE_F64LE`, strings →
/// variable-length UTF-8 strings (h5py reads them as `str`). Scalars use a scalar dataspace,
/// arrays a rank-1 dataspace.
///
/// On read, every integer type (8–64 bit, signed or not) widens to `int64` (a `uint64` above
/// `Int64.max` is clamped by HDF5), every float type to `double`, fixed- and variable-length
/// strings to `string`; attributes of rank ≥ 2 are flattened in row-major order into the array
/// cases.
///
/// Attributes are for small metadata: HDF5 1.10 stores them in the object header, where one
/// attribute above 64 KiB makes `H5Acreate2` fail. Store large arrays as datasets.
public enum HDF5AttributeValue: Hashable, Sendable, CustomStringConvertible {
    /// An integer scalar.
    case int64(Int64)
    /// A floating-point scalar.
    case double(Double)
    /// A UTF-8 string.
    case string(String)
    /// A 1-D integer array.
    case int64Array([Int64])
    /// A 1-D floating-point array.
    case doubleArray([Double])
    /// A 1-D array of strings.
    case stringArray([String])

    /// The kind of value, used in ``HDF5Error/wrongAttributeType(file:object:name:expected:found:)``.
    public var kindName: String {
        switch self {
        case .int64: return "int64"
        case .double: return "double"
        case .string: return "string"
        case .int64Array: return "int64 array"
        case .doubleArray: return "double array"
        case .stringArray: return "string array"
        }
    }

    /// The value as text, e.g. `double(0.5)`.
    public var description: String {
        switch self {
        case let .int64(value): return "int64(\(value))"
        case let .double(value): return "double(\(value))"
        case let .string(value): return "string(\(value.debugDescription))"
        case let .int64Array(values): return "int64Array(\(values))"
        case let .doubleArray(values): return "doubleArray(\(values))"
        case let .stringArray(values): return "stringArray(\(values))"
        }
    }
}

extension HDF5AttributeValue: ExpressibleByStringLiteral, ExpressibleByFloatLiteral,
    ExpressibleByIntegerLiteral
{
    /// A `.string` attribute value from a literal.
    public init(stringLiteral value: String) { self = .string(value) }
    /// A `.double` attribute value from a literal.
    public init(floatLiteral value: Double) { self = .double(value) }
    /// An `.int64` attribute value from a literal.
    public init(integerLiteral value: Int64) { self = .int64(value) }
}
