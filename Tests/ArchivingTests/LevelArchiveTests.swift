import Autodiff
import Foundation
import HDF5Storage
import Integrators
import ODENet
import TensorCore
import Testing
@testable import Archiving

@Suite struct LevelArchiveTests {
    @Test func multiLevelRoundTripKeepsValuesAttributesAndLogits() throws {
        let folder = try Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("run.h5").path
        let levels = try Fixture.levels()
        try LevelArchive.write(levels: levels, metadata: Fixture.metadata, to: path)

        let archive = try LevelArchive.read(from: path)
        #expect(archive.levels.map(\.index) == [0, 1, 2])
        #expect(archive.metadata.dataset == "mnist" && archive.metadata.seed == 42)
        #expect(archive.metadata.commandLine == Fixture.metadata.commandLine)
        #expect(archive.metadata.prolongation == .linear && archive.metadata.restriction == .average)
        #expect(archive.metadata.stepRule == .halve && archive.metadata.stepGrid == .cellCentred)
        #expect(archive.metadata.created == Fixture.metadata.created)
        #expect(archive.metadata.extra == ["batch_size": .int64(8)])
        let input = try Fixture.batch(seed: 99)
        for original in levels {
            let loaded = try #require(archive.level(original.index))
            #expect(loaded.cycle == original.cycle && loaded.epochs == original.epochs)
            #expect(loaded.testAccuracy == original.testAccuracy && loaded.wallSeconds == original.wallSeconds)
            #expect(loaded.network.spec == original.network.spec)
            #expect(loaded.network.parameters.map(\.name) == original.network.parameters.map(\.name))
            #expect(loaded.network.parameters.map(\.value.elements) == original.network.parameters.map(\.value.elements))
            for (a, b) in zip(loaded.network.stages, original.network.stages) {
                #expect(a.steps.map { $0.fieldTensors.map(\.elements) } == b.steps.map { $0.fieldTensors.map(\.elements) })
            }
            // Bit for bit: the same logits in evaluation mode (running statistics included).
            let (x, y) = (try Fixture.logits(loaded.network, input), try Fixture.logits(original.network, input))
            #expect(x.map(\.bitPattern) == y.map(\.bitPattern), "level \(original.index)")
        }
    }

    @Test func stacksPerStepTensorsWithALeadingStepAxis() throws {
        let folder = try Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("run.h5").path
        let levels = try Fixture.levels()
        try LevelArchive.write(levels: levels, metadata: Fixture.metadata, to: path)
        let file = try HDF5File.open(at: path)
        defer { try? file.close() }
        #expect(try file.attributes.string("format") == LevelArchive.formatName)
        #expect(try file.attributes.int64("format_version") == 1)
        #expect(try file.attributes.string("integrator") == "forwardEuler")
        #expect(try file.root.read("integrator/b", as: Double.self).values == [1])
        let fine = try file.root.openGroup("levels/0")
        #expect(try fine.attributes.int64("steps_per_stage") == 4 && fine.attributes.double("h") == 0.25)
        let conv = try fine.read("stages/1/conv1.weight", as: Float.self)
        #expect(conv.shape == [4, 16, 16, 3, 3])
        // Step n of the stack is θ_n.
        let steps = try #require(levels.first { $0.index == 0 }).network.stages[1].steps
        #expect(Array(conv.values[16 * 16 * 9 * 2..<16 * 16 * 9 * 3]) == steps[2].conv1.value.elements)
        #expect(try fine.read("stages/0/bn2.running_var", as: Float.self).shape == [4, 8])
        #expect(try fine.read("stages/1/t", as: Double.self).values == [0, 0.25, 0.5, 0.75])
        #expect(try fine.read("connectors/1/shortcut.weight", as: Float.self).shape == [16, 8, 1, 1])
    }

    @Test func perStageTableauxWhenStagesDiffer() throws {
        let folder = try Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("mixed.h5").path
        let levels = try Fixture.levels(integrators: [.rk4Classic, .heun])
        try LevelArchive.write(levels: levels, metadata: Fixture.metadata, to: path)
        let archive = try LevelArchive.read(from: path)
        #expect(archive.levels[0].network.spec.integrators.map(\.name) == ["rk4Classic", "heun"])
        let file = try HDF5File.open(at: path)
        defer { try? file.close() }
        #expect(try file.root.read("integrator/0/a", as: Double.self).shape == [4, 4])
        #expect(try file.attributes.string("integrator") == "mixed")
        let input = try Fixture.batch(seed: 7)
        #expect(try Fixture.logits(archive.levels[2].network, input) == Fixture.logits(levels[0].network, input))
    }

