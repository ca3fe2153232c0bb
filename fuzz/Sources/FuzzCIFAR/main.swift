import FuzzSupport
import MultilevelResNet

/// The CIFAR-10 and CIFAR-100 binary readers (fine and coarse labels) on the input as one batch file.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCIFAR(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let url = FuzzInput.write(FuzzInput.bytes(data, size), to: "data_batch.bin")
    FuzzInput.expectTypedErrors { _ = try CIFAR.loadCIFAR10([url]) }
    FuzzInput.expectTypedErrors { _ = try CIFAR.loadCIFAR10([url, url]) }
    for labels in CIFAR.LabelKind.allCases {
        FuzzInput.expectTypedErrors { _ = try CIFAR.loadCIFAR100([url], labels: labels) }
    }
    return 0
}
