internal import CZlib

/// A zlib inflate stream set up for gzip (or zlib) input, freed with `inflateEnd` in `deinit`.
///
/// Reference: zlib 1.2 manual, `inflateInit2_` (windowBits 15 + 32: automatic gzip/zlib header
/// detection, 32 KiB window), `inflate`, `inflateReset`, `inflateEnd`.
final class GzipStream {
    /// The zlib stream state; zlib keeps pointers into it, so it lives on the heap.
    private let stream: UnsafeMutablePointer<z_stream>
    /// The path reported in errors.
    private let path: String

    /// Initializes zlib's inflate state.
    ///
    /// - Throws: ``DatasetError/corruptGzip(path:function:status:message:)`` naming `inflateInit2_`
    ///   when zlib cannot initialize (out of memory, version mismatch).
    init(path: String) throws {
        self.path = path
        stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let status = inflateInit2_(stream, 15 + 32, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            stream.deinitialize(count: 1)
            stream.deallocate()
            throw DatasetError.corruptGzip(path: path, function: "inflateInit2_", status: status,
                                           message: "cannot initialize zlib inflate")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// Decompresses a whole gzip file: every member of a multi-member file, in order; bytes after
    /// the last member that do not start a new member (e.g. zero padding) are ignored.
    ///
    /// When `payloadSize` is given it is asked, after each inflated chunk and until it answers,
    /// for the total size `S` the decompressed prefix announces (e.g. an IDX header's
    /// `4 + 4n + Π d_k`). Inflation then stops as soon as `S + 1` bytes exist and the output is cut
    /// to `S + 1` (one byte past the payload, so a caller can tell that trailing data follow):
    /// a gzip bomb with a small header is never inflated further than that, at most one chunk
    /// (256 KiB) past it. Data after that point, even corrupt, are not examined.
    ///
    /// - Parameters:
    ///   - compressed: the file's bytes, starting with the gzip magic `1F 8B`.
    ///   - payloadSize: the announced total size, from the decompressed prefix; `nil` (or a
    ///     closure answering `nil` until the end) inflates everything.
    /// - Returns: the decompressed bytes (at most `S + 1` of them once `S` is known).
    /// - Throws: ``DatasetError/corruptGzip(path:function:status:message:)`` with zlib's status
    ///   and message for a bad header, bad deflate data or a CRC/length mismatch;
    ///   ``DatasetError/truncatedGzip(path:compressedBytes:decompressedBytes:)`` when the input
    ///   ends inside a member.
    func inflateAll(_ compressed: [UInt8], payloadSize: (([UInt8]) -> Int?)? = nil) throws -> [UInt8] {
        var output = [UInt8]()
        // ISIZE, the last 4 bytes (little-endian), is the size mod 2³²: a capacity hint only
        // (capped: a hostile file chooses it).
        if compressed.count >= 18 {
            let n = compressed.count
            let hint = Int(compressed[n - 4]) | Int(compressed[n - 3]) << 8
                | Int(compressed[n - 2]) << 16 | Int(compressed[n - 1]) << 24
            output.reserveCapacity(min(hint, 1 << 26))
        }
        // Stop once `limit` (announced size + 1) bytes exist.
        var limit: Int? = nil
        let chunkSize = 1 << 18
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        try compressed.withUnsafeBufferPointer { input in
            guard let base = input.baseAddress else { return }
            stream.pointee.next_in = UnsafeMutablePointer(mutating: base)
            stream.pointee.avail_in = UInt32(input.count)
            while true {
                let status: Int32 = chunk.withUnsafeMutableBufferPointer { out in
                    stream.pointee.next_out = out.baseAddress
                    stream.pointee.avail_out = UInt32(chunkSize)
                    return inflate(stream, Z_NO_FLUSH)
                }
                let produced = chunkSize - Int(stream.pointee.avail_out)
                output.append(contentsOf: chunk[0..<produced])
                if limit == nil, let payloadSize, let size = payloadSize(output) {
                    limit = size == Int.max ? size : max(size, 0) + 1
                }
                if let limit, output.count >= limit {
                    output.removeSubrange(limit...)
                    return
                }
                switch status {
                case Z_OK:
                    continue
                case Z_STREAM_END:
                    let remaining = Int(stream.pointee.avail_in)
                    let next = input.count - remaining
                    guard remaining >= 2, input[next] == 0x1F, input[next + 1] == 0x8B else { return }
                    let reset = inflateReset(stream)
                    guard reset == Z_OK else { throw error(function: "inflateReset", status: reset) }
                case Z_BUF_ERROR where stream.pointee.avail_in == 0:
                    throw DatasetError.truncatedGzip(path: path, compressedBytes: input.count,
                                                     decompressedBytes: output.count)
                default:
                    throw error(function: "inflate", status: status)
                }
            }
        }
        return output
    }

    /// The typed error for a failed zlib call, with zlib's message when it set one.
    private func error(function: String, status: Int32) -> DatasetError {
        let message = stream.pointee.msg.map { String(cString: $0) } ?? "zlib status \(status)"
        return DatasetError.corruptGzip(path: path, function: function, status: status, message: message)
    }
}
