internal import CHDF5

/// The attributes of one group, dataset or the file root: small named values stored in the
/// object's header.
///
/// ```swift
/// try group.attributes.set(.double(0.125), for: "h")
/// let h = try group.attributes.double("h")
/// ```
///
/// Reference: `H5Aexists`, `H5Acreate2`, `H5Adelete`, `H5Aopen`, `H5Aread`, `H5Awrite`,
/// `H5Aget_name_by_idx`, `H5Oget_info2` (HDF5 1.10).
public final class HDF5Attributes: @unchecked Sendable {
    let owner: HDF5ObjectHandle
    var location: HDF5Location { owner.location }

    init(owner: HDF5ObjectHandle) {
        self.owner = owner
    }

    /// Sets attribute `name`, replacing any attribute of that name (whatever its type).
    ///
    /// - Parameters:
    ///   - value: the value (see ``HDF5AttributeValue`` for the stored types).
    ///   - name: the attribute name.
    /// - Throws: ``HDF5Error/readOnlyFile(file:object:)``; ``HDF5Error/fileClosed(file:object:)``;
    ///   ``HDF5Error/callFailed(function:status:file:object:message:)`` naming the failing
    ///   `H5A*`/`H5S*`/`H5T*` call.
    public func set(_ value: HDF5AttributeValue, for name: String) throws {
        try HDF5Library.withLock {
            try owner.file.ensureWritable(location.object)
            let exists = H5Aexists(owner.id, name)
            try location.check(exists, "H5Aexists")
            if exists > 0 { try location.check(H5Adelete(owner.id, name), "H5Adelete") }
            switch value {
            case let .int64(x):
                try writeNumeric([x], shape: [], fileType: mlr_H5T_STD_I64LE(), name)
            case let .double(x):
                try writeNumeric([x], shape: [], fileType: mlr_H5T_IEEE_F64LE(), name)
            case let .int64Array(xs):
                try writeNumeric(xs, shape: [xs.count], fileType: mlr_H5T_STD_I64LE(), name)
            case let .doubleArray(xs):
                try writeNumeric(xs, shape: [xs.count], fileType: mlr_H5T_IEEE_F64LE(), name)
            case let .string(s):
                try writeStrings([s], shape: [], name)
            case let .stringArray(strings):
                try writeStrings(strings, shape: [strings.count], name)
            }
        }
    }

    /// Reads attribute `name`.
    ///
    /// - Parameter name: the attribute name.
    /// - Returns: its value (integers as `int64`, floats as `double`, see ``HDF5AttributeValue``).
    /// - Throws: ``HDF5Error/missingAttribute(file:object:name:)``;
    ///   ``HDF5Error/wrongAttributeType(file:object:name:expected:found:)`` when the stored type is
    ///   neither numeric nor string (e.g. an h5py `bool`, stored as an enum);
    ///   ``HDF5Error/fileClosed(file:object:)``;
    ///   ``HDF5Error/callFailed(function:status:file:object:message:)`` naming `H5Aread` etc.
    public func value(_ name: String) throws -> HDF5AttributeValue {
        try HDF5Library.withLock {
            try owner.file.ensureOpen(location.object)
            let exists = H5Aexists(owner.id, name)
            try location.check(exists, "H5Aexists")
            guard exists > 0 else {
                throw HDF5Error.missingAttribute(file: location.file, object: location.object, name: name)
            }
            let attribute = try location.checkID(H5Aopen(owner.id, name, mlr_H5P_DEFAULT()), "H5Aopen")
            defer { _ = H5Aclose(attribute) }
            return try readValue(attribute, name)
        }
    }

    /// Whether attribute `name` exists.
    ///
    /// - Parameter name: the attribute name.
    /// - Returns: `true` when present.
    /// - Throws: ``HDF5Error/fileClosed(file:object:)``;
    ///   ``HDF5Error/callFailed(function:status:file:object:message:)`` naming `H5Aexists`.
    public func contains(_ name: String) throws -> Bool {
        try HDF5Library.withLock {
            try owner.file.ensureOpen(location.object)
            let exists = H5Aexists(owner.id, name)
            try location.check(exists, "H5Aexists")
            return exists > 0
        }
    }

