import Foundation

/// Runs a test of this test bundle again in a child process (for settings that must hold before
/// the first kernel is created, such as `ONEDNN_MAX_CPU_ISA`).
enum TestProcess {
    /// Runs the test binary that is running now with `--testing-library swift-testing --filter name`
    /// and `environment` added to this process's environment.
    ///
    /// - Returns: the exit status and standard output + error.
    static func rerunThisTest(named name: String, environment: [String: String]) throws
        -> (status: Int32, output: String)
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
        process.arguments = ["--testing-library", "swift-testing", "--filter", name]
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = FileManager.default.temporaryDirectory
            .appendingPathComponent("mlresnet-child-\(UUID().uuidString).log")
        FileManager.default.createFile(atPath: output.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: output) }
        let handle = try FileHandle(forWritingTo: output)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        process.waitUntilExit()
        try handle.close()
        return (process.terminationStatus, (try? String(contentsOf: output, encoding: .utf8)) ?? "")
    }
}
