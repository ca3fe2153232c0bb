import Archiving
import Foundation
import Integrators
import ODENet
import Testing

/// Forward Euler scaled by a parameter (test-only): a method that is not a tableau, so its archive
/// records the attributes `kind` and `parameters`.
/// ```
/// Y_{n+1} = Y_n + s h F(t_n, Y_n)
/// ```
struct ScaledEuler: OneStepIntegrator {
    let s: Double
    var name: String { "scaledEuler" }
    var stageCount: Int { 1 }
    var order: Int { 1 }
    var identity: IntegratorIdentity { .kind("scaledEuler", parameters: [s]) }

    func step<State: VectorSpace>(_ y: State, at t: Double, stepSize h: Double,
                                  rightHandSide f: (Double, State) throws -> State) throws -> State {
        try State.linearCombination(y, weights: [s * h], terms: [f(t, y)])
    }
}

/// Issue 17, item 2: `docs/archive-layout.md` names every dataset and attribute that `mlresnet`
/// and the library write (so it cannot go stale), and its h5py snippet and the README's run on a
/// real archive.
@Suite("The documented HDF5 layout", .serialized)
struct ArchiveLayoutCommandTests {
    static let page = CLI.repositoryRoot.appendingPathComponent("docs/archive-layout.md")

    /// The names a page documents: every token of its code (fenced blocks and `inline` spans),
    /// tokens being runs of letters, digits, `_`, `.` and `+` (without leading or trailing dots).
    static func documentedNames(_ text: String) -> Set<String> {
        var code: [Substring] = []
        var fenced = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("```") { fenced.toggle(); continue }
            if fenced { code.append(line); continue }
            // Inline spans: the odd pieces between backticks.
            code += line.split(separator: "`", omittingEmptySubsequences: false).enumerated()
                .filter { $0.offset % 2 == 1 }.map(\.element)
        }
        let separators = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "_.+")).inverted
        return Set(code.flatMap { $0.components(separatedBy: separators) }
            .map { $0.trimmingCharacters(in: CharacterSet(charactersIn: ".")) }.filter { !$0.isEmpty })
    }

    /// Every group, dataset and attribute name of `path`, except names given by data: numeric
    /// groups (levels, stages, cycles) and the optimizer's datasets (parameter names).
    static func writtenNames(_ path: String) throws -> Set<String> {
        var names = Set<String>()
        for object in try FileInspection.inspect(path).objects {
            names.formUnion(object.attributes.map(\.name))
            let components = object.path.split(separator: "/").map(String.init)
            guard let last = components.last, Int(last) == nil, components.first != "optimizer" || components.count == 1
            else { continue }
            names.insert(last)
        }
        return names
    }

    @Test("The name check finds a name the page lacks, and not one it has")
    func checkCanFail() throws {
        let documented = Self.documentedNames(try String(contentsOf: Self.page, encoding: .utf8))
        #expect(documented.contains("t_edges") && documented.contains("data.source.kind") && documented.contains("a"))
        #expect(!documented.contains("no_such_dataset") && !documented.contains("Conventions"), "prose is not code")
    }

    @Test("docs/archive-layout.md names every dataset and attribute of a run's archive and checkpoint and the library's variants")
    func pageNamesEverythingWritten() throws {
        let folder = CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // Two stages with different methods (per-stage tableaux, an embedded b_hat).
        let run = folder.appendingPathComponent("run")
        let trained = try CLI.run(["train", "--channels", "4,8", "--schedule", "1,2", "--epochs", "2", "--threads", "1",
                                   "--progress", "silent", "--integrator", "bogackiShampine32,forwardEuler",
                                   "--output", run.path])
        #expect(trained.status == 0, "\(trained.errors)")
        var written = Set<String>()
        for name in ["levels.h5", "checkpoint.h5"] {
            written.formUnion(try Self.writtenNames(run.appendingPathComponent(name).path))
        }
        // A method that is not a tableau (kind, parameters), written by the library.
        let spec = try ODENetSpec(inputShape: [8, 8, 1], classCount: 3, stageChannels: [4], stepCount: 2,
                                  integrators: [ScaledEuler(s: 0.5)])
        let library = folder.appendingPathComponent("library.h5").path
        try LevelArchive.write(levels: [ArchivedLevel(index: 0, network: ODENetwork(spec: spec, seed: 1))],
                               metadata: ArchiveMetadata(dataset: "digits", seed: 1), to: library)
        written.formUnion(try Self.writtenNames(library))
        for expected in ["t_edges", "level_index", "layout", "axes", "units", "time_units", "b_hat", "per_stage", "kind",
                         "parameters", "data.source.kind", "training_state", "finished_levels"] {
            #expect(written.contains(expected), "the files lack \(expected): the check would not cover it")
        }
        let documented = Self.documentedNames(try String(contentsOf: Self.page, encoding: .utf8))
        let missing = written.subtracting(documented)
        #expect(missing.isEmpty, "docs/archive-layout.md does not name: \(missing.sorted())")
    }

    /// The first fenced ```python block after the line `heading` of `url`.
    static func pythonBlock(in url: URL, after heading: String) throws -> String {
        let text = try String(contentsOf: url, encoding: .utf8)
        let tail = try #require(text.range(of: "\n" + heading + "\n")).upperBound
        let start = try #require(text.range(of: "```python\n", range: tail..<text.endIndex)).upperBound
        let end = try #require(text.range(of: "\n```", range: start..<text.endIndex)).lowerBound
        return String(text[start..<end])
    }

    /// Runs `/usr/bin/python3 -c script` in `folder` (matplotlib without a display).
    static func python(_ script: String, in folder: URL) throws -> CLI.Outcome {
        CLI.finish(try CLI.start(["-c", script], executable: URL(fileURLWithPath: "/usr/bin/python3"), in: folder,
                                 environment: ["MPLBACKEND": "Agg"]))
    }

    static let pythonHasH5pyAndMatplotlib: Bool = (try? python("import h5py, numpy, matplotlib",
                                                               in: FileManager.default.temporaryDirectory))?.status == 0

    @Test("The page's h5py snippet and the README's plot run on a run's archive (levels in numeric order, t_edges)",
          .enabled(if: pythonHasH5pyAndMatplotlib, "h5py, numpy or matplotlib is not installed for /usr/bin/python3"))
    func snippetsRun() throws {
        let folder = CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let trained = try CLI.run(["train", "--channels", "4", "--schedule", "1,2,4", "--epochs", "3", "--threads", "1",
                                   "--progress", "silent", "--output", folder.path])
        #expect(trained.status == 0, "\(trained.errors)")
        let page = try Self.python(Self.pythonBlock(in: Self.page, after: "## Reading with h5py"), in: folder)
        #expect(page.status == 0, "\(page.errors)")
        let lines = page.output.split(separator: "\n")
        #expect(lines.first == "MultilevelResNet.LevelArchive 1 docs/archive-layout.md#level-archive", "\(page.output)")
        // Level 0 (N = 4) first, the coarsest (N = 1) last; every t_edges ends at T.
        #expect(lines.dropFirst().prefix(3).map { String($0.prefix(16)) } == ["level 0: N = 4, ", "level 1: N = 2, ",
                                                                                "level 2: N = 1, "], "\(page.output)")
        #expect(page.output.contains("axes (N, out, in, kh, kw)") && page.output.contains("depth-time (dimensionless)"))
        #expect(lines.last == "digits split seed 1 test fraction 0.2", "\(page.output)")
        // The README's snippet reads run.h5 and writes trajectory.png.
        try FileManager.default.copyItem(at: folder.appendingPathComponent("levels.h5"),
                                         to: folder.appendingPathComponent("run.h5"))
        let readme = try Self.python(Self.pythonBlock(in: CLI.repositoryRoot.appendingPathComponent("README.md"),
                                                      after: "## The level archive (HDF5)"), in: folder)
        #expect(readme.status == 0, "\(readme.errors)")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("trajectory.png").path))
    }
}
