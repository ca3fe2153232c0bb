import Foundation
import Testing

/// Documentation that must not go stale (issue 17, item 5): what `--help` and the READMEs cite
/// exists in the repository, and nothing that exists is called planned.
@Suite("Documentation the repository ships")
struct DocumentationTests {
    @Test("Every subcommand's help cites only files the repository has")
    func helpCitesExistingFiles() throws {
        for command in ["train", "compare", "analyze", "bench", "convergence", "inspect"] {
            let help = try CLI.run([command, "--help"])
            #expect(help.status == 0, "\(command): \(help.errors)")
            let text = help.output.replacingOccurrences(of: "\n", with: " ")
            // Words that name a file: a path with a slash, or any *.md / *.py / *.swift / *.json name.
            let words = text.split(whereSeparator: { $0.isWhitespace || "(),;`'\"".contains($0) })
                .map { String($0).trimmingCharacters(in: CharacterSet(charactersIn: ".:")) }
            let cited = words.filter { word in
                [".md", ".py", ".swift"].contains { word.hasSuffix($0) }
                    || (word.contains("/") && ["Sources/", "benchmarks/", "notebooks-export/", "scripts/", "datasets/", "paper/"]
                        .contains { word.hasPrefix($0) })
            }
            for file in cited {
                #expect(FileManager.default.fileExists(atPath: CLI.repositoryRoot.appendingPathComponent(file).path),
                        "mlresnet \(command) --help cites \(file), which the repository does not have")
            }
        }
    }

    @Test("No README calls something the repository has 'planned'")
    func noStalePlans() throws {
        let root = CLI.repositoryRoot
        for readme in ["README.md", "datasets/README.md", "benchmarks/README.md", "notebooks-export/README.md"] {
            let text = try String(contentsOf: root.appendingPathComponent(readme), encoding: .utf8)
            for line in text.split(separator: "\n") where line.lowercased().contains("planned (") || line.hasPrefix("Status: planned") {
                Issue.record("\(readme): a status line says planned: \(line)")
            }
        }
    }
}
