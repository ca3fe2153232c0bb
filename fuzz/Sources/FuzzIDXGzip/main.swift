import CZlibFuzz
import FuzzSupport
import MultilevelResNet

/// The IDX reader behind gzip: the input is gzip-compressed with zlib first, so the fuzzer
/// mutates the IDX structure while every read goes through the library's inflate path.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIDXGzip(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let compressed = gzip(FuzzInput.bytes(data, size)) else { return 0 }
    let url = FuzzInput.write(compressed, to: "input.idx.gz")
    FuzzInput.expectTypedErrors { _ = try IDX.read(url, expectedDimensionCount: 3) }
    FuzzInput.expectTypedErrors { _ = try IDX.load(images: url, labels: url, classCount: 10) }
    return 0
}

/// `bytes` as one gzip member (zlib `deflate`, window bits 31), or `nil` if zlib fails.
func gzip(_ bytes: [UInt8]) -> [UInt8]? {
    var stream = z_stream()
    guard deflateInit2_(&stream, 1, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY, zlibVersion(),
                        Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return nil }
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
    guard status == Z_STREAM_END else { return nil }
    return Array(output[0..<Int(stream.total_out)])
}
