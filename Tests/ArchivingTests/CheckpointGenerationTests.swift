import Foundation
import ODENet
import Testing
@testable import Archiving

/// The previous checkpoint generation is kept and used when the newest is damaged; a configuration
/// mismatch names the differing fields.
@Suite struct CheckpointGenerationTests {
    private func checkpoint(epoch: Int, configuration: String = "c") throws -> Checkpoint {
        Checkpoint(network: try ODENetwork(spec: Fixture.spec(), seed: UInt64(epoch)), counters: ["epoch": epoch],
                   configuration: configuration)
    }

    @Test("Writing keeps the previous generation; a truncated newest falls back to it with its reason")
    func truncatedNewestFallsBack() throws {
        let folder = try Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("checkpoint.h5").path
        let previous = Checkpoint.previousGenerationPath(of: path)
        #expect(previous == folder.appendingPathComponent("checkpoint.previous.h5").path)
        for epoch in 1...3 { try checkpoint(epoch: epoch).write(to: path, keepingPreviousGeneration: true) }
        #expect(try Checkpoint.read(from: previous, expectedConfiguration: nil).counters["epoch"] == 2)
        #expect(try Fixture.contents(of: folder) == ["checkpoint.h5", "checkpoint.previous.h5"])
        let intact = try Checkpoint.readNewestIntact(at: path, expectedConfiguration: "c") { $0.counters["epoch"] }
        #expect(intact.value == 3 && intact.path == path && intact.damagedNewest == nil)

        let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: UInt64(size / 2))
        try handle.close()
        let fallback = try Checkpoint.readNewestIntact(at: path, expectedConfiguration: "c") { $0.counters["epoch"] }
        #expect(fallback.value == 2 && fallback.path == previous)
        #expect(fallback.damagedNewest?.contains(path) == true)

        // A damaged newest is not rotated over the intact previous generation.
        try checkpoint(epoch: 4).write(to: path, keepingPreviousGeneration: true)
        #expect(try Checkpoint.read(from: previous, expectedConfiguration: nil).counters["epoch"] == 2)
        #expect(try Checkpoint.read(from: path, expectedConfiguration: nil).counters["epoch"] == 4)
    }

    @Test("A write after a rotation whose write was killed leaves no temporary link behind")
    func rotationOfAlreadyLinkedGenerations() throws {
        let folder = try Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("checkpoint.h5").path
        try checkpoint(epoch: 1).write(to: path, keepingPreviousGeneration: true)
        try checkpoint(epoch: 2).write(to: path, keepingPreviousGeneration: true)
        try Checkpoint.rotate(path)  // killed right after this rotation: both names are one file
        try checkpoint(epoch: 3).write(to: path, keepingPreviousGeneration: true)
        #expect(try Fixture.contents(of: folder) == ["checkpoint.h5", "checkpoint.previous.h5"])
        #expect(try Checkpoint.read(from: Checkpoint.previousGenerationPath(of: path), expectedConfiguration: nil)
            .counters["epoch"] == 2)
    }

    @Test("Another configuration is refused at once, naming exactly the differing fields")
    func configurationMismatchNamesFields() throws {
        let folder = try Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("checkpoint.h5").path
        let old = try ConfigurationFingerprint.canonical(
            ["run": "multilevel", "configuration": ["training": ["weightDecay": 0.0005, "seed": 7.0],
                                                    "stageChannels": [4, 8]]] as [String: AnyCodable])
        let new = try ConfigurationFingerprint.canonical(
            ["run": "multilevel", "configuration": ["training": ["weightDecay": 0.0002, "seed": 7.0],
                                                    "stageChannels": [4, 8, 16]]] as [String: AnyCodable])
        try checkpoint(epoch: 1, configuration: old).write(to: path, keepingPreviousGeneration: true)
        try checkpoint(epoch: 2, configuration: old).write(to: path, keepingPreviousGeneration: true)
        let expected = [ConfigurationDifference(field: "configuration.stageChannels", checkpoint: "[4,8]", thisRun: "[4,8,16]"),
                        ConfigurationDifference(field: "configuration.training.weightDecay", checkpoint: "0.0005",
                                                thisRun: "0.0002")]
        #expect(throws: ArchiveError.configurationMismatch(file: path, differences: expected)) {
            _ = try Checkpoint.readNewestIntact(at: path, expectedConfiguration: new) { $0 }
        }
        let message = "\(ArchiveError.configurationMismatch(file: path, differences: expected))"
        #expect(message.contains("configuration.training.weightDecay: checkpoint 0.0005, this run 0.0002"))
        #expect(ConfigurationFingerprint.differences(checkpoint: old, thisRun: old).isEmpty)
        #expect(ConfigurationFingerprint.differences(checkpoint: "a=1", thisRun: new).map(\.field) == ["configuration"])
    }
}

/// A JSON value for building fingerprints in tests.
private enum AnyCodable: Encodable, ExpressibleByFloatLiteral, ExpressibleByStringLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral {
    case number(Double), text(String), array([Int]), object([String: AnyCodable])
    init(floatLiteral value: Double) { self = .number(value) }
    init(stringLiteral value: String) { self = .text(value) }
    init(arrayLiteral elements: Int...) { self = .array(elements) }
    init(dictionaryLiteral elements: (String, AnyCodable)...) {
        self = .object(Dictionary(uniqueKeysWithValues: elements))
    }
    func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case let .number(x): try container.encode(x)
        case let .text(s): try container.encode(s)
        case let .array(xs): try container.encode(xs)
        case let .object(o): try container.encode(o)
        }
    }
}
