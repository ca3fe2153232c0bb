import Datasets
import Foundation
import ODENet
import Training

/// Tiny data and networks shared by the Training tests: digits from the repository (8 × 8 × 1),
/// 64 training images, 32 validation and 32 test images; one stage of 4 channels.
enum TrainingFixture {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static func digits() throws -> Dataset { try Dataset.digits(in: repositoryRoot) }

    static func data(validation: Bool = true) throws -> TrainingData {
        let all = try digits()
        return try TrainingData(training: all.subset(indices: Array(0..<64)),
                                validation: validation ? all.subset(indices: Array(64..<96)) : nil,
                                test: all.subset(indices: Array(96..<128)))
    }

    static func spec(stepCount: Int, finalTime: Double? = nil, channels: [Int] = [4]) throws -> ODENetSpec {
        try ODENetSpec(inputShape: [8, 8, 1], classCount: 10, stageChannels: channels, stepCount: stepCount,
                       finalTime: finalTime)
    }

    static func network(stepCount: Int, finalTime: Double? = nil, seed: UInt64 = 3) throws -> ODENetwork {
        try ODENetwork(spec: spec(stepCount: stepCount, finalTime: finalTime), seed: seed)
    }

    static let configuration = TrainingConfiguration(batchSize: 32, evaluationBatchSize: 32, momentum: 0.9,
                                                     weightDecay: 5e-4, seed: 7)

    /// The tensors of two networks are identical, bit for bit (names and shapes equal too).
    static func identical(_ a: ODENetwork, _ b: ODENetwork) -> Bool {
        let (x, y) = (a.namedTensors(), b.namedTensors())
        guard Set(x.keys) == Set(y.keys) else { return false }
        return x.allSatisfy { name, tensor in
            guard let other = y[name], other.shape == tensor.shape else { return false }
            return zip(tensor.elements, other.elements).allSatisfy { $0.bitPattern == $1.bitPattern }
        }
    }

    static func temporaryFolder() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("training-tests-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// Captures the state and a copy of the network after a chosen global epoch.
final class SnapshotObserver: TrainingObserver {
    let afterEpoch: Int
    var state: TrainingState?
    var network: ODENetwork?
    var levels: [LevelReport] = []

    init(afterEpoch: Int) { self.afterEpoch = afterEpoch }

    func didFinishEpoch(_ record: EpochRecord, network: ODENetwork, state: TrainingState) throws {
        if record.globalEpoch + 1 == afterEpoch {
            self.state = state
            self.network = try network.copy()
        }
    }

    func didFinishLevel(_ level: LevelReport, network: ODENetwork, state: TrainingState) throws {
        levels.append(level)
    }
}
