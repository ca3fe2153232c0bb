import Foundation

/// Runs the project's PyTorch reference (`benchmarks/torch_odenet.py`: the same architecture,
/// channels_last, the same batch and threads) in a child process and reads its JSON.
struct PyTorchReference {
    struct Figures: Codable {
        struct Mode: Codable {
            var median_step_s: Double
            var images_per_s: Double
        }
        var torch_version: String
        var threads: Int
        var steps_per_stage: Int
        var forward_macs_per_image: Int
        var modes: [String: Mode]
    }

    enum Availability {
        case available(script: URL)
        case unavailable(reason: String)
    }

    /// The interpreters to try, in order; the first that imports torch is used (Debian's
    /// `python3-torch` lives under /usr/bin/python3, which may not be the `python3` on PATH).
    let pythonCandidates: [String]
    private(set) var python: String

    init(python: String?) {
        pythonCandidates = python.map { [$0] } ?? ["python3", "/usr/bin/python3"]
        self.python = pythonCandidates[0]
    }

    /// Whether an interpreter imports torch and the script can be found; picks that interpreter.
    ///
    /// An explicit `script` is the only candidate (no silent fallback to the bundled one).
    ///
    /// - Throws: `BenchError.referenceScriptNotFound` when an explicit `script` is not a file.
    mutating func availability(script: String?) throws -> Availability {
        if let script {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: script, isDirectory: &isDirectory), !isDirectory.boolValue
            else { throw BenchError.referenceScriptNotFound(script) }
        }
        let candidates = script.map { [$0] } ?? RepositoryFiles.candidates("benchmarks/torch_odenet.py").map(\.path)
        guard let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            return .unavailable(reason: "the reference script was not found (tried \(candidates.joined(separator: ", ")))")
        }
        guard let interpreter = pythonCandidates.first(where: { (try? run([$0, "-c", "import torch"]).status) == 0 })
        else {
            return .unavailable(reason: "PyTorch is not importable by \(pythonCandidates.joined(separator: " or ")): "
                                + "`apt-get install python3-torch` (Debian) adds it, then the bench prints ours/PyTorch ratios")
        }
        python = interpreter
        return .available(script: URL(fileURLWithPath: found))
    }

    func measure(script: URL, stepsPerStage: Int, batch: Int, threads: Int, warmup: Int, steps: Int) throws -> Figures {
        let (status, output, errors) = try run([python, script.path, "--steps-per-stage", "\(stepsPerStage)",
                                                "--batch", "\(batch)", "--threads", "\(threads)",
                                                "--warmup", "\(warmup)", "--steps", "\(steps)"])
        guard status == 0 else {
            throw BenchError.referenceFailed("\(script.path) exited with \(status): \(errors.suffix(500))")
        }
        guard let line = output.split(separator: "\n").last,
              let figures = try? JSONDecoder().decode(Figures.self, from: Data(line.utf8)) else {
            throw BenchError.referenceOutputNotJSON(script: script.path, output: String(output.prefix(200)))
        }
        return figures
    }

    private func run(_ arguments: [String]) throws -> (status: Int32, output: String, errors: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self), String(decoding: errors, as: UTF8.self))
    }
}

/// Failures of `mlresnet bench` outside the library.
enum BenchError: Error, CustomStringConvertible {
    /// The reference script exited with a non-zero status (message: script, status, stderr tail).
    case referenceFailed(String)
    /// An explicit `--reference-script` that does not exist or is not a file.
    case referenceScriptNotFound(String)
    /// The reference's last stdout line is not the expected JSON object (first 200 characters).
    case referenceOutputNotJSON(script: String, output: String)

    var description: String {
        switch self {
        case .referenceFailed(let message): return "PyTorch reference failed: \(message)"
        case .referenceScriptNotFound(let path):
            return "--reference-script \(path): no such file (an explicit script is never replaced by the bundled one)"
        case .referenceOutputNotJSON(let script, let output):
            return "PyTorch reference \(script) did not print the expected JSON object on its last line; "
                + "its output begins: \(output.debugDescription)"
        }
    }
}
