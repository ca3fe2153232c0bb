import Foundation
import Testing

/// Issue 17, item 2: a level archive records its training data as structured `/run` fields
/// (`data.source.kind`, the paths, `data.seed`, `data.testFraction`, `data.classes`, …), so
/// `mlresnet analyze ARCHIVE` rebuilds the run's test split with no `--dataset` option. Each run
/// here uses a seed and a test fraction other than the defaults, so a split rebuilt from defaults
/// would hold other images (and another count); every level's accuracy on the rebuilt split must
/// equal the test accuracy the archive recorded.
@Suite("analyze rebuilds the test split from the archive alone", .serialized)
struct AnalyzeDatasetCommandTests {
    struct Analysis {
        var train: CLI.Outcome
        var analyze: CLI.Outcome
        var report: [String: Any]
    }

    /// `mlresnet train options… --output folder/run`, then `mlresnet analyze folder/run/levels.h5`
    /// with no data options (the run's evaluation batch size, so the sums are the trainer's).
    func trainAndAnalyze(_ options: [String], in folder: URL) throws -> Analysis {
        let run = folder.appendingPathComponent("run")
        let train = try CLI.run(["train", "--threads", "1", "--progress", "silent", "--output", run.path] + options)
        try #require(train.status == 0, "train: \(train.errors)")
        let config = try #require(try JSONSerialization.jsonObject(
            with: Data(contentsOf: run.appendingPathComponent("config.json"))) as? [String: Any])
        let training = ((config["configuration"] as? [String: Any])?["comparison"] as? [String: Any])?["training"]
        let batch = try #require((training as? [String: Any])?["evaluationBatchSize"] as? Int)
        let json = folder.appendingPathComponent("analysis.json")
        let analyze = try CLI.run(["analyze", run.appendingPathComponent("levels.h5").path, "--lesion-seeds", "0",
                                   "--threads", "1", "--batch-size", "\(batch)", "--json", json.path])
        let report = (try? JSONSerialization.jsonObject(with: Data(contentsOf: json))) as? [String: Any] ?? [:]
        return Analysis(train: train, analyze: analyze, report: report)
    }

    /// The split is the run's: the test count the run printed, and every level's accuracy equal to
    /// the archived test accuracy.
    func expectTheRunsSplit(_ analysis: Analysis, seed: Int, levelCount: Int = 2) throws {
        #expect(analysis.analyze.status == 0, "analyze: \(analysis.analyze.errors)")
        // The data descriptions are progress: standard error (results alone on standard output).
        let printed = try #require(analysis.train.errors.firstMatch(of: /test (\d+) images/), "\(analysis.train.errors)")
        #expect(analysis.report["testCount"] as? Int == Int(printed.1), "\(analysis.analyze.output)")
        #expect(analysis.analyze.errors.contains("; \(printed.1) test images"), "\(analysis.analyze.errors)")
        let levels = try #require(analysis.report["levels"] as? [[String: Any]])
        #expect(levels.count == levelCount)
        for level in levels {
            let archived = try #require(level["archivedTestAccuracy"] as? Double)
            #expect(level["accuracy"] as? Double == archived, "level \(level["level"] ?? "?"): \(level)")
        }
        if seed >= 0 { #expect(analysis.analyze.errors.contains("(seed \(seed))"), "\(analysis.analyze.errors)") }
    }

    @Test("digits: the seed and test fraction of the run, from /run")
    func digits() throws {
        let folder = CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let analysis = try trainAndAnalyze(["--channels", "4", "--schedule", "1,2", "--epochs", "2", "--seed", "5",
                                            "--test-fraction", "0.3"], in: folder)
        try expectTheRunsSplit(analysis, seed: 5)
        #expect(analysis.analyze.errors.contains("digits: seeded stratified split (seed 5), test 0.3"))
    }

    /// An IDX file: the magic (0, 0, type 0x08 = unsigned byte, rank), big-endian dimensions, data.
    func idx(_ dimensions: [Int], _ data: [UInt8]) -> Data {
        var bytes: [UInt8] = [0, 0, 0x08, UInt8(dimensions.count)]
        for d in dimensions { bytes += withUnsafeBytes(of: UInt32(d).bigEndian, Array.init) }
        return Data(bytes + data)
    }

    @Test("idx: the recorded absolute paths, class count 11 and split; moved files are named")
    func idxFiles() throws {
        let folder = CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // 66 images 8 × 8 with labels n % 11: an 11-class set (the default class count, 10, refuses label 10).
        let count = 66
        var state: UInt64 = 17
        let pixels = (0..<count * 64).map { _ -> UInt8 in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
        let images = folder.appendingPathComponent("images.idx"), labels = folder.appendingPathComponent("labels.idx")
        try idx([count, 8, 8], pixels).write(to: images)
        try idx([count], (0..<count).map { UInt8($0 % 11) }).write(to: labels)
        let analysis = try trainAndAnalyze(["--dataset", "idx:\(images.path),\(labels.path)", "--classes", "11",
                                            "--channels", "4", "--schedule", "1,2", "--epochs", "2", "--batch-size", "8",
                                            "--seed", "3", "--test-fraction", "0.25"], in: folder)
        try expectTheRunsSplit(analysis, seed: 3)
        #expect(analysis.analyze.errors.contains("of 66 images, 11 classes"), "\(analysis.analyze.errors)")
        // The files are found by the recorded path: moved away, analyze names the missing one.
        try FileManager.default.moveItem(at: images, to: folder.appendingPathComponent("moved.idx"))
        let moved = try CLI.run(["analyze", folder.appendingPathComponent("run/levels.h5").path, "--lesion-seeds", "0",
                                 "--threads", "1"])
        #expect(moved.status != 0 && (moved.errors + moved.output).contains(images.path), "\(moved.errors)")
    }

    static let fashionMNISTAvailable = FileManager.default.fileExists(
        atPath: "/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz")

    @Test("fashion-mnist: the official test set and the run's training subset, from /run",
          .enabled(if: fashionMNISTAvailable, "Debian's dataset-fashion-mnist is not installed"))
    func fashionMNIST() throws {
        let folder = CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // One level of N = 1: analyze evaluates all 10 000 test images a few times (debug builds are slow).
        let analysis = try trainAndAnalyze(["--dataset", "fashion-mnist", "--training-subset", "0.002", "--channels", "2",
                                            "--schedule", "1", "--epochs", "1", "--seed", "9"], in: folder)
        try expectTheRunsSplit(analysis, seed: -1, levelCount: 1)
        #expect(analysis.report["testCount"] as? Int == 10_000)
        #expect(analysis.analyze.errors.contains("official split"), "\(analysis.analyze.errors)")
    }

    @Test("An archive written before these additions (format_version 1, no t_edges) analyzes with no --dataset")
    func archiveWrittenBefore() throws {
        let archive = CLI.repositoryRoot
            .appendingPathComponent("Tests/ArchivingTests/Fixtures/format1-before-annotations/levels.h5")
        // 500: the evaluation batch size of the run that wrote it (the default).
        let analyze = try CLI.run(["analyze", archive.path, "--lesion-seeds", "0", "--threads", "1", "--batch-size", "500",
                                   "--json", "-"])
        #expect(analyze.status == 0, "\(analyze.errors)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(analyze.output.utf8)) as? [String: Any])
        let levels = try #require(report["levels"] as? [[String: Any]])
        #expect(levels.count == 2)
        for level in levels {
            #expect(level["accuracy"] as? Double == (try #require(level["archivedTestAccuracy"] as? Double)), "\(level)")
        }
        #expect(analyze.errors.contains("digits: seeded stratified split"), "\(analyze.errors)")
    }
}
