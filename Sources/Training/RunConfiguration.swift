public import Foundation
public import Integrators

/// Everything that decides what a run computes, resolved: the data and their split, the network,
/// the schedule, the optimizer, the seeds, the kernel threads and (for `compare`) the sweep.
///
/// One type for the library and the command line, with the same defaults: `mlresnet train` and
/// `compare` build one from their options (or read one with `--config FILE`), write it in full to
/// the run folder's `config.json`, to `results.json` and, flattened, to the attributes of every
/// level archive's `/run` group (``flattened()``). Reading a run's `config.json` back and running it
/// reproduces the run bit for bit (same machine, 1 thread; oneDNN may pick other kernels with more
/// threads or on another ISA).
///
/// Every field is encoded, `nil` ones as JSON `null` (so a reader sees each field and its default).
public struct RunConfiguration: Sendable, Hashable, Codable {
    /// The version of this layout (bumped when a field changes meaning).
    public static let formatVersion = 1

    /// The images and their split.
    public var data: DataConfiguration
    /// Architecture, schedule, epochs, learning rates, optimizer, network seed, runs.
    public var comparison: ComparisonConfiguration
    /// Kernel threads (oneDNN's OpenMP pool and OpenBLAS), ≥ 1.
    public var threads: Int
    /// The sweep over seeds and methods of `compare --seeds/--integrators`, `nil` for one comparison.
    public var sweep: SweepSettings?

    /// A sweep: `seeds` consecutive seeds from the configuration's seed, each of `integrators`
    /// (whole-network methods), optionally at equal F evaluations.
    public struct SweepSettings: Sendable, Hashable, Codable {
        /// How many consecutive seeds, ≥ 1.
        public var seeds: Int
        /// The methods swept (empty: the configuration's own).
        public var integrators: [IntegratorKind]
        /// Give every method the F evaluations of the one with fewest stages (N·s_ref/s steps).
        public var equalEvaluations: Bool

        /// Creates sweep settings.
        public init(seeds: Int = 1, integrators: [IntegratorKind] = [], equalEvaluations: Bool = false) {
            self.seeds = seeds
            self.integrators = integrators
            self.equalEvaluations = equalEvaluations
        }
    }

    /// The command line's defaults: the embedded digits, channels 8,16,32, schedule 2,4,8,
    /// 16 epochs, batch 32, SGD (momentum 0.9, weight decay 5e-4), cosine 0.1 → 0.001, seed 1, 1 thread.
    public init(data: DataConfiguration = DataConfiguration(), comparison: ComparisonConfiguration = ComparisonConfiguration(),
                threads: Int? = nil, sweep: SweepSettings? = nil) {
        self.data = data
        self.comparison = comparison
        self.threads = threads ?? data.source.defaultThreadCount
        self.sweep = sweep
    }

    /// Sets every seed of the run: the data split, the shuffles and augmentation, the network's
    /// initialization (what `--seed` sets).
    public mutating func setSeed(_ seed: UInt64) {
        data.seed = seed
        comparison.training.seed = seed
        comparison.networkSeed = seed
    }

    /// This configuration with the defaults that depend on others written out: the final time `T`
    /// (the coarsest `N`) and the epochs per cycle (the paper's split), so the record states them.
    ///
    /// - Throws: ``TrainingError`` when the data's or the comparison's settings are invalid, or a
    ///   plateau rule has no validation part to watch.
    public func resolved() throws -> RunConfiguration {
        var copy = self
        // Paths are recorded absolute (against the current directory), so a record names the same
        // files from anywhere (a hand-written relative path in a file included).
        copy.data.source = data.source.withAbsolutePaths
        try copy.data.validate()
        if self.comparison.plateau != nil, data.validationFraction == 0 {
            throw TrainingError.invalidConfiguration(
                name: "plateau", value: "\(self.comparison.plateau!)",
                expected: "a validation fraction > 0 (the rule watches validation accuracy)")
        }
        let comparison = try ComparisonPlan(configuration: self.comparison)
        copy.comparison.finalTime = comparison.coarseFinalTime
        copy.comparison.cycleEpochs = comparison.cycleEpochs
        return copy
    }

