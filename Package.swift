// swift-tools-version: 6.0
// MultilevelResNet: residual networks as discretized ODEs, trained multi-level
// (Chang, Meng, Haber, Tung, Begert, ICLR 2018).
//
// Layout (see ../shared/DESIGN.md §2): system-library targets `C*` (a module map and a shim
// header each, nothing else); Swift wrapper modules named for a capability; an umbrella module
// `MultilevelResNet` that only re-exports; the `mlresnet` command-line tool.
import PackageDescription

let package = Package(
    name: "MultilevelResNet",
    products: [
        .library(name: "MultilevelResNet", targets: ["MultilevelResNet"]),
        .executable(name: "mlresnet", targets: ["MLResNetCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // `swift package generate-documentation` (scripts/docs); a command plugin only: nothing of it
        // is compiled into the library or the tool.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        // MARK: C libraries (Debian packages named in `providers`).
        // CGSL reads OpenBLAS's pkg-config on purpose: the process must resolve `cblas_*` to
        // OpenBLAS, never to libgslcblas (GSL's own pkg-config would add -lgslcblas).
        .systemLibrary(name: "CGSL", pkgConfig: "openblas",
                       providers: [.apt(["libgsl-dev", "libopenblas-dev"])]),
        .systemLibrary(name: "CHDF5", pkgConfig: "hdf5", providers: [.apt(["libhdf5-dev"])]),
        .systemLibrary(name: "CDNNL", providers: [.apt(["libdnnl-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),

        // MARK: Wrappers of C libraries.
        .target(name: "Interpolation", dependencies: ["CGSL"]),
        .target(name: "Statistics", dependencies: ["CGSL"]),
        .target(name: "HDF5Storage", dependencies: ["CHDF5", "CZlib"]),
        // The embedded digits are a resource (Bundle.module), so `Dataset.digits()` needs no path.
        .target(name: "Datasets", dependencies: ["CZlib"], resources: [.copy("Resources/digits")]),

        // MARK: The library proper.
        .target(name: "_ProjectInfo"),
        .target(name: "TensorCore", dependencies: ["CDNNL", "COpenBLAS", "_ProjectInfo"]),
        .target(name: "Autodiff", dependencies: ["TensorCore", "Integrators"]),
        .target(name: "Integrators", dependencies: ["Statistics"]),
        .target(name: "Multilevel", dependencies: ["Interpolation"]),
        .target(name: "ODENet", dependencies: ["TensorCore", "Autodiff", "Integrators", "Multilevel"]),
        .target(name: "Optimization", dependencies: ["TensorCore", "Autodiff"]),
        .target(name: "Archiving", dependencies: [
            "HDF5Storage", "ODENet", "TensorCore", "Autodiff", "Integrators", "Multilevel", "_ProjectInfo",
        ]),
        .target(name: "Training", dependencies: [
            "Archiving", "ODENet", "Optimization", "Datasets", "Multilevel", "TensorCore", "Autodiff", "Integrators",
        ]),
        .target(name: "Analysis", dependencies: [
            "Training", "Archiving", "ODENet", "Statistics", "Datasets", "TensorCore", "Autodiff", "Multilevel",
        ]),
        .target(name: "MultilevelResNet", dependencies: [
            "_ProjectInfo", "Interpolation", "Statistics", "HDF5Storage",
            "TensorCore", "Autodiff", "Integrators", "Multilevel", "Datasets", "ODENet", "Optimization",
            "Archiving", "Training", "Analysis",
        ]),
        .executableTarget(name: "MLResNetCLI", dependencies: [
            "MultilevelResNet",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // MARK: Tests (Tests/<Module>Tests mirrors Sources/<Module>).
        .testTarget(name: "SystemLibrariesTests", dependencies: ["CGSL", "COpenBLAS", "Statistics"]),
        .testTarget(name: "InterpolationTests", dependencies: ["Interpolation"]),
        .testTarget(name: "StatisticsTests", dependencies: ["Statistics"]),
        .testTarget(name: "HDF5StorageTests", dependencies: ["HDF5Storage", "Datasets"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "IntegratorsTests", dependencies: ["Integrators", "Datasets"]),
        .testTarget(name: "DatasetsTests", dependencies: ["Datasets"]),
        .testTarget(name: "MultilevelTests", dependencies: ["Multilevel", "Datasets"]),
        .testTarget(name: "ODENetTests", dependencies: ["ODENet", "MultilevelResNet"]),
        .testTarget(name: "OptimizationTests", dependencies: ["Optimization"]),
        .testTarget(name: "TrainingTests", dependencies: ["Training"]),
        .testTarget(name: "TensorCoreTests", dependencies: ["TensorCore"]),
        .testTarget(name: "AutodiffTests", dependencies: ["Autodiff", "Integrators"]),
        .testTarget(name: "ArchivingTests", dependencies: ["Archiving", "Optimization"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "AnalysisTests", dependencies: ["Analysis"]),
        // Runs the `mlresnet` binary of the build (the dependency makes swift build --build-tests build it).
        .testTarget(name: "MLResNetCLITests", dependencies: ["MLResNetCLI", "Training", "Archiving"]),
        // The documentation's examples (README.md and the DocC articles), compiled against the
        // umbrella module as a client sees it, and the check that they equal the documents' text.
        .testTarget(name: "MultilevelResNetTests", dependencies: ["MultilevelResNet"]),
        .testTarget(name: "NotebookExportTests", dependencies: [
            "Analysis", "Training", "Archiving", "Datasets", "Integrators",
        ]),
    ]
)
