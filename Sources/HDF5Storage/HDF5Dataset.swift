internal import CHDF5
import Foundation

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
        self.info = try HDF5Dataset.readInfo(handle.id, handle.location)
        self.handle = handle
        self.path = handle.location.object
        self.attributes = HDF5Attributes(owner: handle)
    }

    /// Reads shape, element type and dataspace class (call under the lock).
    ///
    /// - Throws: ``HDF5Error/datasetTooLarge(file:object:shape:byteCount:limit:)`` when an extent
    ///   exceeds `Int.max`; ``HDF5Error/callFailed(function:status:file:object:message:)``.
    private static func readInfo(_ id: hid_t, _ location: HDF5Location) throws -> HDF5DatasetInfo {
        let type = try location.checkID(H5Dget_type(id), "H5Dget_type")
        defer { _ = H5Tclose(type) }
        let space = try location.checkID(H5Dget_space(id), "H5Dget_space")
        defer { _ = H5Sclose(space) }
        let extents = try HDF5Dataspace.extents(of: space, location)
        // An extent beyond Int.max cannot be described by `shape`, let alone read.
        guard let shape = HDF5Dataspace.shape(fromExtents: extents) else {
            throw HDF5Error.datasetTooLarge(
                file: location.file, object: location.object, shape: extents,
                byteCount: HDF5Dataspace.byteCount(extents: extents, elementSize: UInt64(H5Tget_size(type))),
                limit: memoryLimit)
        }
        return HDF5DatasetInfo(shape: shape, elementType: HDF5ElementType(typeID: type),
                               isNull: H5Sget_simple_extent_type(space) == H5S_NULL)
    }

    /// The most bytes a read may allocate: the machine's physical memory.
    static var memoryLimit: UInt64 { ProcessInfo.processInfo.physicalMemory }

    /// Reads all values.
    ///
    /// - Parameters:
    ///   - type: the Swift element type; must match the stored type exactly (no conversion).
    ///   - expectedShape: when given, the stored shape must equal it.
    /// - Returns: the values in row-major order with the stored shape.
    /// - Throws: ``HDF5Error/wrongElementType(file:object:expected:found:)`` naming both types;
    ///   ``HDF5Error/wrongShape(file:object:expected:found:)``; ``HDF5Error/fileClosed(file:object:)``;
    ///   ``HDF5Error/nullDataspace(file:object:)`` for a NULL dataspace (`h5py.Empty`);
    ///   ``HDF5Error/datasetTooLarge(file:object:shape:byteCount:limit:)``, before allocating, when
    ///   `∏ shape · MemoryLayout<T>.stride` overflows or exceeds the physical memory (e.g. a chunked,
    ///   never-written dataset of shape `[2⁴⁰]` in a 13 KB file);
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
            guard !info.isNull else { throw HDF5Error.nullDataspace(file: location.file, object: path) }
            let extents = info.shape.map { UInt64($0) }
            let byteCount = HDF5Dataspace.byteCount(extents: extents, elementSize: UInt64(MemoryLayout<T>.stride))
            guard let byteCount, byteCount <= HDF5Dataset.memoryLimit,
                  let count = HDF5Array<T>.elementCount(of: info.shape) else {
                throw HDF5Error.datasetTooLarge(file: location.file, object: path, shape: extents,
                                                byteCount: byteCount, limit: HDF5Dataset.memoryLimit)
            }
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
    /// The extents of a dataspace as HDF5 stores them: `[]` for scalar (and null) spaces.
    static func extents(of space: hid_t, _ location: HDF5Location) throws -> [UInt64] {
        let spaceClass = H5Sget_simple_extent_type(space)
        if spaceClass == H5S_SCALAR || spaceClass == H5S_NULL { return [] }
        let rank = H5Sget_simple_extent_ndims(space)
        try location.check(rank, "H5Sget_simple_extent_ndims")
        var dims = [hsize_t](repeating: 0, count: Int(rank))
        try location.check(H5Sget_simple_extent_dims(space, &dims, nil), "H5Sget_simple_extent_dims")
        return dims.map { UInt64($0) }
    }

    /// The extents as `Int`s, or `nil` when one exceeds `Int.max`.
    static func shape(fromExtents extents: [UInt64]) -> [Int]? {
        var shape = [Int]()
        for extent in extents {
            guard let value = Int(exactly: extent) else { return nil }
            shape.append(value)
        }
        return shape
    }

    /// The extents of a dataspace: `[]` for scalar (and null) spaces.
    ///
    /// - Throws: ``HDF5Error/shapeMismatch(file:object:shape:valueCount:)`` when an extent exceeds
    ///   `Int.max`, besides the failures of the `H5S*` calls.
    static func shape(of space: hid_t, _ location: HDF5Location) throws -> [Int] {
        let extents = try extents(of: space, location)
        guard let shape = shape(fromExtents: extents) else {
            throw HDF5Error.shapeMismatch(file: location.file, object: location.object,
                                          shape: extents.map { Int(clamping: $0) }, valueCount: 0)
        }
        return shape
    }

    /// `∏ extents · elementSize` in bytes, or `nil` when it overflows `UInt64` (the shared
    /// overflow-checked size of a read).
    static func byteCount(extents: [UInt64], elementSize: UInt64) -> UInt64? {
        var bytes = elementSize
        for extent in extents {
            let (product, overflow) = bytes.multipliedReportingOverflow(by: extent)
            guard !overflow else { return nil }
            bytes = product
        }
        return bytes
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
