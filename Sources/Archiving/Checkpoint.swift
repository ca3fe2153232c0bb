public import Foundation
public import Integrators
import Autodiff
import HDF5Storage
public import ODENet
public import TensorCore

/// The state of a training run at an epoch boundary, enough to resume it exactly: the network
/// (parameters and batch-norm running statistics), the optimizer's state, counters, real-valued
/// positions (e.g. of a learning-rate schedule), random-generator states, and a fingerprint of
/// the run's configuration.
///
/// Layout (one HDF5 file, written atomically like ``LevelArchive``):
/// ```
/// /            attrs: format = "MultilevelResNet.Checkpoint", format_version = 1, layout
///                     ("docs/archive-layout.md#checkpoint"), library_version, created (ISO 8601 UTC),
///                     configuration
/// /integrator  the integrators (as in the level archive)
/// /network     the network (the layout of /levels/<ℓ> in the level archive)
/// /optimizer/<name>   float32, one dataset per state tensor (e.g. SGD momentum by parameter name;
///                     axes those of the parameter, else "d0, d1, …")
/// /counters    attrs: name → int64
/// /values      attrs: name → float64
/// /random/<name>      int64 [k] (axes "word"): UInt64 generator words stored with the same bit pattern
/// /texts       attrs: name → string (e.g. a JSON document of the trainer's bookkeeping)
/// /finished_levels/<cycle>   the networks of the levels finished so far (as /levels/<ℓ> of the
///                            level archive, same attributes), so a damaged level archive can be rebuilt
/// ```
/// Every dataset carries a `crc32` attribute and the root a `crc32` of the whole file's manifest
/// (see ``ArchiveError/checksumMismatch(file:object:stored:computed:)``); ``read(from:expectedConfiguration:integrators:)``
/// verifies them when present (files written before checksums existed are read unverified).
/// ``write(to:keepingPreviousGeneration:)`` keeps the previous checkpoint beside the new one, and
/// ``readNewestIntact(at:expectedConfiguration:accept:)`` falls back to it when the newest is damaged.
///
/// Invariants: ``read(from:expectedConfiguration:integrators:)`` returns tensors, counters, values and states
/// equal bit for bit to the written ones; the network's parameter names are those of
/// `ODENetwork.init(spec:seed:)`, so optimizer state keyed by parameter name lines up.
public struct Checkpoint {
    /// The root attribute `format` of a checkpoint.
    public static let formatName = FileFormat.checkpoint.name
    /// The `format_version` this library writes (and the newest it reads).
    public static let formatVersion = FileFormat.checkpoint.version
    /// The root attribute `layout`: the repository page (and section) documenting this format,
    /// `docs/archive-layout.md#checkpoint`.
    public static let layout = FileFormat.checkpoint.layout

    /// The network being trained.
    public var network: ODENetwork
    /// Optimizer state tensors by name (e.g. `SGD.buffers`); names must not contain `/`.
    public var optimizerState: [String: Tensor]
    /// Integer counters by name (epoch, level, cycle, global step, …).
    public var counters: [String: Int]
    /// Real values by name (learning-rate schedule position, best accuracy, …).
    public var values: [String: Double]
    /// Random-generator states by name (e.g. the four words of `Xoshiro256StarStar.state`).
    public var randomStates: [String: [UInt64]]
    /// Free-form texts by name (e.g. the trainer's records as JSON).
    public var texts: [String: String]
    /// A canonical description of the run's configuration; resuming requires an equal one.
    public var configuration: String
    /// When the checkpoint was written (whole seconds survive a round trip).
    public var created: Date
    /// The levels finished before this checkpoint's cycle (empty in checkpoints written before
    /// the field existed): enough to rebuild the run's level archive.
    public var finishedLevels: [ArchivedLevel]

