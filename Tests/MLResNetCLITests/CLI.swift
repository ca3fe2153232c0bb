import Archiving
import Foundation
import Training

/// Runs the `mlresnet` binary of this build as a subprocess, by default in the repository root.
/// `MLRESNET_BINARY` names another binary (e.g. an older build, to see
/// a test fail without the fix).
enum CLI {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The binary: `MLRESNET_BINARY`, else `mlresnet` beside the test bundle, else `.build/debug/mlresnet`.
    static var binary: URL {
        if let path = ProcessInfo.processInfo.environment["MLRESNET_BINARY"] { return URL(fileURLWithPath: path) }
        let beside = Bundle.main.executableURL?.deletingLastPathComponent().appendingPathComponent("mlresnet")
        if let beside, FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        return repositoryRoot.appendingPathComponent(".build/debug/mlresnet")
    }

    /// The tiny settings of every run here: digits, one stage of 4 channels, N = 1 → 2, 1 thread.
    static let tiny = ["--channels", "4", "--schedule", "1,2", "--threads", "1", "--progress", "silent"]

    struct Outcome {
        var status: Int32
        var output: String
        var errors: String
    }

    /// Starts `mlresnet arguments…` (or another `executable`) in the repository root (or `folder`),
    /// with this process's environment plus `environment`; the pipes are read by `finish`.
    static func start(_ arguments: [String], executable: URL? = nil, in folder: URL? = nil,
                      environment: [String: String] = [:]) throws -> (Process, Pipe, Pipe) {
        let process = Process()
        process.executableURL = executable ?? binary
        process.arguments = arguments
        process.currentDirectoryURL = folder ?? repositoryRoot
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, given in given }
        }
        let (output, errors) = (Pipe(), Pipe())
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        return (process, output, errors)
    }

    /// Waits for a started process and collects its output.
    static func finish(_ started: (Process, Pipe, Pipe)) -> Outcome {
        let (process, output, errors) = started
        // Read both pipes concurrently enough for tiny runs: stderr is short.
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, output: String(decoding: out, as: UTF8.self),
                       errors: String(decoding: err, as: UTF8.self))
    }

    /// Runs `mlresnet arguments…` in `folder` to the end.
    static func run(_ arguments: [String], in folder: URL = repositoryRoot) throws -> Outcome {
        finish(try start(arguments, in: folder))
    }

    static func temporaryFolder() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("cli-tests-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// The `state` of `<folder>/status.json`, or nil when there is none.
    static func state(_ folder: URL) -> String? {
        guard let data = try? Data(contentsOf: folder.appendingPathComponent("status.json")),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        return object["state"] as? String
    }

    /// Waits (up to `seconds`) until `condition` holds.
    static func wait(seconds: Double, until condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            usleep(20_000)
        }
        return condition()
    }

    /// A results.json without its wall-clock fields (seconds, savings measured from them): what
    /// two runs of one configuration share exactly.
    static func numbers(_ results: URL) throws -> NSDictionary {
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: results))
        func strip(_ value: Any) -> Any {
            if let dictionary = value as? [String: Any] {
                var kept: [String: Any] = [:]
                for (key, item) in dictionary where !key.lowercased().contains("seconds") && key != "timeSavedVersusFull"
                    && key != "imagesPerSecond" {
                    kept[key] = strip(item)
                }
                return kept
            }
            if let array = value as? [Any] { return array.map(strip) }
            return value
        }
        return NSDictionary(dictionary: strip(object) as? [String: Any] ?? [:])
    }

    /// Every level's tensors of two level archives are bit for bit equal (and their levels agree).
    static func identicalArchives(_ a: URL, _ b: URL) throws -> Bool {
        let (x, y) = (try LevelArchive.read(from: a.path), try LevelArchive.read(from: b.path))
        guard x.levels.map(\.index) == y.levels.map(\.index) else { return false }
        for (p, q) in zip(x.levels, y.levels) {
            guard p.epochs == q.epochs, p.testAccuracy.bitPattern == q.testAccuracy.bitPattern else { return false }
            let (s, t) = (p.network.namedTensors(), q.network.namedTensors())
            guard Set(s.keys) == Set(t.keys) else { return false }
            for (name, tensor) in s {
                guard let other = t[name], other.shape == tensor.shape,
                      zip(tensor.elements, other.elements).allSatisfy({ $0.bitPattern == $1.bitPattern }) else { return false }
            }
        }
        return true
    }
}
