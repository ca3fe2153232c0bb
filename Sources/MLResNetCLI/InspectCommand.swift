import ArgumentParser
import Foundation
import MultilevelResNet

/// `mlresnet inspect FILE [--json FILE|-]`: the tree of an HDF5 file and, for a level archive or a
/// checkpoint, a per-level summary.
///
/// - Throws: `ExitCode(1)` after printing the error when the file is missing, not HDF5, truncated,
///   or a level archive / checkpoint that does not read back or holds a dataset with NaN or ±∞.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show the tree (shapes, dtypes, attributes) of a level archive, checkpoint or any HDF5 file.",
        discussion: """
            For a level archive (format MultilevelResNet.LevelArchive) and a checkpoint \
            (MultilevelResNet.Checkpoint) the file is also read back completely and a per-level \
            summary is printed: steps per stage N, step size h, final time T, test accuracy. Every float \
            dataset of such a file is screened for NaN and ±∞; each one holding any is listed with its \
            count. The exit status is 1 when the file cannot be read or such a file is broken (including \
            a non-finite dataset).
            """)

    @Argument(help: "The HDF5 file.")
    var file: String

    /// `--json FILE|-`: {file, format, formatVersion, objects, networks, nonFiniteDatasets, problem}.
    @OptionGroup var output: JSONOutputOptions

    func run() throws {
        let inspection: FileInspection
        do {
            inspection = try FileInspection.inspect(file)
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(1)
        }
        if !output.toStandardOutput { printText(inspection) }
        try output.write(inspection)
        if let problem = inspection.problem {
            FileHandle.standardError.write(Data("error: \(problem)\n".utf8))
            throw ExitCode(1)
        }
    }

    private func printText(_ inspection: FileInspection) {
        let format = inspection.format.map { "\($0) version \(inspection.formatVersion.map(String.init) ?? "?")" }
        print("\(inspection.file): \(format ?? "HDF5 file (no MultilevelResNet format attribute)")")
        for object in inspection.objects {
            let depth = object.path == "/" ? 0 : object.path.split(separator: "/").count
            let indent = String(repeating: "  ", count: depth)
            let name = object.path == "/" ? "/" : String(object.path.split(separator: "/").last ?? "")
            switch object.kind {
            case "dataset":
                let shape = (object.shape ?? []).map(String.init).joined(separator: ", ")
                print("\(indent)\(name)  \(object.elementType ?? "?") [\(shape)]")
            case "group": print("\(indent)\(name == "/" ? "/" : name + "/")")
            default: print("\(indent)\(name)  (\(object.kind))")
            }
            for attribute in object.attributes {
                print("\(indent)    @\(attribute.name) = \(text(attribute.value))")
            }
        }
        guard !inspection.networks.isEmpty else { return }
        print("")
        print(pad("level", 6) + pad("N", 5) + pad("h", 12) + pad("T", 10) + pad("epochs", 8) + pad("accuracy", 10)
              + pad("wall s", 10) + "parameters")
        for n in inspection.networks {
            print(pad("\(n.level)", 6) + pad("\(n.stepsPerStage)", 5) + pad(String(format: "%.6g", n.h), 12)
                  + pad(String(format: "%.6g", n.finalTime), 10) + pad(n.epochs.map(String.init) ?? "-", 8)
                  + pad(n.testAccuracy.map { $0.isNaN ? "-" : String(format: "%.4f", $0) } ?? "-", 10)
                  + pad(n.wallSeconds.map { String(format: "%.1f", $0) } ?? "-", 10) + "\(n.parameterCount)")
        }
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }

    private func text(_ value: HDF5AttributeValue) -> String {
        switch value {
        case let .int64(v): return "\(v)"
        case let .double(v): return "\(v)"
        case let .string(v): return v.debugDescription
        case let .int64Array(v): return "\(v)"
        case let .doubleArray(v): return "\(v)"
        case let .stringArray(v): return "\(v)"
        }
    }
}
