import Datasets
import Foundation
import Testing

/// Inputs found by `scripts/fuzz`, kept as regression tests.
///
/// `fuzz-idx-empty-file` (FuzzIDX, an empty input): reading a zero-length file went through
/// Foundation's `Data(contentsOf:)`, which leaks its 4 KiB read buffer for an empty file —
/// LeakSanitizer failed the fuzz run. The readers now skip Foundation for empty files. The error
/// must stay typed here; the leak itself is caught when this test runs under `scripts/asan`
/// (LeakSanitizer reports it at exit).
@Suite struct FuzzRegressionTests {
    @Test func emptyFilesGiveTypedErrorsWithoutLeaking() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let empty = try folder.write("empty", [])
        for _ in 0..<4 {  // several reads: a leak per read adds up
            #expect(throws: DatasetError.truncated(path: empty.path, field: "magic number", offset: 0,
                                                   expectedBytes: 4, availableBytes: 0)) {
                try IDX.read(empty, expectedDimensionCount: 3)
            }
            #expect(throws: DatasetError.truncated(path: empty.path, field: "record 0", offset: 0,
                                                   expectedBytes: 3073, availableBytes: 0)) {
                try CIFAR.loadCIFAR10([empty])
            }
            #expect(throws: DatasetError.truncated(path: empty.path, field: "image 0", offset: 0,
                                                   expectedBytes: STL10.imageBytes, availableBytes: 0)) {
                try STL10.load(images: empty, labels: empty)
            }
        }
    }
}