    /// Reads a configuration written from ``fileData(environment:)`` (or by hand).
    ///
    /// - Parameter url: the JSON file, e.g. a run folder's `config.json`.
    /// - Throws: ``TrainingError/invalidConfigurationFile(path:message:)`` for an unreadable file,
    ///   malformed JSON, a missing or mistyped field (named by its coding path), or a format version
    ///   outside 1…``formatVersion`` (newer, or never written).
    public static func read(from url: URL) throws -> RunConfiguration {
        let bytes: Data
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), isFolder.boolValue {
            throw TrainingError.invalidConfigurationFile(path: url.path, message: "is a folder; name a configuration file "
                                                         + "(e.g. the run folder's config.json)")
        }
        do {
            bytes = try Data(contentsOf: url)
        } catch {
            throw TrainingError.invalidConfigurationFile(path: url.path, message: "cannot be read (\(error.localizedDescription))")
        }
        do {
            let version = try JSONDecoder().decode(Version.self, from: bytes).formatVersion
            guard (1...formatVersion).contains(version) else {
                throw TrainingError.invalidConfigurationFile(
                    path: url.path, message: "format version \(version); this library reads 1…\(formatVersion)")
            }
            let configuration = try JSONDecoder().decode(File.self, from: bytes).configuration
            // A misspelt field would otherwise be ignored silently (its default used instead).
            let given = try JSONDecoder().decode(RawFile.self, from: bytes).configuration.leafPaths(prefix: "configuration")
            let known = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(configuration))
                .leafPaths(prefix: "configuration")
            let unknown = given.filter { path in !known.contains { $0 == path || $0.hasPrefix(path + ".") || path.hasPrefix($0 + ".") } }
            guard unknown.isEmpty else {
                throw TrainingError.invalidConfigurationFile(
                    path: url.path, message: "unknown field\(unknown.count == 1 ? "" : "s") "
                        + unknown.sorted().map { "'\($0)'" }.joined(separator: ", ") + " (misspelt? see --print-config for every field)")
            }
            return configuration
        } catch let error as TrainingError {
            throw error
        } catch let DecodingError.keyNotFound(key, context) {
            throw TrainingError.invalidConfigurationFile(
                path: url.path, message: "missing field '\(Self.path(context.codingPath + [key]))'")
        } catch let DecodingError.typeMismatch(type, context) {
            throw TrainingError.invalidConfigurationFile(
                path: url.path, message: "field '\(Self.path(context.codingPath))': expected \(type); \(context.debugDescription)")
        } catch let DecodingError.valueNotFound(type, context) {
            throw TrainingError.invalidConfigurationFile(
                path: url.path, message: "field '\(Self.path(context.codingPath))': expected \(type), found null")
        } catch let DecodingError.dataCorrupted(context) {
            throw TrainingError.invalidConfigurationFile(
                path: url.path, message: context.codingPath.isEmpty ? "not JSON: \(context.debugDescription)"
                    : "field '\(Self.path(context.codingPath))': \(context.debugDescription)")
        } catch {
            throw TrainingError.invalidConfigurationFile(path: url.path, message: "\(error)")
        }
    }

    /// The JSON text of the file `config.json`: `{"formatVersion": 1, "configuration": {…},
    /// "environment": {…}}` with sorted keys (the environment is informative; ``read(from:)`` ignores it).
    ///
    /// - Parameter environment: what the run ran on (library version, threads, ISA, BLAS), any
    ///   `Encodable`, or `nil`.
    /// - Throws: `EncodingError`.
    public func fileData(environment: (any Encodable & Sendable)? = nil) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(FileOut(formatVersion: Self.formatVersion, configuration: self,
                                          environment: environment.map(AnyEncodable.init)))
    }

    /// The configuration as flat `key → value` pairs with dotted keys (`comparison.training.batchSize`),
    /// for HDF5 attributes, typed by each field's Swift type (a `Double` field is always real, even
    /// when it holds 0): integers, reals, strings, booleans as the strings `true`/`false`, arrays of
    /// numbers or strings, `nil` as the string `"none"`, an empty array as `"[]"`; an array of
    /// objects as its JSON text.
    ///
    /// - Throws: `EncodingError`.
    public func flattened() throws -> [String: FlatValue] {
        try Self.flattened(self)
    }

    /// Any encodable value flattened as ``flattened()`` flattens a configuration, keys under `prefix`
    /// (e.g. `environment.instructionSet`).
    ///
    /// - Throws: `EncodingError`.
    public static func flattened(_ value: some Encodable, prefix: String = "") throws -> [String: FlatValue] {
        try FlatteningEncoder.flatten(value, prefix: prefix)
    }

    /// One value of ``flattened()``.
    public enum FlatValue: Sendable, Hashable {
        case integer(Int64)
        case real(Double)
        case text(String)
        case integers([Int64])
        case reals([Double])
        case texts([String])
    }

    /// A JSON value as decoded (booleans tried before numbers, integers before reals), for the
    /// unknown-field check of ``read(from:)``.
    private indirect enum JSONValue: Decodable {
        case null, boolean(Bool), integer(Int64), real(Double), text(String), array([JSONValue]), object([String: JSONValue])

        init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if c.decodeNil() { self = .null }
            else if let v = try? c.decode(Bool.self) { self = .boolean(v) }
            else if let v = try? c.decode(Int64.self) { self = .integer(v) }
            else if let v = try? c.decode(Double.self) { self = .real(v) }
            else if let v = try? c.decode(String.self) { self = .text(v) }
            else if let v = try? c.decode([JSONValue].self) { self = .array(v) }
            else { self = .object(try c.decode([String: JSONValue].self)) }
        }

        /// The dotted paths of the leaves (an array or an empty object is a leaf).
        func leafPaths(prefix: String) -> Set<String> {
            guard case let .object(members) = self, !members.isEmpty else { return [prefix] }
            return members.reduce(into: Set<String>()) { $0.formUnion($1.value.leafPaths(prefix: "\(prefix).\($1.key)")) }
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            .replacingOccurrences(of: ".[", with: "[")
    }

    private struct RawFile: Decodable {
        var configuration: JSONValue
    }

    private struct Version: Decodable {
        var formatVersion: Int
    }

    private struct File: Decodable {
        var formatVersion: Int
        var configuration: RunConfiguration
    }

    private struct FileOut: Encodable {
        var formatVersion: Int
        var configuration: RunConfiguration
        var environment: AnyEncodable?
    }

    private struct AnyEncodable: Encodable {
        let value: any Encodable
        func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
    }

    private enum CodingKeys: String, CodingKey { case data, comparison, threads, sweep }

    /// Decodes every field (`sweep` may be `null` or absent).
    ///
    /// - Throws: `DecodingError` naming the field.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        data = try c.decode(DataConfiguration.self, forKey: .data)
        comparison = try c.decode(ComparisonConfiguration.self, forKey: .comparison)
        threads = try c.decode(Int.self, forKey: .threads)
        sweep = try c.decodeIfPresent(SweepSettings.self, forKey: .sweep)
    }

    /// Encodes every field, `sweep` as `null` when there is none.
    ///
    /// - Throws: `EncodingError`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(data, forKey: .data)
        try c.encode(comparison, forKey: .comparison)
        try c.encode(threads, forKey: .threads)
        try c.encode(sweep, forKey: .sweep)
    }
}
