import Autodiff
import Foundation
import HDF5Storage
import Integrators
import ODENet
import TensorCore
import Testing
@testable import Archiving

/// Issue 17, item 2: archives and checkpoints explain themselves to h5py — the axes of every
/// dataset, depth-time units, step start times and edges, levels in numeric order, and the page
/// documenting the layout; files written before all this still read.
@Suite struct SelfDescribingArchiveTests {
    /// The repository's root (for `docs/archive-layout.md`).
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The string attribute `name` of an inspected object, if it has one.
    func string(_ object: FileInspection.Object, _ name: String) -> String? {
        guard case let .string(value)? = object.attributes.first(where: { $0.name == name })?.value else { return nil }
        return value
    }

    /// A level archive of `Fixture.levels()` and a checkpoint of its finest network (momentum under
    /// every parameter's name and one that is none, two generator states, a finished level).
    func writeArchiveAndCheckpoint(in folder: URL) throws -> (archive: String, checkpoint: String) {
        let levels = try Fixture.levels()
        let archive = folder.appendingPathComponent("run.h5").path
        try LevelArchive.write(levels: levels, metadata: Fixture.metadata, to: archive)
        let network = levels[2].network
        var momentum = Dictionary(uniqueKeysWithValues: network.tensorsByPath().map { ($0.key.name, $0.value) })
        momentum["lookahead"] = try Tensor(shape: [2, 3], repeating: 0.5)
        let checkpoint = folder.appendingPathComponent("checkpoint.h5").path
        try Checkpoint(network: network, optimizerState: momentum, counters: ["epoch": 3], values: ["lr": 0.1],
                       randomStates: ["shuffle": [1, 2]], texts: ["note": "x"], configuration: "{}",
                       finishedLevels: [levels[0]]).write(to: checkpoint)
        return (archive, checkpoint)
    }

