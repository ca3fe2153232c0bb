import Archiving
import Foundation
import Testing

/// The embedded digits are a resource of the library: `mlresnet` finds them from any working
/// folder, with no `datasets/` beside it.
@Suite struct BundledDigitsCommandTests {
    @Test("train --dataset digits from a working folder outside the repository")
    func digitsFromAnyWorkingFolder() throws {
        let folder = CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("datasets").path))
        let run = try CLI.run(["train", "--dataset", "digits"] + CLI.tiny + ["--epochs", "2", "--output", "run"],
                              in: folder)
        #expect(run.status == 0, "\(run.errors)")
        let archive = try LevelArchive.read(from: folder.appendingPathComponent("run/levels.h5").path)
        #expect(archive.metadata.dataset.hasPrefix("digits"))
        #expect(archive.levels.map(\.network.spec.stepCount).sorted() == [1, 2])
    }
}
