import Foundation
import MultilevelResNet

/// Helpers shared by the fuzz targets: a scratch folder per process and the rule that every
/// failure of a reader must be one of the library's typed errors.
public enum FuzzInput {
    /// A folder private to this fuzzing process (libFuzzer's `-fork`/`-jobs` run several).
    public static let folder: URL = {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("mlresnet-fuzz-\(ProcessInfo.processInfo.processIdentifier)", isDirectory: true)
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    /// Copies libFuzzer's input into a Swift array.
    public static func bytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
        guard let data, size > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: size))
    }

    /// Writes `bytes` to `name` in ``folder`` (replacing it) and returns its URL.
    public static func write(_ bytes: [UInt8], to name: String) -> URL {
        let url = folder.appendingPathComponent(name)
        if FileManager.default.createFile(atPath: url.path, contents: Data(bytes)) { return url }
        FileHandle.standardError.write(Data("fuzz: cannot write \(url.path)\n".utf8))
        abort()
    }

    /// The modules of the library whose error types count as typed errors.
    static let libraryModules: Set<String> = [
        "Datasets", "HDF5Storage", "Archiving", "ODENet", "TensorCore", "Autodiff", "Integrators",
        "Multilevel", "Interpolation", "Statistics", "Optimization", "Training",
    ]

    /// Runs a reader: success and the library's typed errors (an error type declared in one of
    /// ``libraryModules``, e.g. `DatasetError`, `ArchiveError`, `ODENetError`) are fine; any other
    /// error is a finding (a foreign error let through untranslated), reported by aborting so that
    /// libFuzzer keeps the input.
    public static func expectTypedErrors(_ body: () throws -> Void) {
        do {
            try body()
        } catch {
            let type = String(reflecting: Swift.type(of: error))
            let module = type.split(separator: ".").first.map(String.init) ?? ""
            guard libraryModules.contains(module) else {
                FileHandle.standardError.write(Data("fuzz: untyped error \(type): \(error)\n".utf8))
                abort()
            }
        }
    }
}
