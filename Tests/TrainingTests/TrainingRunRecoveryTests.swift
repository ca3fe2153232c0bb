import Archiving
import Foundation
import ODENet
import TensorCore
import Testing
import Training

/// Stops a run after a given global epoch, as a kill would (after that epoch's checkpoint).
private final class StopAfter: TrainingObserver {
    struct Stopped: Error {}
    let epoch: Int
    init(epoch: Int) { self.epoch = epoch }
    func didFinishEpoch(_ record: EpochRecord, network: ODENetwork, state: TrainingState) throws {
        if state.epoch == epoch { throw Stopped() }
    }
}

/// Damaged files do not block a resume: a damaged newest checkpoint falls back to the previous
/// generation, a damaged level archive is rebuilt from the checkpoint; a configuration mismatch
/// names the differing fields.
@Suite(.serialized) struct TrainingRunRecoveryTests {
    private func run(in folder: URL, weightDecay: Double = 5e-4) throws -> TrainingRun {
        var training = TrainingFixture.configuration
        training.weightDecay = weightDecay
        let configuration = ComparisonConfiguration(
            stageChannels: [4], stepCounts: [1, 2], epochs: 4, maximumLearningRate: 0.05, minimumLearningRate: 0.001,
            training: training, networkSeed: 3)
        return TrainingRun(plan: try ComparisonPlan(configuration: configuration), kind: .multilevel,
                           data: try TrainingFixture.data(), folder: folder,
                           metadata: ArchiveMetadata(dataset: "digits[0..<128]", seed: 7), dataDescription: "fixture")
    }

    /// A run stopped after `epoch` (epoch 3 is inside the second cycle: levels.h5 holds cycle 0).
    private func stoppedRun(after epoch: Int) throws -> URL {
        let folder = TrainingFixture.temporaryFolder()
        #expect(throws: StopAfter.Stopped.self) {
            try self.run(in: folder).run(resume: false, observers: [StopAfter(epoch: epoch)])
        }
        return folder
    }

    private func truncate(_ url: URL) throws {
        let size = try #require(try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int)
        let handle = try FileHandle(forWritingTo: url)
        try handle.truncate(atOffset: UInt64(size / 2))
        try handle.close()
    }

    /// The level archive of `folder` has the levels of `expected`, tensor for tensor.
    private func expectArchive(in folder: URL, equals expected: URL) throws {
        let archive = try LevelArchive.read(from: folder.appendingPathComponent("levels.h5").path)
        let reference = try LevelArchive.read(from: expected.appendingPathComponent("levels.h5").path)
        #expect(archive.levels.map(\.index) == reference.levels.map(\.index))
        for (level, other) in zip(archive.levels, reference.levels) {
            #expect(TrainingFixture.identical(level.network, other.network), "level \(level.index)")
        }
    }

    @Test("A truncated newest checkpoint: the resume falls back to the previous generation and ends as an uninterrupted run")
    func truncatedCheckpointFallsBack() throws {
        let reference = TrainingFixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: reference) }
        let expected = try run(in: reference).run(resume: false)
        let folder = try stoppedRun(after: 3)
        defer { try? FileManager.default.removeItem(at: folder) }
        try truncate(folder.appendingPathComponent("checkpoint.h5"))
        let resuming = try run(in: folder)
        var lines: [String] = []
        resuming.report = { lines.append($0) }
        let resumed = try resuming.run(resume: true)
        #expect(TrainingFixture.identical(resumed.network, expected.network))
        #expect(lines.contains { $0.hasPrefix("warning:") && $0.contains(folder.appendingPathComponent("checkpoint.h5").path)
                    && $0.contains("checkpoint.previous.h5") })
        #expect(lines.contains { $0.contains("after epoch 2") })
        #expect(try TrainingLog.records(at: folder.appendingPathComponent("train.jsonl")).count == 4)
        try expectArchive(in: folder, equals: reference)
    }

    @Test("A damaged levels.h5 beside a good checkpoint is rebuilt; the result equals an uninterrupted run's")
    func damagedLevelArchiveIsRebuilt() throws {
        let reference = TrainingFixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: reference) }
        let expected = try run(in: reference).run(resume: false)
        for damage in ["truncate", "garbage"] {
            let folder = try stoppedRun(after: 3)
            defer { try? FileManager.default.removeItem(at: folder) }
            let archive = folder.appendingPathComponent("levels.h5")
            if damage == "truncate" {
                try truncate(archive)
            } else {
                try Data(repeating: 0x5A, count: 4096).write(to: archive)
            }
            let resuming = try run(in: folder)
            var lines: [String] = []
            resuming.report = { lines.append($0) }
            let resumed = try resuming.run(resume: true)
            #expect(TrainingFixture.identical(resumed.network, expected.network), "\(damage)")
            #expect(lines.contains { $0.hasPrefix("warning:") && $0.contains(archive.path) && $0.contains("rebuilt") })
            try expectArchive(in: folder, equals: reference)
        }
    }

    @Test("Resuming with another weight decay names that field, with both values, and nothing else")
    func configurationMismatchNamesTheField() throws {
        let folder = try stoppedRun(after: 1)
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            _ = try run(in: folder, weightDecay: 2e-4).run(resume: true)
            Issue.record("a checkpoint of another configuration was accepted")
        } catch let ArchiveError.configurationMismatch(_, differences) {
            #expect(differences == [ConfigurationDifference(field: "configuration.training.weightDecay",
                                                            checkpoint: "0.0005", thisRun: "0.0002")])
            let message = "\(ArchiveError.configurationMismatch(file: "f", differences: differences))"
            #expect(message.contains("configuration.training.weightDecay: checkpoint 0.0005, this run 0.0002"))
            #expect(message.count < 200)
        }
        // The same configuration still resumes.
        _ = try run(in: folder).run(resume: true)
    }

    @Test("A checkpoint with the free-form fingerprint of older versions resumes when the configuration is unchanged",
          .enabled(if: (try? TrainingRunRecoveryTests.python("import h5py").status) == 0, "needs python3 with h5py"))
    func legacyFingerprintResumes() throws {
        let folder = try stoppedRun(after: 1)
        defer { try? FileManager.default.removeItem(at: folder) }
        let legacy = "run=multilevel; data=fixture; configuration="
            + String(reflecting: try run(in: folder).plan.configuration)
        // Rewrite the fingerprint as older versions stored it (and drop the checksums they lacked).
        let script = """
            import sys, h5py
            with h5py.File(sys.argv[1], "r+") as f:
                f.attrs["configuration"] = sys.argv[2]
                del f.attrs["crc32"]
                f.visititems(lambda name, obj: obj.attrs.__delitem__("crc32") if "crc32" in obj.attrs else None)
            with open(sys.argv[1], "r+b") as f:  # older versions lacked the whole-file seal too
                f.write(bytes(32))
            """
        let edit = try Self.python(script, [folder.appendingPathComponent("checkpoint.h5").path, legacy])
        #expect(edit.status == 0, "\(edit.output)")
        try? FileManager.default.removeItem(at: folder.appendingPathComponent("checkpoint.previous.h5"))
        _ = try run(in: folder).run(resume: true)
        #expect(try TrainingLog.records(at: folder.appendingPathComponent("train.jsonl")).count == 4)
    }

    /// Runs `/usr/bin/python3 -c script args…`; returns the exit status and the output.
    static func python(_ script: String, _ arguments: [String] = []) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", script] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
