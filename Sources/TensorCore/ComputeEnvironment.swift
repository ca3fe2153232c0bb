internal import CDNNL
internal import COpenBLAS
import Foundation
internal import _ProjectInfo
#if canImport(Glibc)
import Glibc
#endif

/// What a run computed with: the library, the kernel thread count, the kernel libraries and the
/// machine. Results are bit-for-bit reproducible only under equal records (oneDNN picks its
/// kernels by the instruction set and partitions them by the thread count), so every run records
/// one (`results.json`, the archive's `/run` group).
///
/// Reference: the C functions named on each field.
public struct ComputeEnvironment: Sendable, Hashable, Codable {
    /// The MultilevelResNet version (`multilevelResNetVersion`, as `mlresnet --version`).
    public var libraryVersion: String
    /// The kernel thread count of the run's ``ComputeContext``.
    public var threadCount: Int
    /// oneDNN's version, `"major.minor.patch"` (`dnnl_version()`).
    public var oneDNNVersion: String
    /// oneDNN's source commit (`dnnl_version()->hash`; `"N/A"` in Debian's build).
    public var oneDNNCommit: String
    /// oneDNN's CPU threading runtime: `"OpenMP"`, `"TBB"`, `"threadpool"`, `"sequential"`
    /// (`dnnl_version()->cpu_runtime`).
    public var oneDNNRuntime: String
    /// The instruction set oneDNN's kernels use, e.g. `"avx512_core"`, `"avx2"`: the CPU's best,
    /// limited by `ONEDNN_MAX_CPU_ISA` (`dnnl_get_effective_cpu_isa()`, named as oneDNN's
    /// `dnnl_cpu_isa_*` constants without the prefix).
    public var instructionSet: String
    /// The BLAS library: `"OpenBLAS"`.
    public var blas: String
    /// OpenBLAS's build configuration, e.g. `"OpenBLAS 0.3.21 NO_AFFINITY USE_OPENMP SkylakeX MAX_THREADS=64"`
    /// (`openblas_get_config()`).
    public var blasConfiguration: String
    /// The CPU kernel set OpenBLAS chose, e.g. `"SkylakeX"`, `"Zen"` (`openblas_get_corename()`).
    public var blasCore: String
    /// OpenBLAS's threading: `"sequential"`, `"pthreads"` or `"OpenMP"` (`openblas_get_parallel()`).
    public var blasThreading: String
    /// The HDF5 library's version `"major.minor.release"` (`H5get_libversion`), or `nil` when
    /// libhdf5 is not loaded in the process (a program that writes no archives).
    public var hdf5Version: String?
    /// The CPU's model name (the first `model name` of `/proc/cpuinfo`), or `nil` where unavailable.
    public var cpuModel: String?
    /// Online logical cores (`sysconf(_SC_NPROCESSORS_ONLN)`).
    public var logicalCores: Int
    /// The operating system: `/etc/os-release`'s `PRETTY_NAME` and `uname`'s system, release and
    /// machine, e.g. `"Debian GNU/Linux 12 (bookworm); Linux 6.1.0-18-amd64 x86_64"`.
    public var operatingSystem: String

    /// Creates a record from its fields (for decoding tests and records of other machines).
    public init(libraryVersion: String, threadCount: Int, oneDNNVersion: String, oneDNNCommit: String,
                oneDNNRuntime: String, instructionSet: String, blas: String, blasConfiguration: String,
                blasCore: String, blasThreading: String, hdf5Version: String?, cpuModel: String?,
                logicalCores: Int, operatingSystem: String) {
        self.libraryVersion = libraryVersion
        self.threadCount = threadCount
        self.oneDNNVersion = oneDNNVersion
        self.oneDNNCommit = oneDNNCommit
        self.oneDNNRuntime = oneDNNRuntime
        self.instructionSet = instructionSet
        self.blas = blas
        self.blasConfiguration = blasConfiguration
        self.blasCore = blasCore
        self.blasThreading = blasThreading
        self.hdf5Version = hdf5Version
        self.cpuModel = cpuModel
        self.logicalCores = logicalCores
        self.operatingSystem = operatingSystem
    }

