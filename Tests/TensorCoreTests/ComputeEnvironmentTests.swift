import Foundation
import Testing
@testable import TensorCore

@Suite("Compute environment")
struct ComputeEnvironmentTests {
    /// The instruction sets oneDNN 2.6 can report.
    static let knownInstructionSets: Set = ["all", "sse41", "avx", "avx2", "avx2_vnni", "avx512_mic",
                                            "avx512_mic_4ops", "avx512_core", "avx512_core_vnni",
                                            "avx512_core_bf16", "avx512_core_amx"]

    /// Whether this process is a child started by ``isaLimitInChild(_:)``.
    static var isChild: Bool { ProcessInfo.processInfo.environment["MLRESNET_EXPECTED_ISA"] != nil }

    @Test("the record names the library, threads, oneDNN, its ISA, OpenBLAS and the machine; JSON round-trips")
    func currentRecord() throws {
        let environment = ComputeEnvironment.current(context: try ComputeContext(threadCount: 3))
        #expect(environment.threadCount == 3)
        #expect(!environment.libraryVersion.isEmpty)
        #expect(environment.oneDNNVersion.split(separator: ".").count == 3)
        #expect(environment.oneDNNRuntime == "OpenMP")
        #expect(Self.knownInstructionSets.contains(environment.instructionSet), "\(environment.instructionSet)")
        #expect(environment.blas == "OpenBLAS")
        #expect(environment.blasConfiguration.hasPrefix("OpenBLAS"), "\(environment.blasConfiguration)")
        #expect(!environment.blasCore.isEmpty)
        #expect(["sequential", "pthreads", "OpenMP"].contains(environment.blasThreading))
        #expect(environment.logicalCores >= 1)
        #expect(!environment.operatingSystem.isEmpty)
        #expect(environment.cpuModel.map { !$0.isEmpty } ?? true)
        // Loaded here only because the package's test bundle links every module (HDF5Storage too).
        #expect(environment.hdf5Version.map { $0.split(separator: ".").count == 3 } ?? true)
        #expect(environment.summary.contains(environment.instructionSet))

        let json = try JSONEncoder().encode(environment)
        #expect(try JSONDecoder().decode(ComputeEnvironment.self, from: json) == environment)
        // Reading the record changes no setting.
        #expect(ComputeEnvironment.current(context: .default).threadCount == 1)
    }

    @Test("ISA, runtime and BLAS threading names follow oneDNN's and OpenBLAS's constants")
    func names() {
        #expect(ComputeEnvironment.runtimeName(2) == "OpenMP")
        #expect(ComputeEnvironment.runtimeName(99) == "unknown (99)")
        #expect(ComputeEnvironment.blasThreadingName(1) == "pthreads")
        #expect(ComputeEnvironment.blasThreadingName(7) == "unknown (7)")
    }

    /// In a child: the ISA the parent limited oneDNN to is the one reported.
    @Test("the reported ISA is the one ONEDNN_MAX_CPU_ISA allows", .enabled(if: ComputeEnvironmentTests.isChild))
    func reportedISAInChild() {
        let expected = ProcessInfo.processInfo.environment["MLRESNET_EXPECTED_ISA"]
        #expect(ComputeEnvironment.current(context: .default).instructionSet == expected)
    }

    @Test("ONEDNN_MAX_CPU_ISA in a child process changes the reported ISA",
          .enabled(if: !ComputeEnvironmentTests.isChild),
          arguments: [("AVX2", "avx2"), ("SSE41", "sse41")])
    func isaLimitInChild(_ limit: (variable: String, name: String)) throws {
        let result = try TestProcess.rerunThisTest(
            named: "ComputeEnvironmentTests/reportedISAInChild()",
            environment: ["ONEDNN_MAX_CPU_ISA": limit.variable, "MLRESNET_EXPECTED_ISA": limit.name])
        #expect(result.status == 0, "\(result.output.suffix(2000))")
        #expect(result.output.contains("Test run with 1 test in 1 suite passed"), "\(result.output.suffix(500))")
    }
}
