// docs-example begins: multilevel
import Foundation
import MultilevelResNet
// docs-example ends: multilevel
import Testing

/// The "Multi-Level Training and Level Archives" article's run.
@Suite struct MultilevelTrainingExampleTests {
    @Test("the Multi-Level Training example archives levels 0, 1 and 2")
    func archivesEveryLevel() throws {
        // docs-example begins: multilevel
        let data = try TrainingData.split(try Dataset.digits(), testFraction: 0.2, seed: 0)
        // Three cycles of one epoch: N = 1 → 2 → 4 steps per stage, h halved at each refinement (T = 1 kept).
        let schedule = try MultilevelSchedule(cycles: [1, 2, 4].map { TrainingCycle(stepCount: $0, length: .epochs(1)) },
                                              prolongation: .piecewiseConstant, stepSizeRule: .halve,
                                              maximumLearningRate: 0.1, minimumLearningRate: 0.001)
        let spec = try ODENetSpec(inputShape: [8, 8, 1], classCount: 10, stageChannels: [8, 16], stepCount: 1)
        let trainer = try MultilevelTrainer(network: ODENetwork(spec: spec, seed: 0), data: data,
                                            configuration: TrainingConfiguration(batchSize: 32), schedule: schedule)

        // Every level (0 = finest) into one HDF5 file, rewritten atomically after each cycle.
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("digits-levels.h5").path
        let metadata = ArchiveMetadata(dataset: "digits", seed: 0, prolongation: schedule.prolongation,
                                       stepRule: schedule.stepSizeRule, stepGrid: schedule.grid)
        trainer.trainer.observers.append(LevelArchiveWriter(path: path, metadata: metadata))

        let result = try trainer.run()
        for level in result.levels {
            print("level \(level.level): N = \(level.stepCount), h = \(level.stepSize), test accuracy \(level.testAccuracy ?? .nan)")
        }
        let archive = try LevelArchive.read(from: path)   // levels 0, 1, 2 with their networks, bit for bit
        print(archive.levels.map { "level \($0.index): N = \($0.network.spec.stepCount)" })
        // docs-example ends: multilevel

        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(result.levels.map(\.stepCount) == [1, 2, 4])
        #expect(archive.levels.map(\.index) == [0, 1, 2])
        #expect(archive.levels.map(\.network.spec.stepCount) == [4, 2, 1])
        #expect(archive.metadata.prolongation == .piecewiseConstant && archive.metadata.stepRule == .halve)
    }
}
