import Archiving
import Autodiff
import Foundation
import TensorCore
import Testing
import Training

/// The README's "From Python / PyTorch" path on a real run: `mlresnet train` writes `levels.h5`, the
/// Python package (`PYTHONPATH=python`) reads it, its configuration and its levels, and `to_torch`
/// reproduces the logits of the Swift network read from the same file.
@Suite("mlresnet train → python/mlresnet")
struct PythonPackageCommandTests {
    /// `load_archive` + `to_torch` on every level; prints the level order, the configuration as JSON
    /// and every level's logits for the inputs `sin(0.37 i)` (float32, NHWC order).
    static let script = """
        import json, sys, numpy as np, torch
        from mlresnet import load_archive, to_torch
        archive = load_archive(sys.argv[1])
        level = archive.finest
        H, W, C = level.input_shape
        x = np.sin(0.37 * np.arange(int(sys.argv[2]) * H * W * C)).astype(np.float32).reshape(-1, H, W, C)
        logits = {}
        for level in archive.levels:
            with torch.no_grad():
                logits[str(level.index)] = to_torch(level)(torch.from_numpy(x).permute(0, 3, 1, 2)).numpy().ravel().tolist()
        print(json.dumps({"levels": [l.index for l in archive.levels], "N": [l.N for l in archive.levels],
                          "configuration": json.dumps(archive.configuration), "logits": logits}))
        """

    struct Report: Decodable {
        var levels: [Int]
        var N: [Int]
        var configuration: String
        var logits: [String: [Float]]
    }

    @Test("a trained archive loads in Python with its configuration, and PyTorch gives the Swift logits")
    func trainedArchiveInPyTorch() throws {
        let folder = CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try CLI.run(["train"] + CLI.tiny + ["--epochs", "2", "--output", folder.path])
        try #require(run.status == 0, "\(run.errors)")
        let path = folder.appendingPathComponent("levels.h5").path
        let archive = try LevelArchive.read(from: path)

        let batch = 3
        let python = CLI.finish(try CLI.start(
            ["-c", Self.script, path, "\(batch)"], executable: URL(fileURLWithPath: "/usr/bin/python3"),
            environment: ["PYTHONPATH": CLI.repositoryRoot.appendingPathComponent("python").path]))
        try #require(python.status == 0, """
            /usr/bin/python3 failed (PyTorch, h5py and numpy are needed: scripts/setup installs \
            python3-torch python3-h5py python3-numpy): \(python.errors.suffix(2000))
            """)
        let report = try JSONDecoder().decode(Report.self, from: Data(python.output.utf8))

        #expect(report.levels == archive.levels.map(\.index))
        #expect(report.N == archive.levels.map(\.network.spec.stepCount))
        let recorded = try #require(try RunConfiguration(archiveMetadata: archive.metadata))
        #expect(try JSONDecoder().decode(RunConfiguration.self, from: Data(report.configuration.utf8)) == recorded)

        for level in archive.levels {
            let spec = level.network.spec
            let shape = [batch, spec.inputHeight, spec.inputWidth, spec.inputChannels]
            let count = shape.reduce(1, *)
            let input = try Tensor(shape: shape, elements: (0..<count).map { Float(sin(0.37 * Double($0))) })
            let swift = try level.network.forward(input, on: Tape(recording: false), mode: .evaluation).value.elements
            let torch = try #require(report.logits["\(level.index)"])
            try #require(torch.count == swift.count)
            let scale = swift.map { abs($0) }.max() ?? 0
            let error = zip(torch, swift).map { abs($0 - $1) }.max() ?? .infinity
            print("mlresnet train → PyTorch: level \(level.index) max |Δlogit| / max |logit| = \(error / scale)")
            #expect(scale > 0 && error <= 1e-4 * scale, "level \(level.index): \(error) against max |logit| \(scale)")
        }
    }
}
