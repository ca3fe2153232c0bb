internal import CHDF5
import Foundation

/// Reading and writing attribute payloads (all called under the HDF5 lock).
extension HDF5Attributes {
    /// Creates attribute `name` of `fileType` and writes numeric `values` (native memory type of `T`).
    func writeNumeric<T: HDF5Scalar>(_ values: [T], shape: [Int], fileType: hid_t, _ name: String) throws {
        guard let memoryType = T.hdf5ElementType.nativeTypeID else { return }
        let space = try HDF5Dataspace.create(shape: shape, location)
        defer { _ = H5Sclose(space) }
        let attribute = try location.checkID(
            H5Acreate2(owner.id, name, fileType, space, mlr_H5P_DEFAULT(), mlr_H5P_DEFAULT()), "H5Acreate2")
        defer { _ = H5Aclose(attribute) }
        guard !values.isEmpty else { return }
        let status = values.withUnsafeBufferPointer { H5Awrite(attribute, memoryType, $0.baseAddress) }
        try location.check(status, "H5Awrite")
    }

    /// Creates attribute `name` as variable-length UTF-8 strings and writes `strings`.
    func writeStrings(_ strings: [String], shape: [Int], _ name: String) throws {
        let type = try variableStringType(cset: H5T_CSET_UTF8)
        defer { _ = H5Tclose(type) }
        let space = try HDF5Dataspace.create(shape: shape, location)
        defer { _ = H5Sclose(space) }
        let attribute = try location.checkID(
            H5Acreate2(owner.id, name, type, space, mlr_H5P_DEFAULT(), mlr_H5P_DEFAULT()), "H5Acreate2")
        defer { _ = H5Aclose(attribute) }
        guard !strings.isEmpty else { return }
        let pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        defer { pointers.forEach { free($0) } }
        let status = pointers.withUnsafeBufferPointer { H5Awrite(attribute, type, $0.baseAddress) }
        try location.check(status, "H5Awrite")
    }

    /// A variable-length C string type with character set `cset` (caller closes it).
    private func variableStringType(cset: H5T_cset_t) throws -> hid_t {
        let type = try location.checkID(H5Tcopy(mlr_H5T_C_S1()), "H5Tcopy")
        do {
            try location.check(H5Tset_size(type, mlr_H5T_VARIABLE()), "H5Tset_size")
            try location.check(H5Tset_cset(type, cset), "H5Tset_cset")
        } catch {
            _ = H5Tclose(type)
            throw error
        }
        return type
    }

    /// Reads an open attribute into the matching ``HDF5AttributeValue`` case.
    func readValue(_ attribute: hid_t, _ name: String) throws -> HDF5AttributeValue {
        let fileType = try location.checkID(H5Aget_type(attribute), "H5Aget_type")
        defer { _ = H5Tclose(fileType) }
        let space = try location.checkID(H5Aget_space(attribute), "H5Aget_space")
        defer { _ = H5Sclose(space) }
        let isScalar = try HDF5Dataspace.shape(of: space, location).isEmpty
            && H5Sget_simple_extent_type(space) == H5S_SCALAR
        let count = try HDF5Dataspace.elementCount(of: space, location)
        let typeClass = H5Tget_class(fileType)
        if typeClass == H5T_INTEGER {
            let values: [Int64] = try readNumeric(attribute, count: count)
            return isScalar ? .int64(values[0]) : .int64Array(values)
        } else if typeClass == H5T_FLOAT {
            let values: [Double] = try readNumeric(attribute, count: count)
            return isScalar ? .double(values[0]) : .doubleArray(values)
        } else if typeClass == H5T_STRING {
            let values = try readStrings(attribute, fileType: fileType, space: space, count: count)
            return isScalar ? .string(values[0]) : .stringArray(values)
        }
        throw HDF5Error.wrongAttributeType(
            file: location.file, object: location.object, name: name,
            expected: "number, string, or 1-D array of them",
            found: HDF5ElementType(typeID: fileType).description)
    }

    /// Reads `count` values converted by HDF5 to the native type of `T`.
    private func readNumeric<T: HDF5Scalar>(_ attribute: hid_t, count: Int) throws -> [T] {
        guard count > 0, let memoryType = T.hdf5ElementType.nativeTypeID else { return [] }
        var status: herr_t = 0
        let values = [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            status = H5Aread(attribute, memoryType, buffer.baseAddress)
            initialized = count
        }
        try location.check(status, "H5Aread")
        return values
    }

    /// Reads `count` fixed- or variable-length strings.
    private func readStrings(_ attribute: hid_t, fileType: hid_t, space: hid_t, count: Int) throws -> [String] {
        guard count > 0 else { return [] }
        let isVariable = H5Tis_variable_str(fileType)
        try location.check(isVariable, "H5Tis_variable_str")
        if isVariable > 0 {
            let memoryType = try variableStringType(cset: H5Tget_cset(fileType))
            defer { _ = H5Tclose(memoryType) }
            var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: count)
            try location.check(H5Aread(attribute, memoryType, &pointers), "H5Aread")
            let strings = pointers.map { $0.map { String(cString: $0) } ?? "" }
            _ = H5Dvlen_reclaim(memoryType, space, mlr_H5P_DEFAULT(), &pointers)
            return strings
        }
        // Fixed length: read the stored bytes as they are, then cut each at its first NUL.
        let size = H5Tget_size(fileType)
        guard size > 0 else { return [String](repeating: "", count: count) }
        let memoryType = try location.checkID(H5Tcopy(fileType), "H5Tcopy")
        defer { _ = H5Tclose(memoryType) }
        var bytes = [UInt8](repeating: 0, count: count * size)
        try location.check(H5Aread(attribute, memoryType, &bytes), "H5Aread")
        let spacePadded = H5Tget_strpad(fileType) == H5T_STR_SPACEPAD
        return (0..<count).map { index in
            var element = bytes[(index * size)..<((index + 1) * size)]
            if let nul = element.firstIndex(of: 0) { element = element[..<nul] }
            if spacePadded {
                while element.last == UInt8(ascii: " ") { element = element.dropLast() }
            }
            return String(decoding: element, as: UTF8.self)
        }
    }
}
