public import Archiving
public import HDF5Storage
public import TensorCore
import Foundation

extension RunConfiguration {
    /// The `/run` attribute holding the whole configuration as JSON text (the other `/run`
    /// attributes hold its fields one by one, ``flattened()``).
    public static let archiveAttribute = "configuration"

    /// The first component of the environment's `/run` attributes (``archiveAttributes(environment:)``).
    public static let environmentPrefix = "environment"

    /// The attributes of an archive's `/run` group: every field of ``flattened()`` under its dotted
    /// name (`comparison.training.batchSize`, …), readable with h5py as numbers, strings and
    /// arrays, plus ``archiveAttribute`` with the JSON text that ``init(archiveMetadata:)`` reads back,
    /// and, when given, the environment's fields under `environment.` (`environment.instructionSet`,
    /// `environment.blasConfiguration`, `environment.libraryVersion`, …). The training data are
    /// among the fields: `data.source.kind` and its absolute paths (`data.source.images`,
    /// `data.source.labels`, `data.source.folder`), `data.seed`, `data.testFraction`,
    /// `data.validationFraction`, `data.trainingSubset`, `data.classes` — enough to rebuild the
    /// run's split (`mlresnet analyze` does). Every name is listed in `docs/archive-layout.md`.
    ///
    /// - Parameter environment: what the run ran on, or `nil`.
    /// - Throws: `EncodingError`.
    public func archiveAttributes(environment: ComputeEnvironment? = nil) throws -> [String: HDF5AttributeValue] {
        var attributes: [String: HDF5AttributeValue] = [:]
        var flat = try flattened()
        if let environment { flat.merge(try Self.flattened(environment, prefix: Self.environmentPrefix)) { a, _ in a } }
        for (key, value) in flat {
            switch value {
            case let .integer(v): attributes[key] = .int64(v)
            case let .real(v): attributes[key] = .double(v)
            case let .text(v): attributes[key] = .string(v)
            case let .integers(v): attributes[key] = .int64Array(v)
            case let .reals(v): attributes[key] = .doubleArray(v)
            case let .texts(v): attributes[key] = .stringArray(v)
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        attributes[Self.archiveAttribute] = .string(String(decoding: try encoder.encode(self), as: UTF8.self))
        return attributes
    }

    /// The configuration an archive's `/run` group records, or `nil` for an archive written before
    /// configurations were recorded (no ``archiveAttribute``).
    ///
    /// - Parameter archiveMetadata: the archive's metadata (``/Archiving/LevelArchive/metadata``).
    /// - Throws: ``TrainingError/invalidConfigurationFile(path:message:)`` when the attribute is
    ///   not a string or not a configuration.
    public init?(archiveMetadata: ArchiveMetadata) throws {
        guard let value = archiveMetadata.extra[Self.archiveAttribute] else { return nil }
        guard case let .string(text) = value else {
            throw TrainingError.invalidConfigurationFile(path: "/run attribute '\(Self.archiveAttribute)'",
                                                         message: "expected a string, found \(value)")
        }
        do {
            self = try JSONDecoder().decode(RunConfiguration.self, from: Data(text.utf8))
        } catch {
            throw TrainingError.invalidConfigurationFile(path: "/run attribute '\(Self.archiveAttribute)'",
                                                         message: "\(error)")
        }
    }
}
