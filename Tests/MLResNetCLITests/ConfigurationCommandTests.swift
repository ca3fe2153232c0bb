import Archiving
import Foundation
import Testing
import Training

/// Issue 13, item 4: one resolved configuration, the same defaults in the library and the CLI,
/// recorded in full (config.json, results.json, /run), and `--config` reproducing a run; item 5:
/// every enumeration's error lists its valid values.
@Suite("The recorded configuration from the command line", .serialized)
struct ConfigurationCommandTests {
    private let tiny = ["--channels", "4,8", "--schedule", "1,2", "--epochs", "2", "--threads", "1",
                        "--progress", "silent"]

    private func remove(_ folder: URL) { try? FileManager.default.removeItem(at: folder) }

    /// Every stored property of `value`, as dotted paths: structs are entered (an optional one when
    /// it holds a value), anything else (numbers, strings, enums, arrays, sets, `nil`) is a leaf.
    private func storedPaths(_ value: Any, prefix: String = "") -> Set<String> {
        var paths = Set<String>()
        for child in Mirror(reflecting: value).children {
            guard let label = child.label else { continue }
            let path = prefix.isEmpty ? label : "\(prefix).\(label)"
            var inner = child.value
            let mirror = Mirror(reflecting: inner)
            if mirror.displayStyle == .optional, let wrapped = mirror.children.first?.value { inner = wrapped }
            if Mirror(reflecting: inner).displayStyle == .struct, !(inner is String), !(inner is any Collection) {
                paths.formUnion(storedPaths(inner, prefix: path))
            } else {
                paths.insert(path)
            }
        }
        return paths
    }

    /// The dotted keys of a JSON object, leaves only (an object with no members is a leaf).
    private func jsonKeys(_ value: Any, prefix: String = "") -> Set<String> {
        guard let object = value as? [String: Any], !object.isEmpty else { return [prefix] }
        var keys = Set<String>()
        for (key, child) in object { keys.formUnion(jsonKeys(child, prefix: prefix.isEmpty ? key : "\(prefix).\(key)")) }
        return keys
    }

