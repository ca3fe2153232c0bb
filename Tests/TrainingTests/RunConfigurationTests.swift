import Foundation
import Testing
import TensorCore
@testable import Training

/// Issue 13, item 4: the one resolved configuration of a run, its JSON file and its flattened
/// `/run` attributes; the typed dataset source of the command line.
@Suite("RunConfiguration")
struct RunConfigurationTests {
    @Test("DatasetSource parses every command-line form and prints it back",
          arguments: ["digits", "fashion-mnist", "idx:/a/images.gz,/b/labels", "cifar10:/data/cifar-10-batches-bin"])
    func datasetSourceRoundTrip(argument: String) throws {
        let source = try DatasetSource(argument: argument)
        #expect(source.description == argument)
        let data = try JSONEncoder().encode(source)
        #expect(try JSONDecoder().decode(DatasetSource.self, from: data) == source)
    }

    @Test("DatasetSource refuses malformed forms, naming the valid ones",
          arguments: ["mnist", "idx:a", "idx:a,b,c", "idx:,b", "cifar10:", "digits:x", "", "IDX:a,b"])
    func datasetSourceErrors(argument: String) {
        #expect {
            _ = try DatasetSource(argument: argument)
        } throws: { error in
            guard case let TrainingError.invalidConfiguration(name, value, expected) = error else { return false }
            return name == "dataset" && value == argument && !expected.isEmpty
        }
    }

    @Test("A relative idx path is recorded absolute")
    func absolutePaths() throws {
        let source = try DatasetSource(argument: "idx:images,sub/../labels").withAbsolutePaths
        guard case let .idx(images, labels) = source else { Issue.record("not idx"); return }
        let cwd = FileManager.default.currentDirectoryPath
        #expect(images == URL(fileURLWithPath: cwd).appendingPathComponent("images").path)
        #expect(labels == URL(fileURLWithPath: cwd).appendingPathComponent("labels").path)
    }

    @Test("resolved() writes out T (the coarsest N) and the paper's split; setSeed sets all three seeds")
    func resolution() throws {
        var configuration = RunConfiguration()
        configuration.comparison.stepCounts = [3, 6]
        configuration.comparison.epochs = 11
        configuration.setSeed(42)
        let resolved = try configuration.resolved()
        #expect(resolved.comparison.finalTime == 3)
        #expect(resolved.comparison.cycleEpochs == ComparisonPlan.paperSplit(epochs: 11, cycles: 2))
        #expect(resolved.data.seed == 42 && resolved.comparison.training.seed == 42 && resolved.comparison.networkSeed == 42)
        // The library's defaults are the command line's (issue 13: they used to differ).
        let defaults = RunConfiguration()
        #expect(defaults.comparison.training.batchSize == 32 && defaults.comparison.training.weightDecay == 5e-4)
        #expect(defaults.data.seed == 1 && defaults.comparison.training.seed == 1 && defaults.comparison.networkSeed == 1)
        #expect(defaults.threads == 1, "digits run on 1 thread by default")
    }

    @Test("The file round-trips every field; unset optionals are written as null")
    func fileRoundTrip() throws {
        var configuration = RunConfiguration(data: DataConfiguration(source: .idx(images: "/i", labels: "/l"), classes: 7))
        configuration.comparison.plateau = (0.01, 3)
        configuration.comparison.integrators = [.method(.heun), .method(.forwardEuler), .method(.rk4Classic)]
        configuration.comparison.runs = [.multilevel, .shallow]
        configuration.comparison.training.noDecay = [.bias]
        configuration.sweep = RunConfiguration.SweepSettings(seeds: 3, integrators: [.heun], equalEvaluations: true)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("runconfig-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("config.json")
        try configuration.fileData().write(to: url)
        #expect(try RunConfiguration.read(from: url) == configuration)

        let text = String(decoding: try RunConfiguration().fileData(), as: UTF8.self)
        for field in ["\"classes\" : null", "\"finalTime\" : null", "\"cycleEpochs\" : null", "\"plateauSettings\" : null",
                      "\"sweep\" : null", "\"noDecay\" : ["] {
            #expect(text.contains(field), "\(field) missing from \(text)")
        }
    }

    @Test("flattened() has one key per JSON leaf, typed for HDF5")
    func flattening() throws {
        var configuration = RunConfiguration()
        configuration.comparison.plateau = (0.5, 2)
        let flat = try configuration.flattened()
        #expect(flat["comparison.training.batchSize"] == .integer(32))
        #expect(flat["comparison.training.weightDecay"] == .real(5e-4))
        #expect(flat["comparison.stageChannels"] == .integers([8, 16, 32]))
        #expect(flat["comparison.runs"] == .texts(["full", "multilevel", "naive"]))
        #expect(flat["comparison.training.nesterov"] == .text("false"))
        #expect(flat["data.classes"] == .text("none"))
        #expect(flat["data.source.kind"] == .text("digits"))
        #expect(flat["comparison.plateauSettings.patience"] == .integer(2))
        #expect(flat["comparison.integrators"] == .text(#"[{"method":"forwardEuler"}]"#))
        let attributes = try configuration.archiveAttributes()
        #expect(Set(attributes.keys) == Set(flat.keys).union([RunConfiguration.archiveAttribute]))
    }

    @Test("A broken file is refused naming the file and the field",
          arguments: [("{", "not JSON"), (#"{"formatVersion":1}"#, "configuration"),
                      (#"{"formatVersion":99,"configuration":{}}"#, "format version 99"),
                      (#"{"formatVersion":0,"configuration":{}}"#, "format version 0"),
                      (#"{"formatVersion":-1,"configuration":{}}"#, "format version -1")])
    func brokenFiles(text: String, named: String) throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("broken-\(UUID().uuidString).json")
        try Data(text.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        #expect {
            _ = try RunConfiguration.read(from: url)
        } throws: { error in
            guard case let TrainingError.invalidConfigurationFile(path, message) = error else { return false }
            return path == url.path && message.contains(named)
        }
    }
}