    /// A checkpoint.
    ///
    /// - Parameters:
    ///   - network: the network.
    ///   - optimizerState: optimizer tensors by name.
    ///   - counters: integer counters by name.
    ///   - values: real values by name.
    ///   - randomStates: generator states by name.
    ///   - texts: free-form texts by name.
    ///   - configuration: the configuration fingerprint (e.g. ``ConfigurationFingerprint/canonical(_:)``).
    ///   - created: the creation time, default now.
    ///   - finishedLevels: the levels finished so far (distinct cycles), default none.
    public init(network: ODENetwork, optimizerState: [String: Tensor] = [:], counters: [String: Int] = [:],
                values: [String: Double] = [:], randomStates: [String: [UInt64]] = [:],
                texts: [String: String] = [:], configuration: String, created: Date = Date(),
                finishedLevels: [ArchivedLevel] = []) {
        self.network = network
        self.optimizerState = optimizerState
        self.counters = counters
        self.values = values
        self.randomStates = randomStates
        self.texts = texts
        self.configuration = configuration
        self.created = created
        self.finishedLevels = finishedLevels.sorted { $0.cycle < $1.cycle }
    }

    /// Writes the checkpoint to `path`, replacing any previous file atomically.
    ///
    /// - Parameter path: the target file; its folder must exist.
    /// - Throws: ``ArchiveError/invalidArgument(file:message:)`` for a name that is empty, `.` or
    ///   contains `/`, or two finished levels of one cycle; ``ArchiveError/nonFiniteTensor(file:object:count:total:)``
    ///   when a tensor holds NaN or ±∞; ``ArchiveError/storage(_:)``, ``ArchiveError/systemCallFailed(function:errno:file:message:)``.
    ///   A failed write leaves any previous file at `path` unchanged.
    public func write(to path: String) throws {
        try write(to: path, beforeRename: {})
    }

    /// ``write(to:)`` with the crash-simulation hook of ``AtomicFileWriter``.
    func write(to path: String, beforeRename: () throws -> Void) throws {
        let names = Array(optimizerState.keys) + Array(counters.keys) + Array(values.keys) + Array(randomStates.keys)
            + Array(texts.keys)
        if let bad = names.first(where: { $0.isEmpty || $0 == "." || $0.contains("/") }) {
            throw ArchiveError.invalidArgument(file: path, message: "state name '\(bad)' is empty, '.' or contains '/'")
        }
        guard Set(finishedLevels.map(\.cycle)).count == finishedLevels.count else {
            throw ArchiveError.invalidArgument(file: path, message: "finished levels of one cycle twice: "
                                                   + "\(finishedLevels.map(\.cycle))")
        }
        try AtomicFileWriter.write(to: path, beforeRename: beforeRename) { file in
            let root = file.root
            try FileFormat.checkpoint.writeHeader(to: root, created: created)
            try root.attributes.set(.string(configuration), for: "configuration")
            try TableauCodec.write(network.spec.integrators, to: root)
            try NetworkCodec.write(network, to: root.createGroup("network"), file: path)
            let optimizer = try root.createGroup("optimizer")
            for (name, tensor) in optimizerState.sorted(by: { $0.key < $1.key }) {
                // State keyed by a parameter's name has that parameter's axes.
                let axes = (try? ParameterPath(name: name))?.field.archiveAxes
                    ?? ArchiveAnnotation.genericAxes(rank: tensor.shape.count)
                try NetworkCodec.write(tensor, to: name, axes: axes, in: optimizer, file: path)
            }
            let counterGroup = try root.createGroup("counters")
            for (name, value) in counters.sorted(by: { $0.key < $1.key }) {
                try counterGroup.attributes.set(.int64(Int64(value)), for: name)
            }
            let valueGroup = try root.createGroup("values")
            for (name, value) in values.sorted(by: { $0.key < $1.key }) {
                try valueGroup.attributes.set(.double(value), for: name)
            }
            let random = try root.createGroup("random")
            for (name, words) in randomStates.sorted(by: { $0.key < $1.key }) {
                try ArchiveAnnotation.annotate(random.write(words.map { Int64(bitPattern: $0) }, shape: [words.count], to: name),
                                               axes: ["word"])
            }
            let textGroup = try root.createGroup("texts")
            for (name, text) in texts.sorted(by: { $0.key < $1.key }) {
                try textGroup.attributes.set(.string(text), for: name)
            }
            let levelGroup = try root.createGroup("finished_levels")
            for level in finishedLevels {
                try level.write(to: levelGroup.createGroup("\(level.cycle)"), file: path)
            }
            try ArchiveChecksum.stamp(root)
        }
    }

