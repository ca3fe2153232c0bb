import Foundation
import Testing

/// The `mlresnet` executable, run as a user runs it.
enum CommandLineTool {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// `.build/debug/mlresnet` — through the `debug` symbolic link, as a user types it.
    static let executable = repositoryRoot.appendingPathComponent(".build/debug/mlresnet")

    /// Runs the tool with `arguments` in `folder`; returns the exit status and standard output + error.
    static func run(_ arguments: [String], in folder: URL,
                    environment: [String: String] = [:]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = folder
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("mlresnet-cli-\(UUID().uuidString).log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: log) }
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        process.waitUntilExit()
        try handle.close()
        return (process.terminationStatus, (try? String(contentsOf: log, encoding: .utf8)) ?? "")
    }
}

@Suite("mlresnet bench")
struct BenchCommandTests {
    /// `bench` run from outside the repository found neither the reference script nor, through the
    /// `.build/debug` link, the repository (it resolved `.build/<triple>/debug/../..` = `.build`).
    @Test("finds benchmarks/torch_odenet.py when run from another folder")
    func findsReferenceScriptFromElsewhere() throws {
        #expect(FileManager.default.isExecutableFile(atPath: CommandLineTool.executable.path))
        let elsewhere = FileManager.default.temporaryDirectory
        let (status, output) = try CommandLineTool.run(
            ["bench", "--steps-per-stage", "1", "--batch-size", "1", "--steps", "10", "--warmup", "1", "--threads", "1"],
            in: elsewhere)
        #expect(status == 0, "\(output.suffix(1000))")
        #expect(!output.contains("reference script was not found"), "\(output.suffix(1000))")
        #expect(output.contains("PyTorch"), "\(output.suffix(1000))")
    }
}