    @Test(.enabled(if: Fixture.h5pyAvailable, "h5py or numpy is not installed for /usr/bin/python3"))
    func h5pyReadsTheArchiveWithNothingOfOurs() throws {
        let folder = try Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("run.h5").path
        try LevelArchive.write(levels: Fixture.levels(), metadata: Fixture.metadata, to: path)
        let script = """
            import sys, h5py, numpy as np
            f = h5py.File(sys.argv[1], "r")
            assert f.attrs["format"] == "MultilevelResNet.LevelArchive", f.attrs["format"]
            for key in ["format", "integrator", "prolongation", "step_rule", "dataset", "created", "library_version", "command_line"]:
                assert isinstance(f.attrs[key], str), (key, type(f.attrs[key]))
            assert int(f.attrs["format_version"]) == 1
            assert list(f.attrs["levels"]) == [0, 1, 2]
            for level, n in [(0, 4), (1, 2), (2, 1)]:
                g = f[f"levels/{level}"]
                assert int(g.attrs["steps_per_stage"]) == n and g.attrs["h"] == 1.0 / n
                w = g["stages/1/conv1.weight"]
                assert w.shape == (n, 16, 16, 3, 3) and w.dtype == np.float32, (w.shape, w.dtype)
                assert g["stages/0/bn1.running_mean"].shape == (n, 8)
                assert np.array_equal(g["stages/0/t"][()], np.arange(n) / n)
            assert f["integrator/a"].shape == (1, 1) and f["integrator/b"][()].tolist() == [1.0]
            print("ok")
            """
        let (status, output) = try Fixture.runPython(script, [path])
        #expect(status == 0, "h5py said: \(output)")
        #expect(output.contains("ok"))
    }

    @Test func batchNormSettingsAreStoredAsTypedAndReadBackExactly() throws {
        #expect(Float(0.1).archived == 0.1 && Float(1e-5).archived == 1e-5)
        var generator = Xoshiro256StarStar(seed: 31)
        for _ in 0..<2000 {
            let f = Float(bitPattern: UInt32(truncatingIfNeeded: generator.next()) & 0x7F7F_FFFF)
            #expect(Float(archived: f.archived) == f, "\(f)")
        }
    }

    @Test func rejectsLevelsThatDifferInMoreThanDepth() throws {
        let folder = try Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("bad.h5").path
        let a = try ODENetwork(spec: Fixture.spec(), seed: 1)
        let b = try ODENetwork(spec: Fixture.spec(integrators: [.heun]), seed: 1)
        #expect(throws: ArchiveError.self) {
            try LevelArchive.write(levels: [ArchivedLevel(index: 0, network: a), ArchivedLevel(index: 1, network: b)],
                                   metadata: Fixture.metadata, to: path)
        }
        #expect(throws: ArchiveError.invalidArgument(file: path, message: "no levels")) {
            try LevelArchive.write(levels: [], metadata: Fixture.metadata, to: path)
        }
        #expect(try Fixture.contents(of: folder).isEmpty)
    }
}

/// Issue 13, item 3: every tensor dataset of a level archive is a `ParameterPath`'s, and back.
@Suite struct ParameterPathArchiveTests {
    @Test func everyNetworkDatasetIsAPathsDataset() throws {
        let folder = try Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("run.h5").path
        let levels = try Fixture.levels()
        try LevelArchive.write(levels: levels, metadata: Fixture.metadata, to: path)
        let objects = try FileInspection.inspect(path).objects
        for level in levels {
            let prefix = "/levels/\(level.index)/"
            // The float32 datasets of the level's network (t is float64, the step times).
            let stored = Set(objects.filter { $0.kind == "dataset" && $0.elementType == "float32" && $0.path.hasPrefix(prefix) }
                .map { String($0.path.dropFirst(prefix.count)) })
            var expected = Set<String>()
            var tensors = 0
            for (tensorPath, tensor) in level.network.tensorsByPath() {
                expected.insert(tensorPath.hdf5Dataset)
                tensors += 1
                // Each dataset name and row reads back to the same path; the row holds the tensor.
                #expect(try ParameterPath(hdf5Dataset: tensorPath.hdf5Dataset, row: tensorPath.hdf5Row) == tensorPath)
                let shape = try #require(objects.first { $0.path == prefix + tensorPath.hdf5Dataset }?.shape)
                #expect(Array(shape.dropFirst(tensorPath.hdf5Row == nil ? 0 : 1)) == tensor.shape)
            }
            #expect(stored == expected, "level \(level.index)")
            #expect(tensors == level.network.parameters.count + 2 * level.network.batchNorms.count)
        }
    }
}
