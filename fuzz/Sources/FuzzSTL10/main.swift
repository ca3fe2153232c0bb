import FuzzSupport
import MultilevelResNet

/// The STL-10 binary reader. Input: byte 0 gives the labels file's length `L = byte 0 % 4`; the
/// last `L` bytes are the labels file and the bytes between are the images file (27 648 bytes
/// per image, so the seed holds one whole image).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSTL10(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = FuzzInput.bytes(data, size)
    guard let first = bytes.first else { return 0 }
    let labelCount = min(Int(first % 4), bytes.count - 1)
    let images = FuzzInput.write(Array(bytes[1..<bytes.count - labelCount]), to: "train_X.bin")
    let labels = FuzzInput.write(Array(bytes[(bytes.count - labelCount)...]), to: "train_y.bin")
    FuzzInput.expectTypedErrors { _ = try STL10.load(images: images, labels: labels) }
    return 0
}