    @Test("Every dataset of an archive and a checkpoint names one axis per dimension; tensors by their field")
    func everyDatasetNamesItsAxes() throws {
        let folder = try Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (archive, checkpoint) = try writeArchiveAndCheckpoint(in: folder)
        var checked = 0
        for path in [archive, checkpoint] {
            for object in try FileInspection.inspect(path).objects where object.kind == "dataset" {
                let axes = try #require(string(object, ArchiveAnnotation.axes), "\(path): \(object.path) has no axes")
                let names = axes.components(separatedBy: ", ")
                let shape = try #require(object.shape)
                #expect(names.count == shape.count, "\(object.path): axes '\(axes)' for shape \(shape)")
                #expect(Set(names).count == names.count, "\(object.path): axes '\(axes)' repeat a name")
                checked += 1
            }
        }
        #expect(checked > 100)
        // The stated axes, by dataset (shapes from Fixture.spec: 8×8×1 inputs, channels [8, 16], 3 classes).
        let objects = try FileInspection.inspect(archive).objects
        let expected: [String: (axes: String, shape: [Int])] = [
            "/levels/0/stages/1/conv1.weight": ("N, out, in, kh, kw", [4, 16, 16, 3, 3]),
            "/levels/0/stages/1/bn2.running_var": ("N, C", [4, 16]),
            "/levels/0/stages/0/t": ("N", [4]),
            "/levels/0/stages/0/t_edges": ("N+1", [5]),
            "/levels/2/stem/weight": ("out, in, kh, kw", [8, 1, 3, 3]),
            "/levels/2/connectors/1/shortcut.weight": ("out, in, kh, kw", [16, 8, 1, 1]),
            "/levels/2/connectors/1/bn1.weight": ("C", [8]),
            "/levels/1/head/linear.weight": ("out, in", [3, 16]),
            "/levels/1/head/linear.bias": ("out", [3]),
            "/level_index": ("level", [3]),
            "/integrator/a": ("i, j", [1, 1]),
        ]
        for (path, (axes, shape)) in expected {
            let object = try #require(objects.first { $0.path == path }, "\(path) missing")
            #expect(string(object, ArchiveAnnotation.axes) == axes && object.shape == shape, "\(path)")
        }
        let state = try FileInspection.inspect(checkpoint).objects
        #expect(state.first { $0.path == "/optimizer/stage1.step0.conv2.weight" }.flatMap { string($0, "axes") }
                == "out, in, kh, kw")
        #expect(state.first { $0.path == "/optimizer/lookahead" }.flatMap { string($0, "axes") } == "d0, d1")
        #expect(state.first { $0.path == "/random/shuffle" }.flatMap { string($0, "axes") } == "word")
    }

    /// A `T` and `N` for which `N · (T / N)` is not `T` in float64, so an end computed as `N h` would miss `T`.
    func inexactFinalTime() throws -> (finalTime: Double, stepCount: Int) {
        for finalTime in [0.7, 0.3, 1.1, 2.3, 0.9] {
            for stepCount in [3, 6, 7, 10, 12] where Double(stepCount) * (finalTime / Double(stepCount)) != finalTime {
                return (finalTime, stepCount)
            }
        }
        throw ArchiveError.invalidArgument(file: "-", message: "no inexact T, N among the candidates")
    }

    @Test("t holds the step start times n·h; t_edges adds T exactly; both in depth-time, described")
    func stepTimesAndEdges() throws {
        let folder = try Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (finalTime, stepCount) = try inexactFinalTime()
        let spec = try ODENetSpec(inputShape: [8, 8, 1], classCount: 3, stageChannels: [8, 16], stepCount: stepCount,
                                  finalTime: finalTime)
        let network = try ODENetwork(spec: spec, seed: 1)
        // The naive rule keeps h and doubles T: every level has its own T.
        let doubled = try network.refined(by: .piecewiseConstant, rule: .keep)
        let path = folder.appendingPathComponent("run.h5").path
        try LevelArchive.write(levels: [ArchivedLevel(index: 0, network: doubled), ArchivedLevel(index: 1, network: network)],
                               metadata: Fixture.metadata, to: path)
        let file = try HDF5File.open(at: path)
        defer { try? file.close() }
        var stages = 0
        for (index, level) in [(0, doubled), (1, network)] {
            let group = try file.root.openGroup("levels/\(index)")
            #expect(try group.attributes.string(ArchiveAnnotation.timeUnits) == "depth-time (dimensionless)")
            for s in 0..<2 {
                let stage = try group.openGroup("stages/\(s)")
                let n = level.spec.stepCount, h = level.spec.stepSize, T = level.spec.finalTime
                let t = try stage.read("t", as: Double.self, expectedShape: [n]).values
                let edges = try stage.read("t_edges", as: Double.self, expectedShape: [n + 1]).values
                #expect(t == (0..<n).map { Double($0) * h })
                #expect(Array(edges.dropLast()) == t)
                let storedT = try stage.attributes.double("T")
                #expect(edges.last?.bitPattern == T.bitPattern && storedT.bitPattern == T.bitPattern)
                #expect(zip(edges, edges.dropFirst()).allSatisfy { $0 < $1 })
                #expect(try stage.attributes.string(ArchiveAnnotation.timeUnits) == ArchiveAnnotation.depthTime)
                for name in ["t", "t_edges"] {
                    let attributes = try stage.openDataset(name).attributes
                    #expect(try attributes.string("units") == "depth-time (dimensionless)")
                    #expect(try attributes.string("description").contains(name == "t" ? "start times" : "= T exactly"))
                }
                stages += 1
            }
        }
        #expect(stages == 4)
        // The case this guards: N h is not T.
        #expect(Double(stepCount) * network.spec.stepSize != network.spec.finalTime)
    }

    /// Runs `body` on an archive of three levels with indices 0, 2 and 10 (N = 4, 2, 1) in a
    /// temporary folder (removed afterwards).
    func withLevelsZeroTwoTen(_ body: (_ path: String, _ folder: URL) throws -> Void) throws {
        let folder = try Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("run.h5").path
        let levels = try Fixture.levels()
        try LevelArchive.write(levels: [ArchivedLevel(index: 10, network: levels[0].network, cycle: 0),
                                        ArchivedLevel(index: 2, network: levels[1].network, cycle: 1),
                                        ArchivedLevel(index: 0, network: levels[2].network, cycle: 2)],
                               metadata: Fixture.metadata, to: path)
        try body(path, folder)
    }

    @Test("level_index lists ℓ ascending (0, 2, 10) beside the groups' names; the reader keeps that order")
    func levelIndexInNumericOrder() throws {
        try withLevelsZeroTwoTen { path, _ in
            let file = try HDF5File.open(at: path)
            #expect(try file.root.read(LevelArchive.levelIndexDataset, as: Int64.self).values == [0, 2, 10])
            #expect(try file.attributes.int64Array("levels") == [0, 2, 10])
            #expect(try file.root.openGroup("levels").children().map(\.name).sorted() == ["0", "10", "2"])
            try file.close()
            #expect(try LevelArchive.read(from: path).levels.map(\.index) == [0, 2, 10])
        }
    }

    @Test("h5py lists /levels as '0', '10', '2' and /level_index as 0, 2, 10",
          .enabled(if: Fixture.h5pyAvailable, "h5py or numpy is not installed for /usr/bin/python3"))
    func h5pyReadsLevelsInNumericOrder() throws {
        try withLevelsZeroTwoTen { path, _ in
            let result = try Fixture.runPython("""
                import sys, h5py
                with h5py.File(sys.argv[1], "r") as f:
                    print(list(f["levels"]), [int(l) for l in f["level_index"]], f["level_index"].attrs["axes"])
                """, [path])
            #expect(result.status == 0, "\(result.output)")
            #expect(result.output == "['0', '10', '2'] [0, 2, 10] level\n", "\(result.output)")
        }
    }

    @Test("A level_index that disagrees with the attribute levels is refused, naming /level_index")
    func levelIndexThatDisagreesIsRefused() throws {
        try withLevelsZeroTwoTen { path, folder in
            let edited = folder.appendingPathComponent("edited.h5").path
            try Fixture.copy(path, to: edited, edits: ["/level_index": .replace { group, name in
                _ = try group.write([Int64(0), 10, 2], shape: [3], to: name)
            }])
            do {
                _ = try LevelArchive.read(from: edited)
                Issue.record("read an archive whose level_index disagrees with its levels")
            } catch let ArchiveError.invalidValue(file, object, message) {
                #expect(file == edited && object == "/level_index" && message.contains("[0, 10, 2]"), "\(message)")
            }
        }
    }

    @Test("The root attribute layout names docs/archive-layout.md and the section of its format")
    func layoutNamesTheDocumentation() throws {
        let folder = try Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (archive, checkpoint) = try writeArchiveAndCheckpoint(in: folder)
        let page = try String(contentsOf: Self.repositoryRoot.appendingPathComponent("docs/archive-layout.md"), encoding: .utf8)
        // GitHub's anchor of a heading: lower case, spaces as hyphens.
        let anchors = Set(page.split(separator: "\n").filter { $0.hasPrefix("#") }.map {
            $0.drop { $0 == "#" }.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: " ", with: "-")
        })
        for (path, layout) in [(archive, LevelArchive.layout), (checkpoint, Checkpoint.layout)] {
            let file = try HDF5File.open(at: path)
            #expect(try file.attributes.string("layout") == layout)
            try file.close()
            let parts = layout.split(separator: "#").map(String.init)
            #expect(parts.count == 2 && parts[0] == "docs/archive-layout.md")
            #expect(anchors.contains(parts[1]), "no heading for #\(parts[1]) in docs/archive-layout.md")
        }
    }

    // MARK: Files written before these additions

    /// `Fixtures/format1-before-annotations/<name>`, written by `mlresnet train` of main at 4e4e0e1
    /// (see the folder's README).
    func fixture(_ name: String) throws -> String {
        try #require(Bundle.module.url(forResource: name, withExtension: "h5",
                                       subdirectory: "Fixtures/format1-before-annotations")).path
    }

    @Test("A level archive and a checkpoint written by the code before these additions still read and verify")
    func readsFilesWrittenBefore() throws {
        let archivePath = try fixture("levels"), checkpointPath = try fixture("checkpoint")
        let objects = try FileInspection.inspect(archivePath).objects
        // The fixture really is of the old layout.
        #expect(!objects.contains { $0.path.hasSuffix("/t_edges") || $0.path == "/level_index" })
        #expect(!objects.contains { $0.attributes.contains { $0.name == "axes" || $0.name == "layout" } })
        let archive = try LevelArchive.read(from: archivePath)
        #expect(archive.levels.map(\.index) == [0, 1])
        #expect(archive.metadata.extra["data.source.kind"] == .string("digits"))
        let input = try Tensor(shape: [2, 8, 8, 1], repeating: 0.25)
        for level in archive.levels {
            let logits = try Fixture.logits(level.network, input)
            #expect(logits.count == 20 && logits.allSatisfy(\.isFinite))
        }
        let inspection = try FileInspection.inspect(archivePath)
        #expect(inspection.problem == nil && inspection.networks.count == 2)
        let checkpoint = try Checkpoint.read(from: checkpointPath, expectedConfiguration: nil)
        #expect(checkpoint.network.spec.stepCount == 2 && !checkpoint.optimizerState.isEmpty)
        #expect(try FileInspection.inspect(checkpointPath).problem == nil)
    }
}
