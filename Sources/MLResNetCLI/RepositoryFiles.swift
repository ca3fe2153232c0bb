import Foundation

/// Files of the repository the tool was built in (the PyTorch reference script), found from the
/// working folder or from the executable's real location. (The embedded digits are a resource of
/// the library: `Dataset.digits()`.)
enum RepositoryFiles {
    /// The places where `relativePath` may be, in order: under the working folder, then under each
    /// ancestor (up to four levels) of the folder that really holds the running executable.
    ///
    /// The executable's folder comes from `/proc/self/exe` with every symbolic link resolved, so
    /// `.build/release` (a link to `.build/<triple>/release`) and a tool started through `PATH` or
    /// from another working folder still find the repository.
    static func candidates(_ relativePath: String) -> [URL] {
        let manager = FileManager.default
        var urls = [URL(fileURLWithPath: manager.currentDirectoryPath).appendingPathComponent(relativePath)]
        let executable = (try? manager.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            .map { URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var folder = executable.deletingLastPathComponent()
        for _ in 0..<4 {
            folder = folder.deletingLastPathComponent()
            urls.append(folder.appendingPathComponent(relativePath))
        }
        return urls
    }
}
