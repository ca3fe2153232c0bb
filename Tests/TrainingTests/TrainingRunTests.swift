import Archiving
import Datasets
import Foundation
import ODENet
import TensorCore
import Testing
import Training

/// Stops a run after a given global epoch, as a kill would (after that epoch's checkpoint).
private final class Kill: TrainingObserver {
    struct Killed: Error {}
    let afterEpoch: Int
    init(afterEpoch: Int) { self.afterEpoch = afterEpoch }
    func didFinishEpoch(_ record: EpochRecord, network: ODENetwork, state: TrainingState) throws {
        if state.epoch == afterEpoch { throw Killed() }
    }
}

@Suite struct TrainingRunTests {
    private func run(in folder: URL, lrMax: Double = 0.05, data: TrainingData? = nil) throws -> TrainingRun {
        let configuration = ComparisonConfiguration(
            stageChannels: [4], stepCounts: [1, 2], epochs: 4, maximumLearningRate: lrMax, minimumLearningRate: 0.001,
            training: TrainingFixture.configuration, networkSeed: 3)
        return TrainingRun(plan: try ComparisonPlan(configuration: configuration), kind: .multilevel,
                           data: try data ?? TrainingFixture.data(), folder: folder,
                           metadata: ArchiveMetadata(dataset: "digits[0..<128]", seed: 7), dataDescription: "fixture")
    }

    @Test("A run killed after any epoch and resumed from its checkpoint ends with the uninterrupted weights")
    func resumeEqualsUninterrupted() throws {
        let reference = TrainingFixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: reference) }
        let expected = try run(in: reference).run(resume: false)
        #expect(expected.levels.map(\.epochs) == [2, 2])
        // Kill inside the first cycle (epoch 1) and exactly at the cycle boundary (epoch 2).
        for killAfter in [1, 2, 3] {
            let folder = TrainingFixture.temporaryFolder()
            defer { try? FileManager.default.removeItem(at: folder) }
            #expect(throws: Kill.Killed.self) {
                try self.run(in: folder).run(resume: false, observers: [Kill(afterEpoch: killAfter)])
            }
            let checkpoint = try Checkpoint.read(from: folder.appendingPathComponent("checkpoint.h5").path,
                                                 expectedConfiguration: nil)
            #expect(checkpoint.counters["epoch"] == killAfter)
            let resumed = try run(in: folder).run(resume: true)
            #expect(TrainingFixture.identical(resumed.network, expected.network), "killed after epoch \(killAfter)")
            #expect(try TrainingLog.records(at: folder.appendingPathComponent("train.jsonl")).count == 4)
            let archive = try LevelArchive.read(from: folder.appendingPathComponent("levels.h5").path)
            #expect(archive.levels.map(\.index) == [0, 1])
            #expect(archive.levels.map { $0.network.spec.stepCount } == [2, 1])
            let finest = try #require(archive.level(0))
            #expect(TrainingFixture.identical(finest.network, expected.network))
        }
    }

    @Test("Resuming needs a checkpoint of the same configuration")
    func resumeRefusesOtherConfigurations() throws {
        let folder = TrainingFixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(throws: TrainingError.self) { try self.run(in: folder).run(resume: true) }
        #expect(throws: Kill.Killed.self) {
            try self.run(in: folder).run(resume: false, observers: [Kill(afterEpoch: 1)])
        }
        #expect(throws: ArchiveError.self) { try self.run(in: folder, lrMax: 0.5).run(resume: true) }
    }

    @Test("Resuming with other data of the same description (labels replaced, same count) is refused naming dataDigest")
    func resumeRefusesOtherDataContent() throws {
        let folder = TrainingFixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(throws: Kill.Killed.self) {
            try self.run(in: folder).run(resume: false, observers: [Kill(afterEpoch: 1)])
        }
        // The training labels shifted by one class: same images, count, name and description.
        let data = try TrainingFixture.data()
        let training = data.training
        let relabelled = try Dataset(name: training.name, images: training.images,
                                     labels: training.labels.map { ($0 + 1) % Int32(training.classCount) },
                                     height: training.height, width: training.width, channels: training.channels,
                                     classCount: training.classCount)
        let other = try TrainingData(training: relabelled, validation: data.validation, test: data.test)
        do {
            _ = try run(in: folder, data: other).run(resume: true)
            Issue.record("a resume with other labels was accepted")
        } catch let ArchiveError.configurationMismatch(_, differences) {
            #expect(differences.map(\.field) == ["dataDigest"], "\(differences)")
        }
        // The same data resumes.
        let resumed = try run(in: folder).run(resume: true)
        #expect(resumed.levels.map(\.epochs) == [2, 2])
    }

    @Test("A checkpoint written before fingerprints held the data digest resumes when everything else matches")
    func resumeAcceptsCheckpointWithoutDataDigest() throws {
        let folder = TrainingFixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(throws: Kill.Killed.self) {
            try self.run(in: folder).run(resume: false, observers: [Kill(afterEpoch: 1)])
        }
        let path = folder.appendingPathComponent("checkpoint.h5").path
        var checkpoint = try Checkpoint.read(from: path, expectedConfiguration: nil)
        var document = try #require(try JSONSerialization.jsonObject(with: Data(checkpoint.configuration.utf8))
                                        as? [String: Any])
        #expect(document.removeValue(forKey: "dataDigest") != nil)
        checkpoint.configuration = String(decoding: try JSONSerialization.data(withJSONObject: document,
                                                                               options: [.sortedKeys]), as: UTF8.self)
        try checkpoint.write(to: path)
        let resumed = try run(in: folder).run(resume: true)
        #expect(resumed.levels.map(\.epochs) == [2, 2])
        // Another configuration is still refused against such a checkpoint (by its fields).
        #expect(throws: ArchiveError.self) { try self.run(in: folder, lrMax: 0.5).run(resume: true) }
    }
}
