import Datasets
import Foundation
import Testing

/// `mlresnet train --dataset idx:<images>,<labels>` takes its class count from `--classes K`
/// (default 10) and refuses a label `≥ K`, naming the labels file, the record and the value; it
/// used to infer `K = max(label) + 1`, so one stray label 10 silently trained an 11-class network
/// (issue 12, defect 5). Runs the `mlresnet` built beside this test bundle.
@Suite struct IDXClassCountCommandLineTests {
    /// `mlresnet` in the build folder of the running test bundle (`swift build --build-tests` and
    /// `swift test` build it there).
    static let executable: URL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        .deletingLastPathComponent().appendingPathComponent("mlresnet")

    /// 40 images 8 × 8 and labels `n % 10`, except record 7 whose label is `strayLabel`.
    func writeFiles(_ folder: TemporaryFolder, strayLabel: UInt8) throws -> (images: URL, labels: URL) {
        let count = 40
        var generator = SplitMix64(seed: 12)
        let pixels = (0..<count * 64).map { _ in UInt8.random(in: 0...255, using: &generator) }
        var labels = (0..<count).map { UInt8($0 % 10) }
        labels[7] = strayLabel
        return (try folder.write("img", idxBytes(dimensions: [count, 8, 8], data: pixels)),
                try folder.write("lab", idxBytes(dimensions: [count], data: labels)))
    }

    /// Runs `mlresnet train` on the files with `extra` arguments; returns status, stdout, stderr.
    func train(_ files: (images: URL, labels: URL), output: URL, _ extra: [String]) throws
        -> (status: Int32, stdout: String, stderr: String)
    {
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = ["train", "--dataset", "idx:\(files.images.path),\(files.labels.path)",
                             "--schedule", "1", "--channels", "2,2", "--epochs", "1", "--batch-size", "8",
                             "--threads", "1", "--progress", "silent", "--output", output.path] + extra
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self),
                String(decoding: stderr, as: UTF8.self))
    }

    @Test func strayLabelTenIsRefusedByDefault() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.executable.path),
                     "build mlresnet first (swift build --build-tests): \(Self.executable.path)")
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let files = try writeFiles(folder, strayLabel: 10)
        let output = folder.url.appendingPathComponent("run")
        let result = try train(files, output: output, [])
        #expect(result.status != 0, "trained with a stray label: \(result.stdout)")
        // The labels file, record 7 (byte offset 8 + 7 = 15), label 10 and the range 0...9.
        let expected = DatasetError.labelOutOfRange(path: files.labels.path, record: 7, offset: 15, label: 10,
                                                    valid: 0...9).description
        #expect(result.stderr.contains(expected), "stderr: \(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output.appendingPathComponent("levels.h5").path))
    }

    @Test func classesOptionSetsTheClassCountAndIsRecorded() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.executable.path),
                     "build mlresnet first (swift build --build-tests): \(Self.executable.path)")
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let files = try writeFiles(folder, strayLabel: 10)
        // K = 11 accepts label 10; the run records its class count.
        let accepted = try train(files, output: folder.url.appendingPathComponent("k11"), ["--classes", "11"])
        #expect(accepted.status == 0, "stderr: \(accepted.stderr)")
        // The data description is part of the run's log, on standard error.
        #expect(accepted.stderr.contains("of 40 images, 11 classes"), "stderr: \(accepted.stderr)")
        // K = 3 refuses the first label ≥ 3: record 3, label 3.
        let refused = try train(files, output: folder.url.appendingPathComponent("k3"), ["--classes", "3"])
        #expect(refused.status != 0)
        let expected = DatasetError.labelOutOfRange(path: files.labels.path, record: 3, offset: 11, label: 3,
                                                    valid: 0...2).description
        #expect(refused.stderr.contains(expected), "stderr: \(refused.stderr)")
        // K < 2 and --classes with a dataset of fixed classes are usage errors.
        let tooFew = try train(files, output: folder.url.appendingPathComponent("k1"), ["--classes", "1"])
        #expect(tooFew.status != 0)
        #expect(tooFew.stderr.contains("classes = 1 is invalid") && tooFew.stderr.contains("≥ 2"), "stderr: \(tooFew.stderr)")
    }
}