    /// The environment of this process for a run under `context`.
    ///
    /// - Parameter context: the run's kernel settings (its thread count is recorded).
    /// - Returns: the record; reading it runs no kernel and changes no setting.
    public static func current(context: ComputeContext) -> ComputeEnvironment {
        let version = dnnl_version().pointee
        let commit = version.hash.map { String(cString: $0) } ?? ""
        return ComputeEnvironment(
            libraryVersion: multilevelResNetVersion, threadCount: context.threadCount,
            oneDNNVersion: "\(version.major).\(version.minor).\(version.patch)",
            oneDNNCommit: commit.isEmpty ? "N/A" : commit, oneDNNRuntime: runtimeName(version.cpu_runtime),
            instructionSet: instructionSetName(dnnl_get_effective_cpu_isa()), blas: "OpenBLAS",
            blasConfiguration: openblas_get_config().map { String(cString: $0) }?
                .trimmingCharacters(in: .whitespaces) ?? "",
            blasCore: openblas_get_corename().map { String(cString: $0) } ?? "",
            blasThreading: blasThreadingName(openblas_get_parallel()), hdf5Version: hdf5LibraryVersion(),
            cpuModel: cpuModelName(), logicalCores: Swift.max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN))),
            operatingSystem: operatingSystemName())
    }

    /// One line for logs, e.g. `"mlresnet 0.1.0, 1 thread, oneDNN 2.6.3 (OpenMP) avx512_core,
    /// OpenBLAS SkylakeX (pthreads), HDF5 1.10.8, AMD EPYC, 2 cores, Debian GNU/Linux 12 (bookworm); …"`.
    public var summary: String {
        "mlresnet \(libraryVersion), \(threadCount == 1 ? "1 thread" : "\(threadCount) threads"), "
            + "oneDNN \(oneDNNVersion) (\(oneDNNRuntime)) \(instructionSet), \(blas) \(blasCore) (\(blasThreading)), "
            + "HDF5 \(hdf5Version ?? "not loaded"), \(cpuModel ?? "unknown CPU"), \(logicalCores) cores, "
            + operatingSystem
    }

    /// The name of a `dnnl_cpu_isa_t` value without its `dnnl_cpu_isa_` prefix (oneDNN 2.6's list),
    /// or `"unknown (0x…)"`.
    static func instructionSetName(_ isa: dnnl_cpu_isa_t) -> String {
        switch isa {
        case dnnl_cpu_isa_all: return "all"
        case dnnl_cpu_isa_sse41: return "sse41"
        case dnnl_cpu_isa_avx: return "avx"
        case dnnl_cpu_isa_avx2: return "avx2"
        case dnnl_cpu_isa_avx2_vnni: return "avx2_vnni"
        case dnnl_cpu_isa_avx512_mic: return "avx512_mic"
        case dnnl_cpu_isa_avx512_mic_4ops: return "avx512_mic_4ops"
        case dnnl_cpu_isa_avx512_core: return "avx512_core"
        case dnnl_cpu_isa_avx512_core_vnni: return "avx512_core_vnni"
        case dnnl_cpu_isa_avx512_core_bf16: return "avx512_core_bf16"
        case dnnl_cpu_isa_avx512_core_amx: return "avx512_core_amx"
        default: return "unknown (0x\(String(isa.rawValue, radix: 16)))"
        }
    }

    /// The name of a `DNNL_RUNTIME_*` value.
    static func runtimeName(_ runtime: UInt32) -> String {
        switch runtime {
        case 0: return "none"
        case 1: return "sequential"
        case 2: return "OpenMP"
        case 4: return "TBB"
        case 8: return "threadpool"
        default: return "unknown (\(runtime))"
        }
    }

    /// The name of an `openblas_get_parallel()` value (`OPENBLAS_SEQUENTIAL`, `_THREAD`, `_OPENMP`).
    static func blasThreadingName(_ parallel: Int32) -> String {
        switch parallel {
        case 0: return "sequential"
        case 1: return "pthreads"
        case 2: return "OpenMP"
        default: return "unknown (\(parallel))"
        }
    }

    /// `H5get_libversion`, resolved with `dlsym` (TensorCore does not link HDF5; a program that
    /// writes archives has it loaded), or `nil`.
    static func hdf5LibraryVersion() -> String? {
        typealias GetVersion = @convention(c) (
            UnsafeMutablePointer<UInt32>, UnsafeMutablePointer<UInt32>, UnsafeMutablePointer<UInt32>
        ) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "H5get_libversion") else { return nil }
        var (major, minor, release): (UInt32, UInt32, UInt32) = (0, 0, 0)
        guard unsafeBitCast(symbol, to: GetVersion.self)(&major, &minor, &release) >= 0 else { return nil }
        return "\(major).\(minor).\(release)"
    }

    /// The first `model name` of `/proc/cpuinfo`, or `nil`.
    static func cpuModelName() -> String? {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("model name") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            return name.isEmpty ? nil : name
        }
        return nil
    }

    /// `PRETTY_NAME` of `/etc/os-release` (when present) and `uname`'s system, release, machine.
    static func operatingSystemName() -> String {
        var parts: [String] = []
        if let text = try? String(contentsOfFile: "/etc/os-release", encoding: .utf8),
           let line = text.split(separator: "\n").first(where: { $0.hasPrefix("PRETTY_NAME=") }) {
            parts.append(line.dropFirst("PRETTY_NAME=".count).trimmingCharacters(in: CharacterSet(charactersIn: "\"")))
        }
        var names = utsname()
        if uname(&names) == 0 {
            func field<T>(_ value: T) -> String {
                withUnsafeBytes(of: value) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            }
            parts.append("\(field(names.sysname)) \(field(names.release)) \(field(names.machine))")
        }
        return parts.isEmpty ? ProcessInfo.processInfo.operatingSystemVersionString : parts.joined(separator: "; ")
    }
}
