internal import CHDF5
internal import CZlib

extension HDF5Dataset {
    /// The CRC-32 of the dataset's stored bytes, as zlib's `crc32` computes it (the checksum of
    /// Python's `zlib.crc32(dataset[()].tobytes())` for the little-endian files this module writes).
    ///
    /// The values are read in the file's own element type (no conversion), row-major, so the checksum
    /// covers exactly the bytes on disk whatever their type; an empty or NULL dataset has CRC 0.
    ///
    /// - Returns: the CRC-32 (zlib's polynomial, initial value 0).
    /// - Throws: ``HDF5Error/wrongElementType(file:object:expected:found:)`` for a string or other
    ///   variable-length or compound element type (only integers and floats are checksummed);
    ///   ``HDF5Error/fileClosed(file:object:)``; ``HDF5Error/datasetTooLarge(file:object:shape:byteCount:limit:)``;
    ///   ``HDF5Error/callFailed(function:status:file:object:message:)`` naming `H5Dget_type` or `H5Dread`
    ///   (e.g. a truncated file).
    ///
    /// Reference: `H5Dread` with the dataset's `H5Dget_type`; zlib 1.2 `crc32`.
    public func crc32() throws -> UInt32 {
        try HDF5Library.withLock {
            let location = handle.location
            try handle.file.ensureOpen(path)
            switch info.elementType {
            case .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64, .float16, .float32, .float64:
                break
            case .string, .other:
                throw HDF5Error.wrongElementType(file: location.file, object: path, expected: .float32,
                                                 found: info.elementType)
            }
            if info.isNull { return 0 }
            let type = try location.checkID(H5Dget_type(handle.id), "H5Dget_type")
            defer { _ = H5Tclose(type) }
            let elementSize = UInt64(H5Tget_size(type))
            let extents = info.shape.map { UInt64($0) }
            guard let byteCount = HDF5Dataspace.byteCount(extents: extents, elementSize: elementSize),
                  byteCount <= HDF5Dataset.memoryLimit, let count = Int(exactly: byteCount) else {
                throw HDF5Error.datasetTooLarge(
                    file: location.file, object: path, shape: extents,
                    byteCount: HDF5Dataspace.byteCount(extents: extents, elementSize: elementSize),
                    limit: HDF5Dataset.memoryLimit)
            }
            guard count > 0 else { return 0 }
            var status: herr_t = 0
            let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
                status = H5Dread(handle.id, type, mlr_H5S_ALL(), mlr_H5S_ALL(), mlr_H5P_DEFAULT(), buffer.baseAddress)
                initialized = count
            }
            try location.check(status, "H5Dread")
            return HDF5Checksum.crc32(bytes)
        }
    }
}

/// zlib's CRC-32, for checksums of stored data and of metadata streams built from them.
public enum HDF5Checksum {
    /// The CRC-32 of `bytes`, continuing from `initial` (0 for a fresh checksum), as zlib's `crc32`.
    ///
    /// - Parameters:
    ///   - bytes: the data.
    ///   - initial: a previous result to extend (`crc32(a + b) == crc32(b, initial: crc32(a))`).
    /// - Returns: the CRC-32.
    ///
    /// Reference: zlib 1.2 `crc32` (processed in chunks of at most `UInt32.max` bytes).
    public static func crc32(_ bytes: [UInt8], initial: UInt32 = 0) -> UInt32 {
        bytes.withUnsafeBufferPointer { buffer in
            var crc = UInt(initial)
            var offset = 0
            while offset < buffer.count {
                let length = min(buffer.count - offset, Int(UInt32.max))
                crc = CZlib.crc32(crc, buffer.baseAddress! + offset, UInt32(length))
                offset += length
            }
            return UInt32(truncatingIfNeeded: crc)
        }
    }
}
