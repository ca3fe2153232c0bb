import FuzzSupport
import MultilevelResNet

/// The IDX reader on the raw input (a raw IDX file, or gzip when it starts with `1F 8B`): as an
/// images file (3 dimensions), a labels file (1 dimension), and both at once through `IDX.load`
/// (inferred and explicit class counts).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIDX(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let url = FuzzInput.write(FuzzInput.bytes(data, size), to: "input.idx")
    FuzzInput.expectTypedErrors { _ = try IDX.read(url, expectedDimensionCount: 3) }
    FuzzInput.expectTypedErrors { _ = try IDX.read(url, expectedDimensionCount: 1) }
    FuzzInput.expectTypedErrors { _ = try IDX.load(images: url, labels: url) }
    FuzzInput.expectTypedErrors { _ = try IDX.load(images: url, labels: url, classCount: 10) }
    return 0
}
