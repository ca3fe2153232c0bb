import Archiving
import Foundation
import Testing

/// Issue 13, item 1: `--no-decay` takes typed values and changes which parameters are decayed.
@Suite(.serialized) struct NoDecayCommandTests {
    @Test func noDecayChangesTheNormsAndRefusesUnknownGroups() throws {
        let root = CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let bad = try CLI.run(["train"] + CLI.tiny + ["--epochs", "2", "--no-decay", "norm,weight",
                                                      "--output", root.appendingPathComponent("bad").path])
        #expect(bad.status != 0 && bad.errors.contains("'norm' and 'bias'"), "\(bad.errors)")
        var networks: [[String: [Float]]] = []
        for (name, extra) in [("plain", [String]()), ("nodecay", ["--no-decay", "norm,bias"])] {
            let folder = root.appendingPathComponent(name)
            let run = try CLI.run(["train"] + CLI.tiny + ["--epochs", "2", "--output", folder.path] + extra)
            #expect(run.status == 0, "\(run.errors)")
            let level = try #require(try LevelArchive.read(from: folder.appendingPathComponent("levels.h5").path).level(0))
            networks.append(Dictionary(uniqueKeysWithValues: level.network.parameters.map { ($0.name, $0.value.elements) }))
        }
        // Same seeds and data: only the decay of γ, β and the bias differs, so the weights differ.
        #expect(networks[0].keys == networks[1].keys)
        #expect(networks[0]["head.bn.weight"] != networks[1]["head.bn.weight"])
    }
}
