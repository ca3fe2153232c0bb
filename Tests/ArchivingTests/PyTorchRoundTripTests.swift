import Autodiff
import Foundation
import HDF5Storage
import Integrators
import ODENet
import TensorCore
import Testing
@testable import Archiving

/// The Python package (`python/mlresnet`) loads level archives into PyTorch and reproduces the Swift
/// logits: forward Euler, rk4Classic and a mixed per-stage network, each with two levels whose
/// indices sort differently as text ("10" < "2") and as numbers.
///
/// The networks have 7×6×3 inputs (non-square, several channels: a transposed layout or a wrong
/// NHWC → NCHW permutation changes the logits), channels [4, 8, 8] (two stride-2 connectors, odd
/// sizes 7 → 4 → 2 and 6 → 3 → 2), T = 1.5, every convolution drawn afresh (steps differ, so a
/// step order mixed up changes the logits) and every batch norm's γ, β, running mean and variance
/// drawn at random (a swapped or missing statistic changes the logits).
@Suite("PyTorch reproduces archived levels (python/mlresnet)")
struct PyTorchRoundTripTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let batch = 5
    static let inputShape = [7, 6, 3]

    /// The relative tolerance on the logits: max |Δ| / max |logit| per level.
    static let tolerance = 1e-4

    /// The archives: a name and the method of every stage.
    static let cases: [(name: String, methods: [IntegratorKind])] = [
        ("forwardEuler", [.forwardEuler]), ("rk4Classic", [.rk4Classic]),
        ("mixed", [.rk4Classic, .forwardEuler, .heun]),
    ]

    /// Levels 10 (N = 1) and 2 (N = 2, refined, h halved) with random convolutions (every step its own)
    /// and random batch norms.
    static func levels(_ methods: [IntegratorKind], seed: UInt64) throws -> [ArchivedLevel] {
        let spec = try ODENetSpec(inputShape: inputShape, classCount: 5, stageChannels: [4, 8, 8], stepCount: 1,
                                  finalTime: 1.5, integrators: methods.map(\.integrator))
        var generator = Xoshiro256StarStar(seed: seed)
        let coarse = try ODENetwork(spec: spec, seed: seed)
        let fine = try coarse.refined(by: .piecewiseConstant, rule: .halve)
        for network in [coarse, fine] {
            for parameter in network.parameters where parameter.shape.count == 4 {  // every convolution
                let shape = parameter.shape
                parameter.value = try .heNormal(shape: shape, fanIn: shape[1] * shape[2] * shape[3], generator: &generator)
            }
            for norm in network.batchNorms {
                let shape = [norm.channels]
                norm.scale.value = try .randomUniform(shape: shape, lower: 0.5, upper: 1.5, generator: &generator)
                norm.shift.value = try .randomNormal(shape: shape, standardDeviation: 0.2, generator: &generator)
                norm.runningMean = try .randomNormal(shape: shape, standardDeviation: 0.2, generator: &generator)
                norm.runningVariance = try .randomUniform(shape: shape, lower: 0.5, upper: 2, generator: &generator)
            }
        }
        return [ArchivedLevel(index: 10, network: coarse, cycle: 0, epochs: 1),
                ArchivedLevel(index: 2, network: fine, cycle: 1, epochs: 1)]
    }

    /// `/run` as a training run writes it: flattened fields and the whole configuration as JSON text.
    static let metadata = ArchiveMetadata(
        dataset: "digits", seed: 42, commandLine: ["mlresnet", "train"], prolongation: .linear, stepRule: .halve,
        extra: ["configuration": .string(#"{"network":{"stageChannels":[4,8,8]},"seed":42}"#),
                "network.stageChannels": .int64Array([4, 8, 8])])

    /// Loads each archive with `mlresnet.load_archive`, runs `to_torch(level)` on the inputs and prints,
    /// per archive, the level order, N, the methods and the relative error of every level's logits; then
    /// checks that a method that is not a tableau is read and refused by `to_torch`, that a damaged
    /// dataset and a file that is not HDF5 are named, and that a `t_edges` dataset, when a stage has
    /// one, gives the step edges and start times (θ(t) follows them).
    static let script = """
        import json, shutil, sys, h5py, numpy as np, torch
        from mlresnet import ArchiveError, MethodKind, UnsupportedMethodError, load_archive, to_torch
        expected = h5py.File(sys.argv[1], "r")
        x = torch.from_numpy(expected["input"][()]).permute(0, 3, 1, 2)
        report = {}
        for name, path in zip(sys.argv[3::2], sys.argv[4::2]):
            archive = load_archive(path)
            entry = {"levels": [l.index for l in archive.levels], "N": [l.N for l in archive.levels],
                     "methods": [m.name for m in archive.methods], "errors": {}, "absolute": {},
                     "configurationChannels": archive.configuration["network"]["stageChannels"],
                     "configurationSeed": archive.configuration["seed"],
                     "runChannels": archive.run["network.stageChannels"].tolist(),
                     "timesAreStepStarts": all(np.array_equal(s.t, np.arange(l.N) * l.h) and s.t_edges[-1] == l.T
                                               for l in archive.levels for s in l.stages)}
            for level in archive.levels:
                model = to_torch(level)
                assert not model.training
                with torch.no_grad():
                    logits = model(x).numpy()
                reference = expected[f"{name}.level{level.index}"][()]
                entry["errors"][str(level.index)] = float(np.max(np.abs(logits - reference)) / np.max(np.abs(reference)))
                entry["absolute"][str(level.index)] = float(np.max(np.abs(reference)))
            report[name] = entry
        kind = load_archive(sys.argv[2])
        method = kind.methods[0]
        assert isinstance(method, MethodKind) and method.kind == "lmResNet" and method.parameters == (0.25,), method
        assert kind.methods[1].name == "heun" and kind.configuration is None
        try:
            to_torch(kind.finest)
            raise SystemExit("to_torch accepted a method that is not a tableau")
        except UnsupportedMethodError as error:
            assert error.stage == 0 and "lmResNet" in str(error), str(error)
        def refused(path, what, expected):
            # load_archive must raise ArchiveError, and the error must be the expected one.
            try:
                load_archive(path)
            except ArchiveError as error:
                assert expected(error), str(error)
                return
            raise SystemExit(what)
        def unsealed(source, suffix):
            # A copy without the seal's magic: h5py edits reach the checks behind the seal.
            copy = source + suffix
            shutil.copy(source, copy)
            with open(copy, "r+b") as f:
                f.write(bytes(8))
            return copy
        flipped = sys.argv[4] + ".flipped.h5"
        shutil.copy(sys.argv[4], flipped)
        data = bytearray(open(flipped, "rb").read())
        data[2230] ^= 0xFF  # inside the HDF5 metadata, where libhdf5 can crash on damage
        open(flipped, "wb").write(bytes(data))
        refused(flipped, "a sealed file with a flipped byte was read", lambda error: error.object == "/" and "does not match its seal" in error.message)
        damaged = unsealed(sys.argv[4], ".damaged.h5")
        with h5py.File(damaged, "r+") as f:
            f["levels/2/stages/1/conv2.weight"][0, 0, 0, 0, 0] += 1
        refused(damaged, "a damaged dataset was read", lambda error: error.object == "/levels/2/stages/1/conv2.weight" and "checksum" in error.message)
        listed = unsealed(sys.argv[4], ".listed.h5")
        with h5py.File(listed, "r+") as f:
            f["level_index"][...] = [10, 2]
        refused(listed, "a level_index that disagrees with levels was read", lambda error: error.object == "/level_index")
        with open(damaged, "wb") as f:
            f.write(b"not HDF5")
        refused(damaged, "a file that is not HDF5 was read", lambda error: error.object == "/" and "not an HDF5 file" in error.message)
        edges = unsealed(sys.argv[4], ".edges.h5")
        with h5py.File(edges, "r+") as f:
            del f["levels/2/stages/0/t_edges"]  # the writer's own edges (0, 0.5, 1): replaced by uneven ones
            f["levels/2/stages/0/t_edges"] = np.array([0.0, 0.5, 1.5])
        stage = load_archive(edges).level(2).stages[0]
        assert stage.t_edges.tolist() == [0.0, 0.5, 1.5] and stage.t.tolist() == [0.0, 0.5], (stage.t_edges, stage.t)
        assert stage.theta_at_time(0.6)["conv1.weight"].tolist() == stage.theta["conv1.weight"][1].tolist()
        print(json.dumps(report))
        """

    struct Entry: Decodable {
        var levels: [Int]
        var N: [Int]
        var methods: [String]
        var errors: [String: Double]
        var absolute: [String: Double]
        var configurationChannels: [Int]
        var configurationSeed: Int
        var runChannels: [Int]
        var timesAreStepStarts: Bool
    }

    @Test("to_torch reproduces the Swift logits (forward Euler, rk4Classic, mixed) and load_archive orders ℓ numerically")
    func logitsAgree() throws {
        let torch = try Fixture.runPython("import torch, h5py, numpy")
        guard torch.status == 0 else {
            Issue.record("""
                PyTorch, h5py or numpy is not importable by /usr/bin/python3 (Debian: apt-get install \
                python3-torch python3-h5py python3-numpy; scripts/setup installs them): \(torch.output.suffix(500))
                """)
            return
        }
        let folder = try Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var generator = Xoshiro256StarStar(seed: 99)
        let input = try Tensor.randomNormal(shape: [Self.batch] + Self.inputShape, standardDeviation: 1,
                                            generator: &generator)
        let expectedPath = folder.appendingPathComponent("expected.h5").path
        let expected = try HDF5File.create(at: expectedPath)
        try expected.root.write(input.elements, shape: input.shape, to: "input")
        var arguments = [expectedPath, folder.appendingPathComponent("kind.h5").path]
        for (n, (name, methods)) in Self.cases.enumerated() {
            let levels = try Self.levels(methods, seed: UInt64(n + 1))
            let path = folder.appendingPathComponent("\(name).h5").path
            try LevelArchive.write(levels: levels, metadata: Self.metadata, to: path)
            for level in levels {
                let logits = try Fixture.logits(level.network, input)
                try expected.root.write(logits, shape: [Self.batch, 5], to: "\(name).level\(level.index)")
            }
            arguments += [name, path]
        }
        try expected.close()
        let kindSpec = try ODENetSpec(inputShape: [8, 8, 1], classCount: 3, stageChannels: [8, 16], stepCount: 2,
                                      finalTime: 1, integrators: [FixedLMResNet(k: 0.25), IntegratorKind.heun.method])
        try LevelArchive.write(levels: [ArchivedLevel(index: 0, network: ODENetwork(spec: kindSpec, seed: 3))],
                               metadata: Fixture.metadata, to: arguments[1])

        let python = Self.repositoryRoot.appendingPathComponent("python").path
        let (status, output) = try Fixture.runPython(Self.script, arguments, environment: ["PYTHONPATH": python])
        try #require(status == 0, "python3 said: \(output.suffix(2000))")
        let line = try #require(output.split(separator: "\n").last)
        let report = try JSONDecoder().decode([String: Entry].self, from: Data(line.utf8))
        for (name, methods) in Self.cases {
            let entry = try #require(report[name])
            #expect(entry.levels == [2, 10], "\(name): levels in the order \(entry.levels)")
            #expect(entry.N == [2, 1], "\(name)")
            let names = (methods.count == 1 ? Array(repeating: methods[0], count: 3) : methods).map(\.tableau.name)
            #expect(entry.methods == names, "\(name)")
            #expect(entry.configurationChannels == [4, 8, 8] && entry.configurationSeed == 42, "\(name)")
            #expect(entry.runChannels == [4, 8, 8], "\(name)")
            #expect(entry.timesAreStepStarts, "\(name): stage t differs from n h, or t_edges does not end at T")
            for (level, error) in entry.errors.sorted(by: { $0.key < $1.key }) {
                print("PyTorch round trip: \(name) level \(level): max |Δlogit| / max |logit| = \(error) "
                      + "(max |logit| \(entry.absolute[level] ?? .nan))")
                #expect(error <= Self.tolerance, "\(name) level \(level): relative error \(error)")
            }
            #expect(entry.errors.count == 2)
        }
    }
}
