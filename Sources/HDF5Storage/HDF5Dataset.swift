internal import CHDF5

/// An open dataset: an n-dimensional array of one element type, with attributes.
///
/// Shape and element type are read once when the dataset is opened (datasets of this module are
/// fixed-size). Open one with ``HDF5Group/openDataset(_:)`` or get it back from
/// ``HDF5Group/write(_:shape:to:)``.
///
/// Reference: `H5Dopen2`, `H5Dget_type`, `H5Dget_space`, `H5Dread` (HDF5 1.10).
public final class HDF5Dataset: @unchecked Sendable {
    /// The dataset's absolute path in the file.
    public let path: String
    /// Shape and element type.
    public let info: HDF5DatasetInfo
    /// The dataset's attributes.
    public let attributes: HDF5Attributes

    let handle: HDF5ObjectHandle

    /// Wraps an open dataset identifier and reads its metadata (call under the lock).
    init(handle: HDF5ObjectHandle) throws {
        self.handle = handle
        self.path = handle.location.object
        self.attributes = HDF5Attributes(owner: handle)
        let location = handle.location
        let type = try location.checkID(H5Dget_type(handle.id), "H5Dget_type")
        defer { _ = H5Tclose(type) }
        let space = try location.checkID(H5Dget_space(handle.id), "H5Dget_space")
        defer { _ = H5Sclose(space) }
        self.info = HDF5DatasetInfo(shape: try HDF5Dataspace.shape(of: space, location),
                                    elementType: HDF5ElementType(typeID: type))
    }

    /// Reads all values.
    ///
    /// - Parameters:
    ///   - type: the Swift element type; must match the stored type exactly (no conversion).
    ///   - expectedShape: when given, the stored shape must equal it.
    /// - Returns: the values in row-major order with the stored shape.
    /// - Throws: ``HDF5Error/wrongElementType(file:object:expected:found:)`` naming both types;
    ///   ``HDF5Error/wrongShape(file:object:expected:found:)``; ``HDF5Error/fileClosed(file:object:)``;
    ///   ``HDF5Error/callFailed(function:status:file:object:message:)`` naming `H5Dread`.
    public func read<T: HDF5Scalar>(as type: T.Type, expectedShape: [Int]? = nil) throws -> HDF5Array<T> {
        try HDF5Library.withLock {
            let location = handle.location
            try handle.file.ensureOpen(path)
            guard info.elementType == T.hdf5ElementType, let memoryType = T.hdf5ElementType.nativeTypeID else {
                throw HDF5Error.wrongElementType(file: location.file, object: path,
                                                 expected: T.hdf5ElementType, found: info.elementType)
            }
            if let expectedShape, expectedShape != info.shape {
                throw HDF5Error.wrongShape(file: location.file, object: path,
                                           expected: expectedShape, found: info.shape)
            }
            let count = info.elementCount
            guard count > 0 else { return HDF5Array(checkedValues: [], shape: info.shape) }
            var status: herr_t = 0
            let values = [T](unsafeUninitializedCapacity: count) { buffer, initialized in
                status = H5Dread(handle.id, memoryType, mlr_H5S_ALL(), mlr_H5S_ALL(), mlr_H5P_DEFAULT(),
                                 buffer.baseAddress)
                initialized = count
            }
            try location.check(status, "H5Dread")
            return HDF5Array(checkedValues: values, shape: info.shape)
        }
    }
}

/// Dataspace helpers (call under the lock).
enum HDF5Dataspace {
    /// The extents of a dataspace: `[]` for scalar (and null) spaces.
    static func shape(of space: hid_t, _ location: HDF5Location) throws -> [Int] {
        let spaceClass = H5Sget_simple_extent_type(space)
        if spaceClass == H5S_SCALAR || spaceClass == H5S_NULL { return [] }
        let rank = H5Sget_simple_extent_ndims(space)
        try location.check(rank, "H5Sget_simple_extent_ndims")
        var dims = [hsize_t](repeating: 0, count: Int(rank))
        try location.check(H5Sget_simple_extent_dims(space, &dims, nil), "H5Sget_simple_extent_dims")
        return dims.map { Int($0) }
    }

    /// The number of elements of a dataspace (0 for a null space).
    static func elementCount(of space: hid_t, _ location: HDF5Location) throws -> Int {
        let count = H5Sget_simple_extent_npoints(space)
        try location.check(count, "H5Sget_simple_extent_npoints")
        return Int(count)
    }

    /// Creates a scalar (`shape == []`) or simple dataspace (caller closes it).
    static func create(shape: [Int], _ location: HDF5Location) throws -> hid_t {
        if shape.isEmpty {
            return try location.checkID(H5Screate(H5S_SCALAR), "H5Screate")
        }
        let dims = shape.map { hsize_t($0) }
        return try location.checkID(H5Screate_simple(Int32(dims.count), dims, nil), "H5Screate_simple")
    }
}
