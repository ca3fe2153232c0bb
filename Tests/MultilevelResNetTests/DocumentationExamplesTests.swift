import Foundation
import Testing

/// Every Swift listing of the documentation is compiled and run by a test: README.md and the
/// articles of `Sources/MultilevelResNet/MultilevelResNet.docc` each hold ```swift blocks, and the
/// test sources hold the same text between markers,
///
/// ```
/// // docs-example begins            (one whole listing)
/// // docs-example ends
/// // docs-example begins: NAME      (a part; the parts of NAME, in file order, joined by a blank
/// // docs-example ends: NAME         line, make one listing: e.g. imports at the top of a file)
/// ```
///
/// This test checks that the two sets are equal, after removing each one's common indentation,
/// trailing spaces and leading and trailing blank lines: a listing edited in a document without
/// its compiled copy (or the reverse) fails here, naming the file and line. Package manifests
/// (blocks starting `// swift-tools-version`) are built by `scripts/client-check` instead.
@Suite struct DocumentationExamplesTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A listing and where it is.
    struct Listing {
        var text: String
        var location: String
    }

    /// The documents whose Swift listings must be compiled.
    static func documents() throws -> [URL] {
        let catalog = repositoryRoot.appendingPathComponent("Sources/MultilevelResNet/MultilevelResNet.docc")
        let articles = try FileManager.default.contentsOfDirectory(at: catalog, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "md" }.sorted { $0.path < $1.path }
        return [repositoryRoot.appendingPathComponent("README.md")] + articles
    }

    /// The text with its common indentation, trailing spaces and outer blank lines removed.
    static func normalized(_ lines: [Substring]) -> String {
        var lines = lines.map { line -> Substring in
            var line = line
            while line.last == " " { line.removeLast() }
            return line
        }
        while lines.first?.isEmpty == true { lines.removeFirst() }
        while lines.last?.isEmpty == true { lines.removeLast() }
        let indent = lines.filter { !$0.isEmpty }.map { $0.prefix { $0 == " " }.count }.min() ?? 0
        return lines.map { $0.isEmpty ? "" : String($0.dropFirst(indent)) }.joined(separator: "\n")
    }

    /// The ```swift blocks of a Markdown file.
    static func swiftBlocks(in url: URL) throws -> [Listing] {
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        var listings: [Listing] = []
        var open: (start: Int, fence: Substring, body: [Substring])?
        for (n, line) in lines.enumerated() {
            let trimmed = line.drop { $0 == " " }
            if var block = open {
                if trimmed.hasPrefix(block.fence) && trimmed.allSatisfy({ $0 == "`" }) {
                    listings.append(Listing(text: normalized(block.body),
                                            location: "\(url.lastPathComponent):\(block.start + 1)"))
                    open = nil
                } else {
                    block.body.append(line)
                    open = block
                }
            } else if trimmed.hasPrefix("```swift") {
                open = (n, trimmed.prefix { $0 == "`" }, [])
            }
        }
        return listings.filter { !$0.text.hasPrefix("// swift-tools-version") }
    }

    /// The marked copies in the test sources (every `Tests/**/*.swift`).
    static func compiledCopies() throws -> [Listing] {
        let tests = repositoryRoot.appendingPathComponent("Tests")
        guard let walker = FileManager.default.enumerator(at: tests, includingPropertiesForKeys: nil) else { return [] }
        let files = walker.compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }.sorted { $0.path < $1.path }
        var whole: [Listing] = []
        var parts: [(name: String, text: String, location: String)] = []
        for file in files {
            let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            var open: (start: Int, name: String, body: [Substring])?
            for (n, line) in lines.enumerated() {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                let location = "\(file.lastPathComponent):\(n + 1)"
                if trimmed.hasPrefix("// docs-example begins") {
                    #expect(open == nil, "\(location): a docs-example begins inside another")
                    open = (n, String(trimmed.dropFirst("// docs-example begins".count)), [])
                } else if trimmed.hasPrefix("// docs-example ends") {
                    guard let block = open else {
                        Issue.record("\(location): docs-example ends without a beginning")
                        continue
                    }
                    let name = String(trimmed.dropFirst("// docs-example ends".count))
                    #expect(name == block.name, "\(location): ends '\(name)', began '\(block.name)'")
                    let text = normalized(block.body), start = "\(file.lastPathComponent):\(block.start + 1)"
                    if block.name.isEmpty {
                        whole.append(Listing(text: text, location: start))
                    } else {
                        parts.append((block.name, text, start))
                    }
                    open = nil
                } else if var block = open {
                    block.body.append(line)
                    open = block
                }
            }
            #expect(open == nil, "\(file.lastPathComponent): a docs-example is not closed")
        }
        var names: [String] = []
        for part in parts where !names.contains(part.name) { names.append(part.name) }
        let joined = names.map { name in
            let mine = parts.filter { $0.name == name }
            return Listing(text: mine.map(\.text).joined(separator: "\n\n"), location: mine[0].location)
        }
        return whole + joined
    }

    /// The first line where two texts differ, for the failure message.
    static func firstDifference(_ a: String, _ b: String) -> String {
        let x = a.split(separator: "\n", omittingEmptySubsequences: false)
        let y = b.split(separator: "\n", omittingEmptySubsequences: false)
        for i in 0..<max(x.count, y.count) where i >= x.count || i >= y.count || x[i] != y[i] {
            return "line \(i + 1): document '\(i < x.count ? x[i] : "<end>")', test '\(i < y.count ? y[i] : "<end>")'"
        }
        return "no difference"
    }

    @Test("every Swift listing of README.md and the DocC articles equals a compiled copy in Tests/, and back")
    func listingsEqualCompiledCopies() throws {
        let listings = try Self.documents().flatMap(Self.swiftBlocks(in:))
        let copies = try Self.compiledCopies()
        #expect(listings.count >= 8, "found only \(listings.map(\.location))")
        for listing in listings where !copies.contains(where: { $0.text == listing.text }) {
            // The copy that shares the most leading lines is the one that drifted.
            let nearest = copies.max { a, b in
                zip(a.text.split(separator: "\n"), listing.text.split(separator: "\n")).prefix { $0 == $1 }.count
                    < zip(b.text.split(separator: "\n"), listing.text.split(separator: "\n")).prefix { $0 == $1 }.count
            }
            let hint = nearest.map { "; nearest \($0.location), \(Self.firstDifference(listing.text, $0.text))" } ?? ""
            Issue.record("\(listing.location): this Swift listing has no compiled copy in Tests/ between docs-example markers\(hint)")
        }
        for copy in copies where !listings.contains(where: { $0.text == copy.text }) {
            Issue.record("\(copy.location): this docs-example is in no document (README.md or the DocC articles)")
        }
    }

    @Test("the extraction sees blocks, fences and parts as documented")
    func extractionRules() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("docs-examples-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let markdown = folder.appendingPathComponent("a.md")
        try """
            text
              ```swift
              let a = 1   \("")
                let b = 2
              ```
            ```sh
            echo no
            ```
            ```swift
            // swift-tools-version: 6.0
            ```
            """.write(to: markdown, atomically: true, encoding: .utf8)
        let blocks = try Self.swiftBlocks(in: markdown)
        #expect(blocks.map(\.text) == ["let a = 1\n  let b = 2"])
        #expect(blocks.map(\.location) == ["a.md:2"])
        #expect(Self.normalized(["", "    x", "", "      y  ", ""]) == "x\n\n  y")
    }
}
