import Archiving
import Foundation
import ODENet
import TensorCore
import Testing
import Training

/// Asks to stop after the `k`-th batch it is polled for (counting from 1), as a SIGINT would.
private final class StopAfterBatches: InterruptionSource, @unchecked Sendable {
    private let lock = NSLock()
    private var polls = 0
    let k: Int
    init(_ k: Int) { self.k = k }
    var isRequested: Bool {
        lock.lock()
        defer { lock.unlock() }
        polls += 1
        return polls == k
    }
}

/// Counts the epochs an observer sees (to tell a kept run from a retrained one).
private final class EpochCounter: TrainingObserver {
    var epochs = 0
    func didFinishEpoch(_ record: EpochRecord, network: ODENetwork, state: TrainingState) throws { epochs += 1 }
}

@Suite("Interruption and resume", .serialized)
struct InterruptionTests {
    private let configuration = ComparisonConfiguration(
        stageChannels: [4], stepCounts: [1, 2], epochs: 2, maximumLearningRate: 0.05, minimumLearningRate: 0.001,
        training: TrainingFixture.configuration, networkSeed: 3)
    private let metadata = ArchiveMetadata(dataset: "digits[0..<128]", seed: 7)

    /// The report without wall-clock numbers.
    private func numbers(_ report: ComparisonReport) -> [[String]] {
        report.runs.map { run in
            [run.kind.rawValue, "\(run.testAccuracy)"] + run.levels.map {
                "\($0.level) \($0.stepCount) \($0.stepSize) \($0.epochs) \(String(describing: $0.testAccuracy)) "
                    + "\($0.trainAccuracy)"
            }
        }
    }

