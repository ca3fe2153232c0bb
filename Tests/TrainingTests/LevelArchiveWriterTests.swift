import Archiving
import Foundation
import ODENet
import Testing
@testable import Training

/// The public observer that archives every level of a multilevel run.
@Suite("LevelArchiveWriter")
struct LevelArchiveWriterTests {
    static func report(cycle: Int, level: Int, stepCount: Int, epochs: Int, parameterCount: Int) -> LevelReport {
        LevelReport(cycle: cycle, level: level, stepCount: stepCount, stepSize: 1 / Double(stepCount), finalTime: 1,
                    epochs: epochs, stoppedOnPlateau: false, trainAccuracy: 0.5, validationAccuracy: nil,
                    testAccuracy: 0.25, trainSeconds: 1, wallSeconds: 2, parameterCount: parameterCount)
    }

    @Test("each cycle's end adds its level (a copy of the network); the same cycle again replaces it")
    func oneLevelPerCycle() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("writer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("levels.h5").path
        let coarse = try TrainingFixture.network(stepCount: 1)
        let fine = try coarse.refined(by: .piecewiseConstant, rule: .halve)
        let writer = LevelArchiveWriter(path: path, metadata: ArchiveMetadata(dataset: "digits", seed: 3))
        let state = TrainingState(seed: 0)

        try writer.didFinishLevel(Self.report(cycle: 0, level: 1, stepCount: 1, epochs: 2,
                                              parameterCount: coarse.parameterCount), network: coarse, state: state)
        #expect(try LevelArchive.read(from: path).levels.map(\.index) == [1])
        #expect(writer.levels.allSatisfy { $0.network !== coarse })
        try writer.didFinishLevel(Self.report(cycle: 1, level: 0, stepCount: 2, epochs: 3,
                                              parameterCount: fine.parameterCount), network: fine, state: state)
        try writer.didFinishLevel(Self.report(cycle: 1, level: 0, stepCount: 2, epochs: 4,
                                              parameterCount: fine.parameterCount), network: fine, state: state)

        let archive = try LevelArchive.read(from: path)
        #expect(archive.levels.map(\.index) == [0, 1])
        #expect(archive.levels.map(\.cycle) == [1, 0])
        #expect(archive.levels.map(\.epochs) == [4, 2])
        #expect(archive.levels.map(\.network.spec.stepCount) == [2, 1])
        #expect(archive.levels.allSatisfy { $0.testAccuracy == 0.25 && $0.wallSeconds == 2 })
        #expect(archive.metadata.seed == 3 && writer.levels.count == 2)
    }
}
