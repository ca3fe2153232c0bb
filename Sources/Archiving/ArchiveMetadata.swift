public import Foundation
public import HDF5Storage
public import Multilevel
import _ProjectInfo

/// The run-level facts stored as root attributes of a ``LevelArchive`` (`/`), besides the format,
/// the integrator and the network spec that the archive derives from its levels.
///
/// Root attribute names: `dataset`, `seed`, `command_line` (the arguments joined by spaces) and
/// `command_line_arguments` (the arguments; absent when there are none), `prolongation`, `restriction`, `step_rule`, `step_grid`
/// (raw values, or `"none"`), `library_version`, `created` (ISO 8601 UTC). ``extra`` goes to the
/// attributes of the group `/run`.
public struct ArchiveMetadata: Sendable, Equatable {
    /// The training data set's name (e.g. `"cifar10"`).
    public var dataset: String
    /// The run's seed (stored as the int64 with the same bit pattern).
    public var seed: UInt64
    /// The command line that produced the run, one argument per element.
    public var commandLine: [String]
    /// The prolongation between levels, or `nil` for a single-level run.
    public var prolongation: Prolongation?
    /// The restriction between levels, or `nil` when none was used.
    public var restriction: Restriction?
    /// The step-size rule of the depth transfers, or `nil` for a single-level run.
    public var stepRule: StepSizeRule?
    /// Where θ_n sits in its step for interpolating prolongations, or `nil`.
    public var stepGrid: StepGrid?
    /// When the archive was written (whole seconds survive a round trip).
    public var created: Date
    /// The library version that wrote the archive (set to the running version by every write).
    public var libraryVersion: String
    /// Further run attributes (hyper-parameters, …), stored on `/run`.
    public var extra: [String: HDF5AttributeValue]

    /// Run metadata; `created` defaults to now and `libraryVersion` to the running library's.
    ///
    /// - Parameters:
    ///   - dataset: the data set's name.
    ///   - seed: the run's seed.
    ///   - commandLine: the arguments of the run.
    ///   - prolongation: `P`, if any.
    ///   - restriction: `R`, if any.
    ///   - stepRule: the step-size rule, if any.
    ///   - stepGrid: the step grid, if any.
    ///   - created: the creation time.
    ///   - extra: further attributes for `/run`.
    public init(dataset: String, seed: UInt64, commandLine: [String] = [], prolongation: Prolongation? = nil,
                restriction: Restriction? = nil, stepRule: StepSizeRule? = nil, stepGrid: StepGrid? = nil,
                created: Date = Date(), extra: [String: HDF5AttributeValue] = [:]) {
        self.dataset = dataset
        self.seed = seed
        self.commandLine = commandLine
        self.prolongation = prolongation
        self.restriction = restriction
        self.stepRule = stepRule
        self.stepGrid = stepGrid
        self.created = created
        self.libraryVersion = multilevelResNetVersion
        self.extra = extra
    }

    /// Writes the root attributes and `/run`.
    func write(to root: HDF5Group) throws {
        let a = root.attributes
        try a.set(.string(dataset), for: "dataset")
        try a.set(.int64(Int64(bitPattern: seed)), for: "seed")
        try a.set(.string(commandLine.joined(separator: " ")), for: "command_line")
        if !commandLine.isEmpty { try a.set(.stringArray(commandLine), for: "command_line_arguments") }
        try a.set(.string(prolongation?.rawValue ?? "none"), for: "prolongation")
        try a.set(.string(restriction?.rawValue ?? "none"), for: "restriction")
        try a.set(.string(stepRule?.rawValue ?? "none"), for: "step_rule")
        try a.set(.string(stepGrid?.rawValue ?? "none"), for: "step_grid")
        let run = try root.createGroup("run")
        for (name, value) in extra.sorted(by: { $0.key < $1.key }) {
            try run.attributes.set(value, for: name)
        }
    }

    /// Reads what ``write(to:)`` wrote (and `library_version`, `created`).
    static func read(from root: HDF5Group, file: String) throws -> ArchiveMetadata {
        let a = root.attributes
        func named<T: RawRepresentable>(_ name: String, _: T.Type) throws -> T? where T.RawValue == String {
            let raw = try a.string(name)
            if raw == "none" { return nil }
            guard let value = T(rawValue: raw) else {
                throw ArchiveError.invalidValue(file: file, object: "/ attribute '\(name)'", message: "unknown value '\(raw)'")
            }
            return value
        }
        let createdText = try a.string("created")
        guard let created = FileFormat.date(fromISO8601: createdText) else {
            throw ArchiveError.invalidValue(file: file, object: "/ attribute 'created'",
                                            message: "'\(createdText)' is not an ISO 8601 time")
        }
        var metadata = ArchiveMetadata(
            dataset: try a.string("dataset"), seed: UInt64(bitPattern: try a.int64("seed")),
            commandLine: try a.contains("command_line_arguments") ? a.stringArray("command_line_arguments") : [],
            prolongation: try named("prolongation", Prolongation.self),
            restriction: try named("restriction", Restriction.self),
            stepRule: try named("step_rule", StepSizeRule.self), stepGrid: try named("step_grid", StepGrid.self),
            created: created)
        metadata.libraryVersion = try a.string("library_version")
        if try root.contains("run") {
            let run = try root.openGroup("run")
            for name in try run.attributes.names() {
                metadata.extra[name] = try run.attributes.value(name)
            }
        }
        return metadata
    }
}