    @Test("A comparison stopped after k batches (mid-epoch, at an epoch's end, in each run) and resumed equals an uninterrupted one")
    func comparisonResumesExactly() throws {
        let data = try TrainingFixture.data()
        let plan = try ComparisonPlan(configuration: configuration)
        let comparison = ComparisonRunner(plan: plan)
        let referenceFolder = TrainingFixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: referenceFolder) }
        let reference = try comparison.run(data: data, outputFolder: referenceFolder, archiveMetadata: metadata)
        // 64 images in batches of 32: 2 batches per epoch, 4 per run, 12 in all (full, multilevel, naive).
        for k in [1, 2, 4, 6, 11] {
            let folder = TrainingFixture.temporaryFolder()
            defer { try? FileManager.default.removeItem(at: folder) }
            #expect(throws: TrainingInterrupted.self) {
                try comparison.run(data: data, outputFolder: folder, archiveMetadata: metadata,
                                   interruption: StopAfterBatches(k))
            }
            let stoppedIn = ComparisonRunKind.allCases[(k - 1) / 4]
            let checkpoint = try Checkpoint.read(from: folder.appendingPathComponent("\(stoppedIn.rawValue).checkpoint.h5").path,
                                                 expectedConfiguration: nil)
            let saved = try JSONDecoder().decode(TrainingState.Scalars.self,
                                                 from: Data(try #require(checkpoint.texts["training_state"]).utf8))
            let batches = (k - 1) % 4 + 1  // of the stopped run
            #expect(saved.step == batches, "k = \(k): the checkpoint holds every batch trained")
            #expect(saved.partialEpoch?.batchesDone == (batches - 1) % 2 + 1, "k = \(k): the position inside the epoch")

            var counters: [ComparisonRunKind: EpochCounter] = [:]
            let resumed = try comparison.run(data: data, outputFolder: folder, archiveMetadata: metadata, resume: true) { kind in
                let counter = EpochCounter()
                counters[kind] = counter
                return [counter]
            }
            #expect(numbers(resumed) == numbers(reference), "k = \(k)")
            for kind in plan.runs {
                let a = try LevelArchive.read(from: folder.appendingPathComponent("\(kind.rawValue).h5").path)
                let b = try LevelArchive.read(from: referenceFolder.appendingPathComponent("\(kind.rawValue).h5").path)
                #expect(a.levels.count == b.levels.count)
                for (x, y) in zip(a.levels, b.levels) {
                    #expect(TrainingFixture.identical(x.network, y.network), "k = \(k): \(kind.rawValue).h5 level \(x.index)")
                }
                let log = try TrainingLog.records(at: folder.appendingPathComponent("\(kind.rawValue).jsonl"))
                let expected = try TrainingLog.records(at: referenceFolder.appendingPathComponent("\(kind.rawValue).jsonl"))
                #expect(log.map(\.loss) == expected.map(\.loss) && log.map(\.learningRateEnd) == expected.map(\.learningRateEnd))
                // Finished runs are kept, not trained again; the stopped one trains only what is left.
                let before = (plan.runs.firstIndex(of: kind) ?? 0) < (plan.runs.firstIndex(of: stoppedIn) ?? 0)
                let trained = counters[kind]?.epochs ?? -1
                if before { #expect(trained == 0, "k = \(k): \(kind.rawValue) was retrained") }
                // Epochs whose record was written before the stop are not redone (the last one's
                // evaluation is, when the stop came after its last batch).
                if kind == stoppedIn { #expect(trained == 2 - (batches - 1) / 2, "k = \(k): \(kind.rawValue) trained \(trained)") }
            }
        }
    }

    @Test("RunStatus.track: complete after the body, interrupted after TrainingInterrupted, failed with the error otherwise")
    func statusOfASession() throws {
        let folder = TrainingFixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var seen: RunStatus.State?
        try RunStatus.track(in: folder, commandLine: ["mlresnet", "x"], resumeCommand: "mlresnet x --resume") {
            seen = try RunStatus.read(in: folder)?.state
        }
        #expect(seen == .running)
        let complete = try #require(try RunStatus.read(in: folder))
        #expect(complete.state == .complete && complete.endedAt != nil && complete.commandLine == ["mlresnet", "x"])
        try RunStatus.requireComplete(in: folder)

        #expect(throws: TrainingInterrupted.self) {
            try RunStatus.track(in: folder, commandLine: ["mlresnet"], resumeCommand: "again --resume") {
                throw TrainingInterrupted(cycle: 0, epoch: 1, batchesDone: 3, batchCount: 9)
            }
        }
        let interrupted = try #require(try RunStatus.read(in: folder))
        #expect(interrupted.state == .interrupted && interrupted.resumeCommand == "again --resume")
        #expect(throws: RunFolderError.self) { try RunStatus.requireComplete(in: folder) }

        #expect(throws: TrainingError.self) {
            try RunStatus.track(in: folder, commandLine: ["mlresnet"], resumeCommand: nil) {
                throw TrainingError.stateMismatch("boom")
            }
        }
        let failed = try #require(try RunStatus.read(in: folder))
        #expect(failed.state == .failed && failed.error?.contains("boom") == true)
        do {
            try RunStatus.requireComplete(in: folder)
            Issue.record("a failed run passed as complete")
        } catch let error as RunFolderError {
            #expect("\(error)".contains("status.json") && "\(error)".contains("failed"))
        }
    }

    @Test("RunFolder: a new run refuses a non-empty folder; overwrite removes only the run files and member folders")
    func folderPolicies() throws {
        let folder = TrainingFixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try RunFolder.prepare(folder, policy: .new)  // empty: fine
        for name in ["status.json", "results.json", "full.jsonl", "full.h5", "full.checkpoint.h5", "notes.txt",
                     ".multilevel.h5.tmp-12-34", "full.checkpoint.previous.h5", "checkpoint-notes.txt"] {
            try Data().write(to: folder.appendingPathComponent(name))
        }
        let member = folder.appendingPathComponent("heun-seed3")
        let other = folder.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: member, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
        try Data().write(to: member.appendingPathComponent("naive.jsonl"))
        do {
            try RunFolder.prepare(folder, policy: .new)
            Issue.record("a non-empty folder was accepted")
        } catch let RunFolderError.notEmpty(path, _, runFiles, otherFiles) {
            #expect(path == folder.path)
            #expect(runFiles.contains("full.checkpoint.h5") && runFiles.contains("heun-seed3/"))
            #expect(otherFiles == ["checkpoint-notes.txt", "data/", "notes.txt"])
        }
        #expect(try RunFolder.prepare(folder, policy: .resume).isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).count == 11)
        let kept = try RunFolder.prepare(folder, policy: .overwrite)
        #expect(kept == ["checkpoint-notes.txt", "data/", "notes.txt"])
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: folder.path))
                == ["checkpoint-notes.txt", "data", "notes.txt"])
    }
}
