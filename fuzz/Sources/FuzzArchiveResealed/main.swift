import FuzzSupport
import MultilevelResNet

/// The archive readers behind the whole-file seal: the mutated input is re-sealed
/// (`HDF5FileSeal.seal`, a valid seal over the mutated bytes) or, when it has no user block for a
/// seal, unsealed (its magic zeroed), so libhdf5 and our code on top of it parse every mutation,
/// as for an h5py-written or older file, or a file damaged before it was sealed.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzArchiveResealed(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let path = FuzzInput.write(FuzzInput.bytes(data, size), to: "input.h5").path
    do {
        try HDF5FileSeal.seal(fileAt: path)
    } catch {
        try? HDF5FileSeal.unseal(fileAt: path)
    }
    FuzzInput.readArchiveFile(path)
    return 0
}
