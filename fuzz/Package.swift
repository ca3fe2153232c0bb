// swift-tools-version: 6.0
// libFuzzer targets for the readers of MultilevelResNet (issue 12, "Checks that keep it that way").
//
// A separate package on purpose: its executables have no `main` of their own (libFuzzer supplies
// it) and only link with `-sanitize=fuzzer`, so they must never be part of a plain `swift build`
// or `swift test` of the main package. It depends on the main package by path. Build and run them
// with `scripts/fuzz` (which passes `--sanitize=fuzzer --sanitize=address -Xswiftc
// -sanitize=fuzzer,address -Xswiftc -parse-as-library --disable-dead-strip`; see the comments
// there and the README's "Continuous integration").
import Foundation
import PackageDescription

// A path dependency's identity is its folder's name (`MultilevelResNet` in a clone, but anything in
// a worktree), so the product is looked up under the parent folder's actual name.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
let library = Target.Dependency.product(name: "MultilevelResNet", package: root.lastPathComponent)

let package = Package(
    name: "MultilevelResNetFuzz",
    dependencies: [.package(path: "..")],
    targets: [
        .systemLibrary(name: "CZlibFuzz", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .target(name: "FuzzSupport", dependencies: [library]),
        .executableTarget(name: "FuzzIDX", dependencies: ["FuzzSupport", library]),
        .executableTarget(name: "FuzzIDXGzip", dependencies: ["FuzzSupport", "CZlibFuzz", library]),
        .executableTarget(name: "FuzzCIFAR", dependencies: ["FuzzSupport", library]),
        .executableTarget(name: "FuzzSTL10", dependencies: ["FuzzSupport", library]),
        .executableTarget(name: "FuzzArchive", dependencies: ["FuzzSupport", library]),
        .executableTarget(name: "FuzzArchiveResealed", dependencies: ["FuzzSupport", library]),
    ]
)
