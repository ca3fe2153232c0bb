import Autodiff
import Foundation
import HDF5Storage
import Integrators
import ODENet
import TensorCore
@testable import Archiving

/// Tiny networks (8×8×1 inputs, channels [8, 16], N = 1, 2, 4), temporary folders and a file
/// editor for bad-input fixtures.
enum Fixture {
    static func spec(stepCount: Int = 1, integrators: [IntegratorKind] = [.forwardEuler]) throws -> ODENetSpec {
        try ODENetSpec(inputShape: [8, 8, 1], classCount: 3, stageChannels: [8, 16], stepCount: stepCount,
                       finalTime: 1, integrators: integrators.map(\.integrator))
    }

    static func batch(_ count: Int = 4, seed: UInt64 = 5) throws -> Tensor {
        var generator = Xoshiro256StarStar(seed: seed)
        return try Tensor.randomNormal(shape: [count, 8, 8, 1], standardDeviation: 1, generator: &generator)
    }

    /// A network with non-trivial running statistics (one training-mode pass).
    static func trainedNetwork(_ network: ODENetwork, seed: UInt64) throws -> ODENetwork {
        _ = try network.forward(batch(seed: seed), on: Tape(), mode: .training)
        return network
    }

    /// Levels 2 (N = 1), 1 (N = 2), 0 (N = 4), made by refinement.
    static func levels(integrators: [IntegratorKind] = [.forwardEuler]) throws -> [ArchivedLevel] {
        let coarse = try trainedNetwork(ODENetwork(spec: spec(integrators: integrators), seed: 3), seed: 21)
        let middle = try trainedNetwork(coarse.refined(by: .piecewiseConstant, rule: .halve), seed: 22)
        let fine = try trainedNetwork(middle.refined(by: .linear, rule: .halve), seed: 23)
        return [ArchivedLevel(index: 2, network: coarse, cycle: 0, epochs: 3, testAccuracy: 0.5, wallSeconds: 1.25),
                ArchivedLevel(index: 1, network: middle, cycle: 1, epochs: 2, testAccuracy: 0.625, wallSeconds: 2.5),
                ArchivedLevel(index: 0, network: fine, cycle: 2, epochs: 1, testAccuracy: 0.75, wallSeconds: 5)]
    }

    static let metadata = ArchiveMetadata(
        dataset: "mnist", seed: 42, commandLine: ["mlresnet", "train", "--levels", "3"], prolongation: .linear,
        restriction: .average, stepRule: .halve, stepGrid: .cellCentred,
        created: Date(timeIntervalSince1970: 1_790_000_000), extra: ["batch_size": .int64(8)])

    static func logits(_ network: ODENetwork, _ input: Tensor) throws -> [Float] {
        try network.forward(input, on: Tape(recording: false), mode: .evaluation).value.elements
    }

    /// A fresh empty folder under the system's temporary folder.
    static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("ArchivingTests-\(getpid())-\(UInt64.random(in: 0...UInt64.max))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func contents(of folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    }

    // MARK: Editing files for bad-input fixtures

    /// What to do with one object (by absolute path) while copying a file.
    enum Edit {
        /// Leave the object out.
        case drop
        /// Write something else under the same name instead.
        case replace((HDF5Group, String) throws -> Void)
        /// Copy, then override these attributes.
        case attributes([String: HDF5AttributeValue])
    }

    /// Copies the HDF5 file `source` to `destination`, applying `edits` by absolute object path
    /// (`"/"` for root attributes). Every `crc32` attribute is left out (unless an edit sets it), so
    /// the copy reads as a file written before checksums existed and the edit meets the reader's
    /// structural checks rather than the checksum (a file missing only some of them is damaged).
    static func copy(_ source: String, to destination: String, edits: [String: Edit]) throws {
        let input = try HDF5File.open(at: source)
        let output = try HDF5File.create(at: destination)
        try copyGroup(input.root, output.root, edits: edits)
        try input.close()
        try output.close()
    }

    private static func copyAttributes(_ from: HDF5Attributes, _ to: HDF5Attributes, path: String,
                                       edits: [String: Edit]) throws {
        for name in try from.names() where name != "crc32" { try to.set(try from.value(name), for: name) }
        if case let .attributes(overrides)? = edits[path] {
            for (name, value) in overrides { try to.set(value, for: name) }
        }
    }

    private static func copyGroup(_ from: HDF5Group, _ to: HDF5Group, edits: [String: Edit]) throws {
        try copyAttributes(from.attributes, to.attributes, path: from.path, edits: edits)
        for child in try from.children() {
            let path = from.path == "/" ? "/" + child.name : from.path + "/" + child.name
            switch edits[path] {
            case .drop?: continue
            case let .replace(write)?: try write(to, child.name); continue
            default: break
            }
            if child.kind == .group {
                try copyGroup(from.openGroup(child.name), to.createGroup(child.name), edits: edits)
            } else {
                let dataset = try from.openDataset(child.name)
                let shape = dataset.info.shape
                let copy: HDF5Dataset
                switch dataset.info.elementType {
                case .float32: copy = try to.write(dataset.read(as: Float.self).values, shape: shape, to: child.name)
                case .float64: copy = try to.write(dataset.read(as: Double.self).values, shape: shape, to: child.name)
                case .int64: copy = try to.write(dataset.read(as: Int64.self).values, shape: shape, to: child.name)
                default: throw HDF5Error.missingObject(file: "fixture", object: path, kind: .dataset)
                }
                try copyAttributes(dataset.attributes, copy.attributes, path: path, edits: edits)
            }
        }
    }

    /// Whether `/usr/bin/python3` can import h5py and numpy.
    static let h5pyAvailable: Bool = (try? runPython("import h5py, numpy").status) == 0

    /// Runs `/usr/bin/python3 -c script args…` with `environment` added to the test's; returns the
    /// exit status and standard output + error.
    static func runPython(_ script: String, _ arguments: [String] = [],
                          environment: [String: String] = [:]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", script] + arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
