public import HDF5Storage
import ODENet
import TensorCore

/// What `mlresnet inspect` shows of an HDF5 file: its tree (groups and datasets with shapes,
/// element types and attributes), its format, a per-level summary for a level archive or a
/// checkpoint, and any problem found when the file claims one of this module's formats.
///
/// Any HDF5 file can be inspected; only level archives and checkpoints are validated (fully read,
/// and every float dataset screened for NaN and ±∞).
public struct FileInspection: Sendable, Encodable {
    /// One attribute of an object.
    public struct Attribute: Sendable, Encodable {
        /// The attribute's name.
        public let name: String
        /// Its value.
        public let value: HDF5AttributeValue

        private enum CodingKeys: String, CodingKey { case name, value }

        /// Encodes `{"name": …, "value": …}` with the value as a JSON number, string or array.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(name, forKey: .name)
            switch value {
            case let .int64(v): try container.encode(v, forKey: .value)
            case let .double(v): try container.encode(v, forKey: .value)
            case let .string(v): try container.encode(v, forKey: .value)
            case let .int64Array(v): try container.encode(v, forKey: .value)
            case let .doubleArray(v): try container.encode(v, forKey: .value)
            case let .stringArray(v): try container.encode(v, forKey: .value)
            }
        }
    }

    /// One group or dataset.
    public struct Object: Sendable, Encodable {
        /// The absolute path (`/` for the root).
        public let path: String
        /// `group`, `dataset` or `other`.
        public let kind: String
        /// The element type of a dataset (NumPy's name), `nil` for a group.
        public let elementType: String?
        /// The shape of a dataset, `nil` for a group.
        public let shape: [Int]?
        /// The attributes, by name.
        public let attributes: [Attribute]
    }

    /// One network stored in the file (a level of an archive, or the checkpoint's network).
    ///
    /// Units: `h`, `T` in depth-time; `wallSeconds` in seconds; `testAccuracy` in `[0, 1]` or NaN.
    public struct NetworkSummary: Sendable, Encodable {
        /// The level index ℓ (0 = finest); 0 for a checkpoint.
        public let level: Int
        /// Steps per stage `N`.
        public let stepsPerStage: Int
        /// The step size `h`.
        public let h: Double
        /// The final time `T`.
        public let finalTime: Double
        /// Channels per stage.
        public let stageChannels: [Int]
        /// Integrator names per stage.
        public let integrators: [String]
        /// Trainable scalars.
        public let parameterCount: Int
        /// Epochs trained (archives only).
        public let epochs: Int?
        /// Test accuracy (archives only).
        public let testAccuracy: Double?
        /// Wall seconds (archives only).
        public let wallSeconds: Double?
    }

    /// A float dataset holding NaN or ±∞ values.
    public struct NonFiniteDataset: Sendable, Hashable, Encodable, CustomStringConvertible {
        /// The dataset's absolute path.
        public let path: String
        /// How many of its values are NaN or ±∞.
        public let count: Int
        /// How many values it holds.
        public let total: Int

        /// `"<path> (<count> of <total>)"`.
        public var description: String { "\(path) (\(count) of \(total))" }
    }

    /// The file's path.
    public let file: String
    /// The root `format` attribute, or `nil` when absent.
    public let format: String?
    /// The root `format_version` attribute, or `nil` when absent.
    public let formatVersion: Int?
    /// Every object, root first, depth first, children by name.
    public let objects: [Object]
    /// The networks: the levels of an archive (by ℓ) or the checkpoint's network; empty otherwise.
    public let networks: [NetworkSummary]
    /// The float32/float64 datasets of a level archive or checkpoint that hold NaN or ±∞, in
    /// ``objects`` order (empty for a valid file, and for files not of our formats, which are not screened).
    public let nonFiniteDatasets: [NonFiniteDataset]
    /// The problem found reading a level archive or checkpoint (`nil` when valid or not ours): every
    /// non-finite dataset with its count, then the reading error if it is another one.
    public let problem: String?

    /// Inspects `path`.
    ///
    /// - Parameter path: any HDF5 file.
    /// - Returns: the inspection; a level archive or checkpoint that fails to read or holds a
    ///   non-finite dataset gives it in ``problem`` (the tree is still listed).
    /// - Throws: ``ArchiveError/fileNotFound(file:)``, ``ArchiveError/notHDF5File(file:)``,
    ///   ``ArchiveError/unreadableFile(file:object:message:)`` when the tree cannot be listed.
    public static func inspect(_ path: String) throws -> FileInspection {
        let file = try FileFormat.open(path)
        let (objects, format, version, nonFinite): ([Object], String?, Int?, [NonFiniteDataset]) =
            try ArchiveError.translating(reading: true) {
                defer { try? file.close() }
                var objects: [Object] = []
                try walk(file.root, into: &objects)
                let root = file.root.attributes
                let format = try root.contains("format") ? try? root.string("format") : nil
                let version = try root.contains("format_version") ? (try? root.int64("format_version")).map { Int($0) } : nil
                let ours = format == LevelArchive.formatName || format == Checkpoint.formatName
                return (objects, format, version, ours ? try nonFiniteDatasets(objects, in: file.root) : [])
            }
        var networks: [NetworkSummary] = []
        var problems: [String] = []
        if !nonFinite.isEmpty {
            problems.append("\(nonFinite.count) dataset\(nonFinite.count == 1 ? "" : "s") hold\(nonFinite.count == 1 ? "s" : "") "
                            + "non-finite values (NaN or ±∞): " + nonFinite.map(\.description).joined(separator: ", "))
        }
        do {
            switch format {
            case LevelArchive.formatName?:
                networks = try LevelArchive.read(from: path).levels.map {
                    summary(level: $0.index, $0.network, epochs: $0.epochs, testAccuracy: $0.testAccuracy,
                            wallSeconds: $0.wallSeconds)
                }
            case Checkpoint.formatName?:
                let checkpoint = try Checkpoint.read(from: path, expectedConfiguration: nil)
                networks = [summary(level: checkpoint.counters["level"] ?? 0, checkpoint.network, epochs: nil,
                                    testAccuracy: nil, wallSeconds: nil)]
            default: break
            }
        } catch ArchiveError.nonFiniteDataset where !nonFinite.isEmpty {
            // Already listed, with every other non-finite dataset.
        } catch {
            problems.append(String(describing: error))
        }
        return FileInspection(file: path, format: format, formatVersion: version, objects: objects,
                              networks: networks, nonFiniteDatasets: nonFinite,
                              problem: problems.isEmpty ? nil : problems.joined(separator: "; "))
    }

    /// The float datasets of a level archive or checkpoint that hold NaN or ±∞, without reading the
    /// rest of the file as a network (`mlresnet analyze` checks its archives with this first).
    ///
    /// - Parameter path: an HDF5 file.
    /// - Returns: every float32/float64 dataset holding NaN or ±∞, with its count, in tree order.
    /// - Throws: ``ArchiveError/fileNotFound(file:)``, ``ArchiveError/notHDF5File(file:)``,
    ///   ``ArchiveError/unreadableFile(file:object:message:)``.
    public static func nonFiniteDatasets(in path: String) throws -> [NonFiniteDataset] {
        let file = try FileFormat.open(path)
        return try ArchiveError.translating(reading: true) {
            defer { try? file.close() }
            var objects: [Object] = []
            try walk(file.root, into: &objects)
            return try nonFiniteDatasets(objects, in: file.root)
        }
    }

    /// Reads every float32/float64 dataset among `objects` and counts its NaN and ±∞ values.
    private static func nonFiniteDatasets(_ objects: [Object], in root: HDF5Group) throws -> [NonFiniteDataset] {
        var result: [NonFiniteDataset] = []
        for object in objects where object.kind == "dataset" {
            let dataset = try root.openDataset(object.path)
            let (count, total): (Int, Int)
            switch dataset.info.elementType {
            case .float32:
                let values = try dataset.read(as: Float.self).values
                (count, total) = (values.withUnsafeBufferPointer { Tensor.nonFiniteCount(in: $0) }, values.count)
            case .float64:
                let values = try dataset.read(as: Double.self).values
                (count, total) = (values.reduce(0) { $0 + ($1.isFinite ? 0 : 1) }, values.count)
            default: continue
            }
            if count > 0 { result.append(NonFiniteDataset(path: object.path, count: count, total: total)) }
        }
        return result
    }

    private static func summary(level: Int, _ network: ODENetwork, epochs: Int?, testAccuracy: Double?,
                                wallSeconds: Double?) -> NetworkSummary {
        let spec = network.spec
        return NetworkSummary(level: level, stepsPerStage: spec.stepCount, h: spec.stepSize, finalTime: spec.finalTime,
                              stageChannels: spec.stageChannels, integrators: spec.integrators.map(\.name),
                              parameterCount: network.parameterCount, epochs: epochs, testAccuracy: testAccuracy,
                              wallSeconds: wallSeconds)
    }

    private static func attributes(_ attributes: HDF5Attributes) throws -> [Attribute] {
        try attributes.names().map { Attribute(name: $0, value: try attributes.value($0)) }
    }

    private static func walk(_ group: HDF5Group, into objects: inout [Object]) throws {
        objects.append(Object(path: group.path, kind: "group", elementType: nil, shape: nil,
                              attributes: try attributes(group.attributes)))
        for child in try group.children() {
            let path = group.path == "/" ? "/" + child.name : group.path + "/" + child.name
            switch child.kind {
            case .group: try walk(group.openGroup(child.name), into: &objects)
            case .dataset:
                let dataset = try group.openDataset(child.name)
                objects.append(Object(path: path, kind: "dataset", elementType: dataset.info.elementType.description,
                                      shape: dataset.info.shape, attributes: try attributes(dataset.attributes)))
            case .other:
                objects.append(Object(path: path, kind: "other", elementType: nil, shape: nil, attributes: []))
            }
        }
    }
}
