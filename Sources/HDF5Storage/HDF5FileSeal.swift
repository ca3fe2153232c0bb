#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
internal import CZlib

/// A whole-file checksum ("seal") kept in the HDF5 user block, checked before libhdf5 sees the file.
///
/// Why: libhdf5 1.10.8 parses a file's metadata (superblock, object headers, heaps) before any
/// per-dataset checksum of ours can be read, and on corrupt metadata it can crash the process
/// (out-of-bounds reads in `H5HG_read`, a NULL dereference in `H5A__close`), hang or try to
/// allocate gigabytes. A file we wrote carries the length and the CRC-32 of all its HDF5 bytes;
/// ``HDF5File/open(at:mode:)`` verifies them first and refuses a damaged file with
/// ``HDF5Error/sealMismatch(file:field:expected:found:)`` without calling libhdf5.
///
/// Layout: a file created with ``HDF5File/create(at:userBlock:)`` and `.seal` starts with a
/// 512-byte user block (`H5Pset_userblock`; the HDF5 superblock follows at byte 512, where
/// h5py, h5dump and every HDF5 reader look for it). After the file is closed, ``seal(fileAt:)``
/// writes into bytes 0..<32 of the block (little-endian; the rest of the block stays zero):
/// ```
/// offset size  field
///  0      8    magic "MLRSEAL\n" (4D 4C 52 53 45 41 4C 0A)
///  8      4    seal format version, 1
/// 12      4    user block size, 512: the sealed bytes start there
/// 16      8    file length in bytes
/// 24      4    CRC-32 (zlib) of bytes [512, length)
/// 28      4    CRC-32 (zlib) of bytes [0, 28), the seal header itself
/// ```
/// In Python: `zlib.crc32(data[512:]) == struct.unpack_from("<I", data, 24)[0]`.
///
/// A file without the magic (written by h5py, by other tools, or by versions of this library
/// before the seal) is opened as before, unverified. A change made through HDF5 after the file
/// was written (h5py `"r+"`) leaves the seal stale, and the file is then refused as modified:
/// re-seal it with ``seal(fileAt:)`` if the change was deliberate. ``HDF5File/open(at:mode:)``
/// with `.readWrite` verifies a sealed file and then removes its seal (``unseal(fileAt:)``),
/// since its changes will not be covered.
///
/// Not covered: damage to the 8 magic bytes alone turns the check off (the HDF5 bytes are then
/// intact); a file replaced between the check and libhdf5's open.
public enum HDF5FileSeal {
    /// The user block size reserved for the seal, in bytes (HDF5: a power of two ≥ 512).
    public static let userBlockSize = 512
    /// The first 8 bytes of a sealed file: ASCII `MLRSEAL` and a line feed.
    public static let magic: [UInt8] = Array("MLRSEAL\n".utf8)
    /// The seal format version this library writes and reads.
    public static let version: UInt32 = 1
    /// The byte count of the seal header (magic through its own CRC).
    static let headerSize = 32
    /// HDF5's superblock signature, expected at byte ``userBlockSize`` of a sealable file.
    static let hdf5Signature: [UInt8] = [0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A]

    /// What ``check(fileAt:)`` found.
    public enum Status: Sendable, Hashable {
        /// The file carries a seal and its bytes match it.
        case verified
        /// The file carries no seal (no magic in its first 8 bytes): nothing was checked.
        case unsealed
    }

    /// The part of a seal that does not match the file (``HDF5Error/sealMismatch(file:field:expected:found:)``).
    public enum Field: String, Sendable, Hashable, CustomStringConvertible {
        /// The seal header's own CRC-32 (bytes 0..<28): the seal itself is damaged.
        case header
        /// The seal format version (a newer library wrote the file, or the header is damaged).
        case version
        /// The user block size recorded in the seal.
        case userBlockSize
        /// The file's byte length (truncated or extended).
        case length
        /// The CRC-32 of the bytes after the user block (changed bytes).
        case crc32

        /// What the field is, for messages.
        public var description: String {
            switch self {
            case .header: return "the CRC-32 of its seal header"
            case .version: return "its seal format version"
            case .userBlockSize: return "its user block size"
            case .length: return "its byte length"
            case .crc32: return "the CRC-32 of its bytes after the user block"
            }
        }
    }

