import FuzzSupport
import MultilevelResNet

/// The level-archive and checkpoint readers and `inspect` on the input as an HDF5 file (HDF5
/// reads from a file, so the input is written to one first).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzArchive(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let path = FuzzInput.write(FuzzInput.bytes(data, size), to: "input.h5").path
    FuzzInput.expectTypedErrors { _ = try LevelArchive.read(from: path) }
    FuzzInput.expectTypedErrors { _ = try Checkpoint.read(from: path, expectedConfiguration: nil) }
    FuzzInput.expectTypedErrors { _ = try FileInspection.inspect(path) }
    return 0
}
