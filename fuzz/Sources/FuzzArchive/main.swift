import FuzzSupport
import MultilevelResNet

/// The level-archive and checkpoint readers and `inspect` on the raw input as an HDF5 file (HDF5
/// reads from a file, so the input is written to one first), for inputs that carry the seal's
/// magic (`HDF5FileSeal`; the seeds are sealed archives): nearly every mutation then stops at the
/// whole-file seal, before libhdf5. This target proves that gate: `scripts/fuzz` fails when one of
/// its inputs reaches a crash inside libhdf5 without a valid seal. Inputs without the magic are
/// unsealed files, which libhdf5 parses by design: FuzzArchiveResealed fuzzes those.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzArchive(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = FuzzInput.bytes(data, size)
    guard bytes.starts(with: HDF5FileSeal.magic) else { return 0 }
    let path = FuzzInput.write(bytes, to: "input.h5").path
    FuzzInput.readArchiveFile(path)
    return 0
}