    /// Verifies the seal of the file at `path`, if it has one, reading it with plain POSIX I/O
    /// (no libhdf5 call).
    ///
    /// Cost: one sequential read of the whole file and zlib's CRC-32 over it (measured on a level
    /// archive: see `paper/results/trust.md`).
    ///
    /// - Parameter path: the file.
    /// - Returns: `.verified`, or `.unsealed` when the file has no seal — also when it cannot be
    ///   opened or is shorter than 8 bytes (libhdf5 then reports that as before).
    /// - Throws: ``HDF5Error/sealMismatch(file:field:expected:found:)`` naming the first field
    ///   that differs (header, version, user block size, length, CRC-32, in this order);
    ///   ``HDF5Error/ioFailed(file:function:errno:message:)`` naming `read` or `fstat` when a
    ///   sealed file cannot be read to its end.
    public static func check(fileAt path: String) throws -> Status {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return .unsealed }
        defer { _ = close(descriptor) }
        var header = [UInt8](repeating: 0, count: headerSize)
        let headerCount = try readFully(descriptor, into: &header, at: 0, path: path)
        guard headerCount >= magic.count, Array(header[0..<magic.count]) == magic else { return .unsealed }
        guard headerCount == headerSize else {
            throw HDF5Error.sealMismatch(file: path, field: .length, expected: UInt64(headerSize),
                                         found: UInt64(headerCount))
        }
        let storedHeaderCRC = UInt64(load(UInt32.self, from: header, at: 28))
        let headerCRC = UInt64(crc32(header[0..<28], initial: 0))
        guard storedHeaderCRC == headerCRC else {
            throw HDF5Error.sealMismatch(file: path, field: .header, expected: storedHeaderCRC, found: headerCRC)
        }
        let storedVersion = load(UInt32.self, from: header, at: 8)
        guard storedVersion == version else {
            throw HDF5Error.sealMismatch(file: path, field: .version, expected: UInt64(version),
                                         found: UInt64(storedVersion))
        }
        let storedBlock = load(UInt32.self, from: header, at: 12)
        guard storedBlock == UInt32(userBlockSize) else {
            throw HDF5Error.sealMismatch(file: path, field: .userBlockSize, expected: UInt64(userBlockSize),
                                         found: UInt64(storedBlock))
        }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw ioError("fstat", path) }
        let storedLength = load(UInt64.self, from: header, at: 16)
        let length = UInt64(status.st_size)
        guard storedLength == length else {
            throw HDF5Error.sealMismatch(file: path, field: .length, expected: storedLength, found: length)
        }
        let storedCRC = UInt64(load(UInt32.self, from: header, at: 24))
        let computed = UInt64(try crc32(of: descriptor, from: userBlockSize, to: Int(length), path: path))
        guard storedCRC == computed else {
            throw HDF5Error.sealMismatch(file: path, field: .crc32, expected: storedCRC, found: computed)
        }
        return .verified
    }

    /// Seals the complete, closed HDF5 file at `path`: writes the header described on
    /// ``HDF5FileSeal`` into its user block (replacing any previous seal). Does not `fsync`.
    ///
    /// - Parameter path: a file created with a user block of ``userBlockSize`` bytes
    ///   (``HDF5File/create(at:userBlock:)`` with `.seal`; h5py: `userblock_size=512`) and closed.
    /// - Throws: ``HDF5Error/notSealable(file:reason:)`` when the HDF5 superblock is not at byte
    ///   512 (no user block: sealing would overwrite HDF5's own bytes);
    ///   ``HDF5Error/ioFailed(file:function:errno:message:)`` naming `open`, `read`, `fstat` or `write`.
    public static func seal(fileAt path: String) throws {
        let descriptor = open(path, O_RDWR | O_CLOEXEC)
        guard descriptor >= 0 else { throw ioError("open", path) }
        defer { _ = close(descriptor) }
        var signature = [UInt8](repeating: 0, count: hdf5Signature.count)
        let count = try readFully(descriptor, into: &signature, at: userBlockSize, path: path)
        guard count == signature.count, signature == hdf5Signature else {
            throw HDF5Error.notSealable(
                file: path, reason: "no HDF5 superblock at byte \(userBlockSize) (the file has no "
                    + "\(userBlockSize)-byte user block to hold the seal)")
        }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw ioError("fstat", path) }
        let length = Int(status.st_size)
        let crc = try crc32(of: descriptor, from: userBlockSize, to: length, path: path)
        var header = magic
        append(version, to: &header)
        append(UInt32(userBlockSize), to: &header)
        append(UInt64(length), to: &header)
        append(crc, to: &header)
        append(crc32(header[0..<28], initial: 0), to: &header)
        try writeFully(descriptor, header, at: 0, path: path)
    }

    /// Removes the seal of the file at `path` (zeroes its header; the HDF5 bytes are untouched), so
    /// that it opens unverified. Does nothing to a file without a seal.
    ///
    /// - Throws: ``HDF5Error/ioFailed(file:function:errno:message:)`` naming `open`, `read` or `write`.
    public static func unseal(fileAt path: String) throws {
        let descriptor = open(path, O_RDWR | O_CLOEXEC)
        guard descriptor >= 0 else { throw ioError("open", path) }
        defer { _ = close(descriptor) }
        var head = [UInt8](repeating: 0, count: magic.count)
        guard try readFully(descriptor, into: &head, at: 0, path: path) == magic.count, head == magic else { return }
        try writeFully(descriptor, [UInt8](repeating: 0, count: headerSize), at: 0, path: path)
    }

    // MARK: - POSIX helpers

    /// `pread` until `buffer` is full or the file ends; returns the byte count read.
    private static func readFully(_ descriptor: Int32, into buffer: inout [UInt8], at offset: Int,
                                  path: String) throws -> Int {
        var total = 0
        while total < buffer.count {
            let count = buffer.withUnsafeMutableBytes { bytes in
                pread(descriptor, bytes.baseAddress! + total, bytes.count - total, off_t(offset + total))
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw ioError("read", path)
            }
            if count == 0 { break }
            total += count
        }
        return total
    }

    /// `pwrite` of all of `bytes` at `offset`.
    private static func writeFully(_ descriptor: Int32, _ bytes: [UInt8], at offset: Int, path: String) throws {
        var total = 0
        while total < bytes.count {
            let count = bytes.withUnsafeBytes { raw in
                pwrite(descriptor, raw.baseAddress! + total, raw.count - total, off_t(offset + total))
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw ioError("write", path)
            }
            total += count
        }
    }

    /// zlib's CRC-32 of bytes [start, end) of the file, read in 1 MiB chunks.
    private static func crc32(of descriptor: Int32, from start: Int, to end: Int, path: String) throws -> UInt32 {
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var crc: UInt32 = 0
        var offset = start
        while offset < end {
            let wanted = min(chunk.count, end - offset)
            if wanted < chunk.count { chunk = [UInt8](repeating: 0, count: wanted) }
            let count = try readFully(descriptor, into: &chunk, at: offset, path: path)
            guard count == wanted else {  // the file shrank while being read
                throw HDF5Error.sealMismatch(file: path, field: .length, expected: UInt64(end),
                                             found: UInt64(offset + count))
            }
            crc = crc32(chunk[0..<count], initial: crc)
            offset += count
        }
        return crc
    }

    /// zlib's CRC-32 of `bytes`, continuing from `initial`.
    private static func crc32(_ bytes: ArraySlice<UInt8>, initial: UInt32) -> UInt32 {
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress, !buffer.isEmpty else { return initial }
            return UInt32(truncatingIfNeeded: CZlib.crc32(UInt(initial), base, UInt32(buffer.count)))
        }
    }

    private static func load<T: FixedWidthInteger>(_: T.Type, from bytes: [UInt8], at offset: Int) -> T {
        var value: T = 0
        for index in 0..<MemoryLayout<T>.size {
            value |= T(bytes[offset + index]) << (8 * index)
        }
        return value
    }

    private static func append<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        for index in 0..<MemoryLayout<T>.size {
            bytes.append(UInt8(truncatingIfNeeded: value >> (8 * index)))
        }
    }

    private static func ioError(_ function: String, _ path: String) -> HDF5Error {
        let code = errno
        return .ioFailed(file: path, function: function, errno: code, message: String(cString: strerror(code)))
    }
}