    private func json(_ url: URL) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    }

    /// `mlresnet <command> --print-config`'s file with `edit` applied to its `configuration.comparison`
    /// object, written to `file`.
    private func editedConfiguration(_ command: String = "train", to file: URL,
                                     _ edit: (inout [String: Any]) throws -> Void) throws {
        let printed = try CLI.run([command, "--print-config"])
        var object = try #require(try JSONSerialization.jsonObject(with: Data(printed.output.utf8)) as? [String: Any])
        var configuration = try #require(object["configuration"] as? [String: Any])
        var comparison = try #require(configuration["comparison"] as? [String: Any])
        try edit(&comparison)
        configuration["comparison"] = comparison
        object["configuration"] = configuration
        try JSONSerialization.data(withJSONObject: object).write(to: file)
    }

    @Test("compare --print-config without options equals the library's default RunConfiguration; train's runs only its run")
    func defaultsAgree() throws {
        let trained = try CLI.run(["train", "--print-config"])
        #expect(trained.status == 0, "\(trained.errors)")
        let trainedObject = try JSONSerialization.jsonObject(with: Data(trained.output.utf8)) as? [String: Any]
        let trainedRuns = ((trainedObject?["configuration"] as? [String: Any])?["comparison"] as? [String: Any])?["runs"]
        #expect(trainedRuns as? [String] == ["multilevel"], "train records the one run it trains")
        let printed = try CLI.run(["compare", "--print-config"])
        #expect(printed.status == 0, "\(printed.errors)")
        let file = CLI.temporaryFolder().appendingPathComponent("config.json")
        defer { remove(file.deletingLastPathComponent()) }
        try Data(printed.output.utf8).write(to: file)
        let cli = try RunConfiguration.read(from: file)
        // The library's defaults, resolved the same way (the digits' standard augmentation is none).
        let library = try RunConfiguration().resolved()
        #expect(cli == library, "CLI \(cli) vs library \(library)")
    }

    @Test("config.json, results.json and every archive's /run hold every field of the configuration")
    func everyFieldRecorded() throws {
        let folder = CLI.temporaryFolder()
        defer { remove(folder) }
        let run = try CLI.run(["compare"] + tiny + ["--output", folder.path, "--overwrite"])
        #expect(run.status == 0, "\(run.errors)")
        let config = try json(folder.appendingPathComponent("config.json"))
        let configuration = try #require(config["configuration"])
        let expected = jsonKeys(configuration)
        // Every stored property is in the JSON (nil ones as null): the encoder leaves none out.
        let decoded = try RunConfiguration.read(from: folder.appendingPathComponent("config.json"))
        // An enumeration with values (the dataset source) is a leaf here and an object in JSON.
        let missing = storedPaths(decoded).filter { path in !expected.contains { $0 == path || $0.hasPrefix(path + ".") } }
        #expect(missing.isEmpty, "fields missing from config.json: \(missing.sorted())")
        let results = try json(folder.appendingPathComponent("results.json"))
        #expect(jsonKeys(try #require(results["configuration"])) == expected)
        // The environment: library version, threads, oneDNN's ISA, BLAS — in all three records.
        let environment = jsonKeys(try #require(config["environment"]))
        #expect(environment.isSuperset(of: ["libraryVersion", "threadCount", "instructionSet", "blas", "blasConfiguration"]))
        #expect(jsonKeys(try #require(results["environment"])) == environment)
        let environmentAttributes = Set(environment.map { "\(RunConfiguration.environmentPrefix).\($0)" })
        for name in ["full.h5", "multilevel.h5", "naive.h5"] {
            let archive = try LevelArchive.read(from: folder.appendingPathComponent(name).path)
            let attributes = Set(archive.metadata.extra.keys).subtracting([RunConfiguration.archiveAttribute])
            #expect(attributes.isSuperset(of: environmentAttributes), "\(name): /run lacks the environment")
            let fields = attributes.subtracting(environmentAttributes)
            #expect(fields == expected, "\(name): /run differs: \(fields.symmetricDifference(expected).sorted())")
            #expect(try RunConfiguration(archiveMetadata: archive.metadata) == decoded, "\(name): the JSON text reads back")
        }
    }

    @Test("A run's own config.json given to --config reproduces the run bit for bit (1 thread)")
    func configReproducesRun() throws {
        let parent = CLI.temporaryFolder()
        defer { remove(parent) }
        let first = parent.appendingPathComponent("first"), second = parent.appendingPathComponent("second")
        let a = try CLI.run(["train"] + tiny + ["--seed", "7", "--momentum", "0.8", "--no-decay", "norm",
                                                "--output", first.path])
        #expect(a.status == 0, "\(a.errors)")
        let b = try CLI.run(["train", "--config", first.appendingPathComponent("config.json").path, "--progress", "silent",
                             "--output", second.path])
        #expect(b.status == 0, "\(b.errors)")
        #expect(try Data(contentsOf: first.appendingPathComponent("config.json"))
                == Data(contentsOf: second.appendingPathComponent("config.json")))
        let x = try LevelArchive.read(from: first.appendingPathComponent("levels.h5").path)
        let y = try LevelArchive.read(from: second.appendingPathComponent("levels.h5").path)
        #expect(x.levels.count == 2 && x.levels.count == y.levels.count)
        for (p, q) in zip(x.levels, y.levels) {
            let left = p.network.namedTensors(), right = q.network.namedTensors()
            #expect(left.count > 0 && Set(left.keys) == Set(right.keys))
            for (name, t) in left {
                #expect(t.elements.map(\.bitPattern) == right[name]?.elements.map(\.bitPattern), "level \(p.index) \(name) differs")
            }
        }
        // An option beside --config overrides its field, and only that one.
        let printed = try CLI.run(["train", "--config", first.appendingPathComponent("config.json").path,
                                   "--batch-size", "5", "--print-config"])
        #expect(printed.status == 0, "\(printed.errors)")
        let file = parent.appendingPathComponent("printed.json")
        try Data(printed.output.utf8).write(to: file)
        var expected = try RunConfiguration.read(from: first.appendingPathComponent("config.json"))
        expected.comparison.training.batchSize = 5
        #expect(try RunConfiguration.read(from: file) == expected)
        // --print-config only prints: a full --output folder is neither refused nor touched.
        let held = try FileManager.default.contentsOfDirectory(atPath: first.path).sorted()
        let beside = try CLI.run(["train", "--config", first.appendingPathComponent("config.json").path,
                                  "--output", first.path, "--print-config"])
        #expect(beside.status == 0, "\(beside.errors)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: first.path).sorted() == held)
    }

    @Test("A configuration file with a missing or mistyped field is refused, naming the file and the field")
    func badConfigurationFile() throws {
        let folder = CLI.temporaryFolder()
        defer { remove(folder) }
        let file = folder.appendingPathComponent("bad.json")
        try editedConfiguration(to: file) { $0["epochs"] = "sixteen" }
        let bad = try CLI.run(["train", "--config", file.path, "--output", folder.appendingPathComponent("run").path])
        #expect(bad.status == 64, "\(bad.status) \(bad.errors)")
        #expect(bad.errors.contains(file.path) && bad.errors.contains("comparison.epochs"), "\(bad.errors)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("run").path))
        let missing = try CLI.run(["train", "--config", folder.appendingPathComponent("absent.json").path])
        #expect(missing.status == 64 && missing.errors.contains("absent.json"), "\(missing.errors)")
    }

    @Test("Every enumeration option's error lists its valid values (exit 64)", arguments: [
        ("--integrator", ["forwardEuler", "rk4Classic", "dormandPrince54"]),
        ("--prolongation", ["piecewiseConstant", "linear", "cubicSpline"]),
        ("--momentum-policy", ["transfer", "reset"]),
        ("--run", ["full", "multilevel", "naive", "shallow"]),
        ("--progress", ["automatic", "bar", "lines", "silent"]),
        ("--dataset", ["digits", "fashion-mnist", "idx:", "cifar10:"]),
        ("--no-decay", ["norm", "bias"]),
    ])
    func enumerationErrors(option: String, valid: [String]) throws {
        let bad = try CLI.run(["train", option, "bogus"])
        #expect(bad.status == 64, "\(bad.status)")
        for value in valid { #expect(bad.errors.contains(value), "\(option): '\(value)' not listed in \(bad.errors)") }
    }

    @Test("--json - leaves standard output to the JSON alone (text goes to standard error)", arguments: [
        ["train", "--channels", "4", "--schedule", "1,2", "--epochs", "2", "--threads", "1"],
        ["compare", "--channels", "4", "--schedule", "1,2", "--epochs", "2", "--threads", "1"],
        ["convergence"],
    ])
    func jsonToStandardOutput(arguments: [String]) throws {
        let folder = CLI.temporaryFolder()
        defer { remove(folder) }
        let output = arguments[0] == "convergence" ? [] : ["--output", folder.appendingPathComponent("run").path]
        let run = try CLI.run(arguments + output + ["--json", "-"])
        #expect(run.status == 0, "\(run.errors)")
        #expect((try? JSONSerialization.jsonObject(with: Data(run.output.utf8))) != nil,
                "standard output is one JSON document: \(run.output.prefix(300))")
        if arguments[0] != "convergence" { #expect(run.errors.contains("dataset:"), "the text went to standard error") }
    }

    @Test("/run attributes are typed by field: a real stays real at 0 and 1, nil is 'none'")
    func attributeTypes() throws {
        let folder = CLI.temporaryFolder()
        defer { remove(folder) }
        let run = try CLI.run(["train"] + tiny + ["--output", folder.path])
        #expect(run.status == 0, "\(run.errors)")
        let extra = try LevelArchive.read(from: folder.appendingPathComponent("levels.h5").path).metadata.extra
        #expect(extra["data.validationFraction"] == .double(0))
        #expect(extra["data.trainingSubset"] == .double(1))
        #expect(extra["comparison.finalTime"] == .double(1))
        #expect(extra["comparison.training.batchSize"] == .int64(32))
        #expect(extra["data.classes"] == .string("none"))
    }

    @Test("Misspelt fields and invalid combinations are usage errors before anything is written")
    func refusedBeforeWriting() throws {
        let folder = CLI.temporaryFolder()
        defer { remove(folder) }
        let file = folder.appendingPathComponent("typo.json")
        try editedConfiguration("compare", to: file) { comparison in
            var training = try #require(comparison["training"] as? [String: Any])
            training["batch_size"] = 16
            comparison["training"] = training
        }
        let output = folder.appendingPathComponent("run")
        let typo = try CLI.run(["compare", "--config", file.path, "--output", output.path])
        #expect(typo.status == 64 && typo.errors.contains("comparison.training.batch_size"), "\(typo.errors)")
        let twice = try CLI.run(["compare", "--runs", "full,full", "--output", output.path])
        #expect(twice.status == 64 && twice.errors.contains("runs"), "\(twice.errors)")
        let both = try CLI.run(["compare", "--integrators", "heun", "--integrator", "rk4Classic", "--output", output.path])
        #expect(both.status == 64, "\(both.errors)")
        #expect(!FileManager.default.fileExists(atPath: output.path), "nothing written")
    }

    @Test("--resume with a changed setting is refused before anything is touched; the record stays intact")
    func resumeWithChangedConfiguration() throws {
        let folder = CLI.temporaryFolder()
        defer { remove(folder) }
        let run = folder.appendingPathComponent("run")
        let first = try CLI.run(["train"] + tiny + ["--output", run.path])
        #expect(first.status == 0, "\(first.errors)")
        let record = try Data(contentsOf: run.appendingPathComponent("config.json"))
        let status = try Data(contentsOf: run.appendingPathComponent("status.json"))
        for changed in [["--lr-max", "0.05"], ["--threads", "2"]] {
            let resumed = try CLI.run(["train"] + tiny + changed + ["--output", run.path, "--resume"])
            #expect(resumed.status != 0)
            #expect(resumed.errors.contains("records another configuration"), "\(resumed.errors)")
            #expect(try Data(contentsOf: run.appendingPathComponent("config.json")) == record)
            #expect(try Data(contentsOf: run.appendingPathComponent("status.json")) == status)
        }
    }

    @Test("Bad values that used to fail after the folder was made are usage errors with nothing written", arguments: [
        ["train", "--dataset", "idx:a,b", "--classes", "1099511627776"],
        ["train", "--plateau", "0.01,2"],
        ["compare", "--seeds", "0"],
        ["compare", "--integrators", "heun,heun"],
        ["compare", "--runs", "naive,naive"],
        ["train", "--no-decay", "norm,norm"],
        ["train", "--recalibrate-bn=-1"],
        ["train", "--recalibrate-bn", "2", "--batch-size", "1"],
    ])
    func refusedEarly(arguments: [String]) throws {
        let folder = CLI.temporaryFolder()
        defer { remove(folder) }
        let output = folder.appendingPathComponent("run")
        let bad = try CLI.run(arguments + ["--output", output.path])
        #expect(bad.status == 64, "\(bad.status): \(bad.errors)")
        #expect(!FileManager.default.fileExists(atPath: output.path), "nothing written")
    }

    @Test("A configuration file's channels, T and padding are checked before anything is written",
          arguments: [("stageChannels", "[0]"), ("finalTime", "0"), ("stageChannels", "[]")])
    func fileValuesCheckedEarly(field: String, value: String) throws {
        let folder = CLI.temporaryFolder()
        defer { remove(folder) }
        let file = folder.appendingPathComponent("c.json")
        try editedConfiguration(to: file) {
            $0[field] = try JSONSerialization.jsonObject(with: Data(value.utf8), options: .fragmentsAllowed)
        }
        let output = folder.appendingPathComponent("run")
        let bad = try CLI.run(["train", "--config", file.path, "--output", output.path])
        #expect(bad.status == 64, "\(bad.status): \(bad.errors)")
        #expect(!FileManager.default.fileExists(atPath: output.path))
    }

    @Test("--json refuses a symbolic link and the run's own files (they would be replaced by the rename)")
    func jsonTargetsRefused() throws {
        let folder = CLI.temporaryFolder()
        defer { remove(folder) }
        let target = folder.appendingPathComponent("target.json")
        try Data("{}".utf8).write(to: target)
        let link = folder.appendingPathComponent("link.json")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: target)
        let viaLink = try CLI.run(["convergence", "--json", link.path])
        #expect(viaLink.status == 64 && viaLink.errors.contains("symbolic link"), "\(viaLink.errors)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link.path) == target.path)
        let run = folder.appendingPathComponent("run")
        let first = try CLI.run(["train"] + tiny + ["--output", run.path])
        #expect(first.status == 0, "\(first.errors)")
        let archive = try Data(contentsOf: run.appendingPathComponent("levels.h5"))
        let onto = try CLI.run(["train"] + tiny + ["--output", run.path, "--overwrite", "--json",
                                                   run.appendingPathComponent("levels.h5").path])
        #expect(onto.status == 64, "\(onto.errors)")
        #expect(try Data(contentsOf: run.appendingPathComponent("levels.h5")) == archive)
    }
}