    /// The names of all attributes.
    ///
    /// Order: bytewise (UTF-8) ascending.
    /// - Returns: the names.
    /// - Throws: ``HDF5Error/fileClosed(file:object:)``;
    ///   ``HDF5Error/callFailed(function:status:file:object:message:)`` naming `H5Oget_info2` or
    ///   `H5Aget_name_by_idx`.
    public func names() throws -> [String] {
        try HDF5Library.withLock {
            try owner.file.ensureOpen(location.object)
            var info = H5O_info_t()
            try location.check(H5Oget_info2(owner.id, &info, UInt32(H5O_INFO_NUM_ATTRS)), "H5Oget_info2")
            var names: [String] = []
            for index in 0..<info.num_attrs {
                let length = H5Aget_name_by_idx(owner.id, ".", mlr_H5_INDEX_NAME(), mlr_H5_ITER_INC(),
                                                index, nil, 0, mlr_H5P_DEFAULT())
                try location.check(length, "H5Aget_name_by_idx")
                var buffer = [CChar](repeating: 0, count: Int(length) + 1)
                try location.check(
                    H5Aget_name_by_idx(owner.id, ".", mlr_H5_INDEX_NAME(), mlr_H5_ITER_INC(), index,
                                       &buffer, buffer.count, mlr_H5P_DEFAULT()),
                    "H5Aget_name_by_idx")
                names.append(String(decoding: buffer.prefix(Int(length)).map { UInt8(bitPattern: $0) },
                                    as: UTF8.self))
            }
            return names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        }
    }

    // MARK: Typed getters.

    /// Reads a floating-point scalar attribute.
    /// - Parameter name: the attribute name.
    /// - Returns: the value.
    /// - Throws: ``HDF5Error/wrongAttributeType(file:object:name:expected:found:)`` when it is not a
    ///   float scalar (integers are not converted); the errors of ``value(_:)``.
    public func double(_ name: String) throws -> Double {
        if case let .double(x) = try value(name) { return x }
        throw try mismatch(name, expected: "double")
    }

    /// Reads an integer scalar attribute.
    /// - Parameter name: the attribute name.
    /// - Returns: the value.
    /// - Throws: ``HDF5Error/wrongAttributeType(file:object:name:expected:found:)`` when it is not an
    ///   integer scalar; the errors of ``value(_:)``.
    public func int64(_ name: String) throws -> Int64 {
        if case let .int64(x) = try value(name) { return x }
        throw try mismatch(name, expected: "int64")
    }

    /// Reads a string attribute.
    /// - Parameter name: the attribute name.
    /// - Returns: the string.
    /// - Throws: ``HDF5Error/wrongAttributeType(file:object:name:expected:found:)`` when it is not a
    ///   scalar string; the errors of ``value(_:)``.
    public func string(_ name: String) throws -> String {
        if case let .string(x) = try value(name) { return x }
        throw try mismatch(name, expected: "string")
    }

    /// Reads a floating-point array attribute.
    /// - Parameter name: the attribute name.
    /// - Returns: the values.
    /// - Throws: ``HDF5Error/wrongAttributeType(file:object:name:expected:found:)`` when it is not a
    ///   float array; the errors of ``value(_:)``.
    public func doubleArray(_ name: String) throws -> [Double] {
        if case let .doubleArray(x) = try value(name) { return x }
        throw try mismatch(name, expected: "double array")
    }

    /// Reads an integer array attribute.
    /// - Parameter name: the attribute name.
    /// - Returns: the values.
    /// - Throws: ``HDF5Error/wrongAttributeType(file:object:name:expected:found:)`` when it is not an
    ///   integer array; the errors of ``value(_:)``.
    public func int64Array(_ name: String) throws -> [Int64] {
        if case let .int64Array(x) = try value(name) { return x }
        throw try mismatch(name, expected: "int64 array")
    }

    /// Reads a string array attribute.
    /// - Parameter name: the attribute name.
    /// - Returns: the strings.
    /// - Throws: ``HDF5Error/wrongAttributeType(file:object:name:expected:found:)`` when it is not a
    ///   string array; the errors of ``value(_:)``.
    public func stringArray(_ name: String) throws -> [String] {
        if case let .stringArray(x) = try value(name) { return x }
        throw try mismatch(name, expected: "string array")
    }

    private func mismatch(_ name: String, expected: String) throws -> HDF5Error {
        .wrongAttributeType(file: location.file, object: location.object, name: name,
                            expected: expected, found: try value(name).kindName)
    }
}
