#if canImport(Glibc)
import Glibc
#endif
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

    /// Copies libFuzzer's input into a Swift array. Every target calls this first, once per
    /// execution, so it is also where the input is recorded (``InputRecord``, when
    /// `MLRESNET_FUZZ_RECORD_DIR` is set) and where the self-test faults are injected
    /// (``SelfTestFault``, when `MLRESNET_FUZZ_SELF_TEST` is set).
    public static func bytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
        record?.store(data, size)
        if let selfTestFault { selfTestFault.inject() }
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

    /// Reads the file at `path` as a level archive, as a checkpoint and with `inspect`; every
    /// failure must be a typed error (``expectTypedErrors(_:)``).
    public static func readArchiveFile(_ path: String) {
        expectTypedErrors { _ = try LevelArchive.read(from: path) }
        expectTypedErrors { _ = try Checkpoint.read(from: path, expectedConfiguration: nil) }
        expectTypedErrors { _ = try FileInspection.inspect(path) }
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

    /// This process's input record, or `nil` when `MLRESNET_FUZZ_RECORD_DIR` is not set.
    static let record: InputRecord? = ProcessInfo.processInfo.environment["MLRESNET_FUZZ_RECORD_DIR"]
        .map { InputRecord(folder: $0) }

    /// The self-test fault named by `MLRESNET_FUZZ_SELF_TEST`, or `nil` (the normal case).
    static let selfTestFault: SelfTestFault? = {
        guard let name = ProcessInfo.processInfo.environment["MLRESNET_FUZZ_SELF_TEST"], !name.isEmpty else {
            return nil
        }
        guard let fault = SelfTestFault(rawValue: name) else {
            let known = SelfTestFault.allCases.map(\.rawValue).joined(separator: ", ")
            FileHandle.standardError.write(Data("fuzz: unknown MLRESNET_FUZZ_SELF_TEST=\(name) (known: \(known))\n".utf8))
            exit(2)
        }
        return fault
    }()
}

/// The input a fuzzing process is running, kept in the file `<folder>/input.<pid>` (its exact
/// bytes, rewritten at the start of every execution).
///
/// Why: in libFuzzer's fork mode a child's output is discarded except its `ERROR:` lines, and the
/// sanitizer report of a crash goes to `asan.<pid>` (`ASAN_OPTIONS=log_path=…`). After the child
/// died, `input.<pid>` still holds the input it crashed on, and libFuzzer names the kept input by
/// its SHA-1 (`crash-<sha1>`), so `scripts/fuzz` can tie each original report to its input
/// exactly (`sha1sum input.<pid>`), whatever the kind of death (sanitizer report, deadly signal,
/// timeout, leak, out-of-memory). Cost: one `ftruncate` and one `pwrite` per execution.
final class InputRecord: Sendable {
    /// The open record file (`-1` if it could not be created; then nothing is recorded).
    let descriptor: Int32

    /// Creates (truncates) `<folder>/input.<pid>`; reports a failure on standard error once.
    init(folder: String) {
        let path = "\(folder)/input.\(getpid())"
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        if descriptor < 0 {
            FileHandle.standardError.write(Data("fuzz: cannot create the input record \(path) (errno \(errno))\n".utf8))
        }
    }

    /// Replaces the record's content with the `size` bytes at `data`.
    func store(_ data: UnsafePointer<UInt8>?, _ size: Int) {
        guard descriptor >= 0 else { return }
        _ = ftruncate(descriptor, off_t(size))
        guard let data, size > 0 else { return }
        var written = 0
        while written < size {
            let count = pwrite(descriptor, data + written, size - written, off_t(written))
            if count <= 0 { return }
            written += count
        }
    }
}

/// Deliberate faults in fuzz-target code of ours, to check that `scripts/fuzz` fails on them
/// (`MLRESNET_FUZZ_SELF_TEST=<name> FUZZ_TARGETS=FuzzIDX scripts/fuzz 30` must exit 1 and name
/// the fault's frame in FuzzSupport). Never set in CI.
enum SelfTestFault: String, CaseIterable {
    /// A one-byte heap-buffer-overflow write on every input: reproduces alone.
    case overflow
    /// The same write, only in the 100th execution of a process: its input does not reproduce
    /// the crash alone (as a crash that depends on earlier inputs in the same process).
    case overflowStateful = "overflow-stateful"
    /// 64 bytes allocated and lost on every input (LeakSanitizer, through libFuzzer's leak check).
    case leak

    /// Executions so far in this process (fuzzing runs the callback on one thread).
    nonisolated(unsafe) static var executions = 0

    /// Commits the fault if it is due in this execution.
    func inject() {
        SelfTestFault.executions += 1
        switch self {
        case .overflow: SelfTestFault.writePastEnd()
        case .overflowStateful: if SelfTestFault.executions == 100 { SelfTestFault.writePastEnd() }
        case .leak: SelfTestFault.loseAllocation()
        }
    }

    /// Writes one byte past the end of an 8-byte heap allocation (never optimised away).
    @inline(never) @_optimize(none)
    static func writePastEnd() {
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: 8)
        buffer.initialize(repeating: 0, count: 8)
        buffer[8] = 0x2A
        buffer.deallocate()
    }

    /// Allocates 64 bytes and drops the only pointer to them.
    @inline(never) @_optimize(none)
    static func loseAllocation() {
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: 64)
        buffer.initialize(repeating: 0x2A, count: 64)
    }
}
