import CZlib
import Datasets
import Foundation
import Testing

/// A temporary folder for the files one test writes; removed by `remove()`.
struct TemporaryFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("DatasetsTests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// Writes `bytes` to `name` in the folder and returns its URL.
    func write(_ name: String, _ bytes: [UInt8]) throws -> URL {
        let file = url.appendingPathComponent(name)
        try Data(bytes).write(to: file)
        return file
    }

    func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}

/// The 4 big-endian bytes of `value`.
func bigEndian(_ value: UInt32) -> [UInt8] {
    [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
}

/// An IDX file written from first principles: magic 0x0000, type, dimension count, dims, data.
func idxBytes(type: UInt8 = 0x08, dimensions: [Int], data: [UInt8]) -> [UInt8] {
    var bytes: [UInt8] = [0, 0, type, UInt8(dimensions.count)]
    for d in dimensions { bytes += bigEndian(UInt32(d)) }
    return bytes + data
}

/// Gzip-compresses `bytes` with zlib's deflate (windowBits 31 = gzip wrapper), independently of
/// the library's inflate code.
func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
    var stream = z_stream()
    let initStatus = deflateInit2_(&stream, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY, zlibVersion(),
                                   Int32(MemoryLayout<z_stream>.size))
    try #require(initStatus == Z_OK)
    defer { deflateEnd(&stream) }
    var input = bytes
    var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(bytes.count))) + 64)
    let status: Int32 = input.withUnsafeMutableBufferPointer { inBuffer in
        output.withUnsafeMutableBufferPointer { outBuffer in
            stream.next_in = inBuffer.baseAddress
            stream.avail_in = UInt32(inBuffer.count)
            stream.next_out = outBuffer.baseAddress
            stream.avail_out = UInt32(outBuffer.count)
            return deflate(&stream, Z_FINISH)
        }
    }
    try #require(status == Z_STREAM_END)
    return Array(output[0..<Int(stream.total_out)])
}

/// Runs `body`, requires it to throw a `DatasetError`, and returns the error.
func datasetError(_ body: () throws -> Void) throws -> DatasetError {
    do {
        try body()
    } catch let error as DatasetError {
        return error
    }
    Issue.record("expected a DatasetError, nothing was thrown")
    throw CancellationError()
}
