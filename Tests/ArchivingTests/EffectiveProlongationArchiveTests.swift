import Foundation
import HDF5Storage
import Multilevel
import ODENet
import Testing
@testable import Archiving

/// A level archive records the effective method of every refinement that produced each level as
/// `/levels/<ℓ>/prolongation_effective`, readable by h5py (issue 12, defect 5).
@Suite struct EffectiveProlongationArchiveTests {
    /// Levels N = 1 (cycle 0), 4 (cycle 1: two refinements) and 8 (cycle 2), refined by cubic spline.
    func cubicLevels() throws -> [ArchivedLevel] {
        let coarse = try Fixture.trainedNetwork(ODENetwork(spec: Fixture.spec(), seed: 3), seed: 21)
        let middle = try coarse.resampled(toStepCount: 4, prolongation: .cubicSpline)
        let fine = try middle.refined(by: .cubicSpline, rule: .halve)
        return [ArchivedLevel(index: 2, network: coarse, cycle: 0), ArchivedLevel(index: 1, network: middle, cycle: 1),
                ArchivedLevel(index: 0, network: fine, cycle: 2)]
    }

    var cubicMetadata: ArchiveMetadata {
        var metadata = Fixture.metadata
        metadata.prolongation = .cubicSpline
        return metadata
    }

    @Test func everyRefinementsEffectiveMethodIsALevelAttribute() throws {
        let folder = try Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("cubic.h5").path
        try LevelArchive.write(levels: cubicLevels(), metadata: cubicMetadata, to: path)
        let file = try HDF5File.open(at: path)
        defer { try? file.close() }
        let a = { (level: Int) in try file.root.openGroup("levels/\(level)").attributes }
        #expect(try a(1).stringArray("prolongation_effective") == ["constant", "linear"])
        #expect(try a(0).stringArray("prolongation_effective") == ["cubicSpline"])
        #expect(try !a(2).contains("prolongation_effective"))
    }

    @Test func runsWithoutProlongationRecordNone() throws {
        var metadata = cubicMetadata
        metadata.prolongation = nil
        #expect(LevelArchive.effectiveProlongations(levels: try cubicLevels(), metadata: metadata).isEmpty)
        // The fixture's linear refinements 1 → 2 → 4.
        let linear = LevelArchive.effectiveProlongations(levels: try Fixture.levels(), metadata: Fixture.metadata)
        #expect(linear == [1: [.constant], 0: [.linear]])
    }

    @Test(.enabled(if: Fixture.h5pyAvailable, "h5py or numpy is not installed for /usr/bin/python3"))
    func h5pyReadsTheEffectiveMethods() throws {
        let folder = try Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("cubic.h5").path
        try LevelArchive.write(levels: cubicLevels(), metadata: cubicMetadata, to: path)
        let script = """
            import sys, h5py
            f = h5py.File(sys.argv[1], "r")
            got = {k: [s.decode() if isinstance(s, bytes) else s for s in f[f"levels/{k}"].attrs["prolongation_effective"]]
                   for k in ("0", "1")}
            assert got == {"0": ["cubicSpline"], "1": ["constant", "linear"]}, got
            assert "prolongation_effective" not in f["levels/2"].attrs
            print("ok")
            """
        let (status, output) = try Fixture.runPython(script, [path])
        #expect(status == 0, "h5py said: \(output)")
        #expect(output.contains("ok"))
    }
}
