import Datasets  // SplitMix64, the project's seeded generator
import Foundation
import HDF5Storage

/// A fresh directory under the system temporary directory, removed on `deinit`.
final class TemporaryDirectory {
    let path: String

    init() throws {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("HDF5StorageTests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        path = url.path
    }

    /// The path of `name` inside the directory.
    func file(_ name: String) -> String { path + "/" + name }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// A supported element type that tests can fill with seeded random values.
protocol RandomHDF5Scalar: HDF5Scalar {
    static func random(using generator: inout SplitMix64) -> Self
}

extension Float: RandomHDF5Scalar {
    static func random(using g: inout SplitMix64) -> Float { Float.random(in: -1e3...1e3, using: &g) }
}
extension Double: RandomHDF5Scalar {
    static func random(using g: inout SplitMix64) -> Double { Double.random(in: -1e6...1e6, using: &g) }
}
extension Int32: RandomHDF5Scalar {
    static func random(using g: inout SplitMix64) -> Int32 { Int32.random(in: .min ... .max, using: &g) }
}
extension Int64: RandomHDF5Scalar {
    static func random(using g: inout SplitMix64) -> Int64 { Int64.random(in: .min ... .max, using: &g) }
}
extension UInt8: RandomHDF5Scalar {
    static func random(using g: inout SplitMix64) -> UInt8 { UInt8.random(in: .min ... .max, using: &g) }
}

/// Runs `/usr/bin/python3` with h5py, when both are installed.
enum H5py {
    static let python = "/usr/bin/python3"

    /// Whether `/usr/bin/python3 -c "import h5py, numpy"` succeeds.
    static let isAvailable: Bool = {
        guard FileManager.default.isExecutableFile(atPath: python) else { return false }
        return (try? run(["-c", "import h5py, numpy"]).status) == 0
    }()

    /// Runs python with `arguments`; returns the exit status, stdout and stderr.
    static func run(_ arguments: [String]) throws -> (status: Int32, stdout: Data, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, stdout, String(decoding: stderr, as: UTF8.self))
    }
}