    /// Reads a checkpoint and, when `expectedConfiguration` is given, checks it belongs to that run.
    ///
    /// - Parameters:
    ///   - path: the checkpoint file.
    ///   - expectedConfiguration: the fingerprint of the run resuming, or `nil` to accept any.
    ///   - catalogue: turns the stored integrators back into methods (see ``LevelArchive/read(from:integrators:)``).
    /// - Returns: the checkpoint.
    /// - Throws: ``ArchiveError/configurationMismatch(file:differences:)`` naming the fields that
    ///   differ (``ConfigurationFingerprint/differences(checkpoint:thisRun:)``);
    ///   ``ArchiveError/checksumMismatch(file:object:stored:computed:)`` naming the damaged dataset;
    ///   and every reading error of ``LevelArchive/read(from:integrators:)``.
    public static func read(from path: String, expectedConfiguration: String?,
                            integrators catalogue: IntegratorCatalogue = .builtIn) throws -> Checkpoint {
        let file = try FileFormat.open(path)
        defer { try? file.close() }
        return try ArchiveError.translating(reading: true) {
            let root = file.root
            try FileFormat.checkpoint.checkHeader(of: root, file: path)
            try ArchiveChecksum.verify(root, file: path)
            let configuration = try root.attributes.string("configuration")
            if let expectedConfiguration, expectedConfiguration != configuration {
                let differences = ConfigurationFingerprint.differences(checkpoint: configuration,
                                                                       thisRun: expectedConfiguration)
                if !differences.isEmpty { throw ArchiveError.configurationMismatch(file: path, differences: differences) }
            }
            let createdText = try root.attributes.string("created")
            guard let created = FileFormat.date(fromISO8601: createdText) else {
                throw ArchiveError.invalidValue(file: path, object: "/ attribute 'created'",
                                                message: "'\(createdText)' is not an ISO 8601 time")
            }
            let networkGroup = try root.openGroup("network")
            let stageCount = try networkGroup.attributes.int64Array("stage_channels").count
            let integrators = try TableauCodec.read(from: root, stageCount: stageCount, file: path, catalogue: catalogue)
            let spec = try NetworkCodec.readSpec(from: networkGroup, integrators: integrators, file: path)
            let network = try NetworkCodec.readNetwork(from: networkGroup, spec: spec, file: path)
            var optimizerState: [String: Tensor] = [:]
            let optimizer = try root.openGroup("optimizer")
            for child in try optimizer.children() {
                let info = try optimizer.datasetInfo(child.name)
                optimizerState[child.name] = try NetworkCodec.read(child.name, info.shape, optimizer, file: path)
            }
            var counters: [String: Int] = [:]
            let counterGroup = try root.openGroup("counters")
            for name in try counterGroup.attributes.names() {
                counters[name] = Int(try counterGroup.attributes.int64(name))
            }
            var values: [String: Double] = [:]
            let valueGroup = try root.openGroup("values")
            for name in try valueGroup.attributes.names() {
                values[name] = try valueGroup.attributes.double(name)
            }
            var randomStates: [String: [UInt64]] = [:]
            let random = try root.openGroup("random")
            for child in try random.children() {
                let info = try random.datasetInfo(child.name)
                randomStates[child.name] = try random.read(child.name, as: Int64.self, expectedShape: info.shape)
                    .values.map { UInt64(bitPattern: $0) }
            }
            var texts: [String: String] = [:]
            if try root.contains("texts") {  // absent in files written before the field existed (same version)
                let textGroup = try root.openGroup("texts")
                for name in try textGroup.attributes.names() { texts[name] = try textGroup.attributes.string(name) }
            }
            var finishedLevels: [ArchivedLevel] = []
            if try root.contains("finished_levels") {  // absent in files written before the field existed
                let levelGroup = try root.openGroup("finished_levels")
                for child in try levelGroup.children() {
                    finishedLevels.append(try ArchivedLevel.read(from: levelGroup.openGroup(child.name),
                                                                 integrators: integrators, file: path))
                }
            }
            return Checkpoint(network: network, optimizerState: optimizerState, counters: counters, values: values,
                              randomStates: randomStates, texts: texts, configuration: configuration, created: created,
                              finishedLevels: finishedLevels)
        }
    }
}
