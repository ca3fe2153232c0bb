import Foundation
import HDF5Storage
public import Integrators
import ODENet

/// Every level of a multi-level run in one HDF5 file, readable with h5py and nothing of ours.
///
/// Layout (ℓ = 0 finest; `s` = stage; tensors float32 in PyTorch's names and OIHW order):
/// ```
/// /                         attrs: format = "MultilevelResNet.LevelArchive", format_version = 1,
///                                  layout = "docs/archive-layout.md#level-archive",
///                                  library_version, created (ISO 8601 UTC), dataset, seed,
///                                  command_line, command_line_arguments, prolongation, restriction,
///                                  step_rule, step_grid, integrator (or "mixed"), integrators,
///                                  levels (the indices ℓ, ascending), input_shape, class_count,
///                                  stage_channels, batch_norm_momentum, batch_norm_epsilon
/// /level_index              int64 [L]: the indices ℓ, ascending (iterate it: h5py lists the groups
///                           of /levels by name, "10" before "2")
/// /integrator/a, b, c       the Butcher tableau (float64; per stage under /integrator/<s>/ if they differ);
///                           a method that is not a tableau: attributes kind, name, order[, parameters]
/// /run                      attrs: ArchiveMetadata.extra
/// /levels/<ℓ>/              attrs: level, steps_per_stage N, h, T, time_units, cycle, epochs,
///                                  test_accuracy, wall_seconds, and the level's spec;
///                                  prolongation_effective (see
///                                  ``effectiveProlongations(levels:metadata:)``) on refined levels
/// /levels/<ℓ>/stem/weight                 [C_0, C_in, 3, 3]
/// /levels/<ℓ>/stages/<s>/<field>          [N, …]   e.g. conv1.weight [N, C, C, 3, 3], bn1.weight [N, C]
/// /levels/<ℓ>/stages/<s>/t                [N]      float64, the step start times t_n = n h
/// /levels/<ℓ>/stages/<s>/t_edges          [N + 1]  float64, t_n for n < N, then T exactly
/// /levels/<ℓ>/connectors/<s>/<field>      s ≥ 1
/// /levels/<ℓ>/head/bn.*, linear.weight, linear.bias
/// ```
/// Every dataset names its axes in an `axes` attribute (e.g. `"N, out, in, kh, kw"`); `t` and
/// `t_edges` carry `units` (depth-time) and `description`. `docs/archive-layout.md` (the root
/// attribute `layout`) lists every object with its shape, type, units and axes. Archives written
/// before `layout`, `level_index`, `t_edges`, `axes`, `units` and `time_units` existed (same
/// format version) are read as before.
/// Every dataset carries a `crc32` attribute (zlib's CRC-32 of its stored bytes:
/// `zlib.crc32(ds[()].tobytes())` in h5py) and the root a `crc32` of the file's manifest (layout and
/// attributes); ``read(from:integrators:)`` verifies them when present (archives written before checksums
/// existed are read unverified) and throws ``ArchiveError/checksumMismatch(file:object:stored:computed:)``
/// naming the damaged dataset. Writes are atomic (``AtomicFileWriter``).
///
/// Writing: ``write(levels:metadata:to:)`` stores networks you hold, one ``ArchivedLevel`` each
/// (levels that share everything but `N` and `T`); during a multi-level run the Training module's
/// `LevelArchiveWriter`, an observer of the trainer, rewrites the archive after every cycle:
/// ```swift
/// let metadata = ArchiveMetadata(dataset: "digits", seed: 0, prolongation: .piecewiseConstant, stepRule: .halve)
/// try LevelArchive.write(levels: [ArchivedLevel(index: 0, network: fine, cycle: 1),
///                                 ArchivedLevel(index: 1, network: coarse, cycle: 0)],
///                        metadata: metadata, to: "levels.h5")
/// let fine2 = try LevelArchive.read(from: "levels.h5").level(0)?.network   // bit-identical outputs
/// ```
///
/// Invariants: after ``read(from:integrators:)``, each level's network gives the same logits as the network
/// that was written, bit for bit (the same float32 values, the same method).
public struct LevelArchive {
    /// The root attribute `format` of a level archive.
    public static let formatName = FileFormat.levelArchive.name
    /// The `format_version` this library writes (and the newest it reads).
    public static let formatVersion = FileFormat.levelArchive.version
    /// The root attribute `layout`: the repository page (and section) documenting this format,
    /// `docs/archive-layout.md#level-archive`.
    public static let layout = FileFormat.levelArchive.layout
    /// The root dataset of the level indices ℓ in ascending order (int64 `[L]`).
    public static let levelIndexDataset = "level_index"

    /// The run's metadata.
    public var metadata: ArchiveMetadata
    /// The levels, by ascending index ℓ.
    public var levels: [ArchivedLevel]

    /// An archive of `levels` (sorted by index).
    ///
    /// - Parameters:
    ///   - metadata: the run's metadata.
    ///   - levels: the levels.
    public init(metadata: ArchiveMetadata, levels: [ArchivedLevel]) {
        self.metadata = metadata
        self.levels = levels.sorted { $0.index < $1.index }
    }

    /// The level of index ℓ, if stored.
    public func level(_ index: Int) -> ArchivedLevel? { levels.first { $0.index == index } }

    /// Writes this archive to `path` atomically (see ``write(levels:metadata:to:)``).
    ///
    /// - Throws: as ``write(levels:metadata:to:)``.
    public func write(to path: String) throws {
        try Self.write(levels: levels, metadata: metadata, to: path)
    }

    /// Writes every level and the metadata to `path`, replacing any previous file atomically.
    ///
    /// - Parameters:
    ///   - levels: at least one level, distinct indices ≥ 0; the networks must share everything but
    ///     `N` and `T` (input shape, classes, channels, integrators, batch-norm settings).
    ///   - metadata: the run's metadata (`libraryVersion` is replaced by the running library's).
    ///   - path: the target file; its folder must exist.
    /// - Throws: ``ArchiveError/invalidArgument(file:message:)`` for inconsistent levels (nothing
    ///   written); ``ArchiveError/nonFiniteTensor(file:object:count:total:)`` when a tensor holds NaN
    ///   or ±∞; ``ArchiveError/storage(_:)`` and ``ArchiveError/systemCallFailed(function:errno:file:message:)``
    ///   from the write. A failed write leaves any previous file at `path` unchanged.
    public static func write(levels: [ArchivedLevel], metadata: ArchiveMetadata, to path: String) throws {
        try write(levels: levels, metadata: metadata, to: path, beforeRename: {})
    }

    /// ``write(levels:metadata:to:)`` with the crash-simulation hook of ``AtomicFileWriter``.
    static func write(levels: [ArchivedLevel], metadata: ArchiveMetadata, to path: String,
                      beforeRename: () throws -> Void) throws {
        let sorted = levels.sorted { $0.index < $1.index }
        guard let first = sorted.first else { throw ArchiveError.invalidArgument(file: path, message: "no levels") }
        guard sorted.allSatisfy({ $0.index >= 0 }), Set(sorted.map(\.index)).count == sorted.count else {
            throw ArchiveError.invalidArgument(file: path, message: "level indices must be distinct and ≥ 0, got \(sorted.map(\.index))")
        }
        let spec = first.network.spec
        for level in sorted {
            let other = level.network.spec
            guard other.inputHeight == spec.inputHeight, other.inputWidth == spec.inputWidth,
                  other.inputChannels == spec.inputChannels, other.classCount == spec.classCount,
                  other.stageChannels == spec.stageChannels,
                  other.integrators.map(\.identity) == spec.integrators.map(\.identity),
                  other.batchNormMomentum == spec.batchNormMomentum, other.batchNormEpsilon == spec.batchNormEpsilon
            else {
                throw ArchiveError.invalidArgument(
                    file: path, message: "level \(level.index) differs from level \(first.index) in more than N and T")
            }
        }
        try AtomicFileWriter.write(to: path, beforeRename: beforeRename) { file in
            let root = file.root
            try FileFormat.levelArchive.writeHeader(to: root, created: metadata.created)
            try metadata.write(to: root)
            let names = Set(spec.integrators.map(\.name))
            try root.attributes.set(.string(names.count == 1 ? spec.integrators[0].name : "mixed"), for: "integrator")
            try root.attributes.set(.stringArray(spec.integrators.map(\.name)), for: "integrators")
            let indices = sorted.map { Int64($0.index) }
            try root.attributes.set(.int64Array(indices), for: "levels")
            try ArchiveAnnotation.annotate(root.write(indices, shape: [indices.count], to: levelIndexDataset),
                                           axes: ["level"])
            try root.attributes.set(.int64Array([spec.inputHeight, spec.inputWidth, spec.inputChannels].map(Int64.init)),
                                    for: "input_shape")
            try root.attributes.set(.int64(Int64(spec.classCount)), for: "class_count")
            try root.attributes.set(.int64Array(spec.stageChannels.map(Int64.init)), for: "stage_channels")
            try root.attributes.set(.double(spec.batchNormMomentum.archived), for: "batch_norm_momentum")
            try root.attributes.set(.double(spec.batchNormEpsilon.archived), for: "batch_norm_epsilon")
            try TableauCodec.write(spec.integrators, to: root)
            let effective = effectiveProlongations(levels: sorted, metadata: metadata)
            for level in sorted {
                let group = try root.createGroup("levels/\(level.index)", createIntermediates: true)
                if let methods = effective[level.index] {
                    try group.attributes.set(.stringArray(methods.map(\.rawValue)), for: "prolongation_effective")
                }
                try level.write(to: group, file: path)
            }
            try ArchiveChecksum.stamp(root)
        }
    }

    /// Reads an archive written by ``write(levels:metadata:to:)``.
    ///
    /// - Parameters:
    ///   - path: the archive.
    ///   - catalogue: turns the stored integrators back into methods; the default knows every
    ///     tableau, a method of another kind must be registered.
    /// - Returns: the metadata and every level, with rebuilt networks.
    /// - Throws: ``ArchiveError/fileNotFound(file:)``, ``ArchiveError/notHDF5File(file:)``,
    ///   ``ArchiveError/unreadableFile(file:object:message:)`` (truncated or corrupt),
    ///   ``ArchiveError/unknownFormat(file:expected:found:)``, ``ArchiveError/unsupportedVersion(file:found:supported:)``,
    ///   ``ArchiveError/missingObject(file:object:)`` (a level or parameter),
    ///   ``ArchiveError/missingAttribute(file:object:name:)``, ``ArchiveError/shapeMismatch(file:object:expected:found:)``,
    ///   ``ArchiveError/dtypeMismatch(file:object:expected:found:)``, ``ArchiveError/invalidValue(file:object:message:)``
    ///   (also for a `level_index` that differs from the attribute `levels`),
    ///   ``ArchiveError/checksumMismatch(file:object:stored:computed:)`` (a damaged dataset, or `/`
    ///   for damaged layout or attributes);
    ///   ``ArchiveError/nonFiniteDataset(file:object:count:total:)`` (a tensor holding NaN or ±∞);
    ///   ``ArchiveError/unknownIntegrator(file:object:attribute:kind:known:)`` (a method kind that
    ///   `integrators` does not know).
    public static func read(from path: String, integrators catalogue: IntegratorCatalogue = .builtIn) throws -> LevelArchive {
        let file = try FileFormat.open(path)
        defer { try? file.close() }
        return try ArchiveError.translating(reading: true) {
            let root = file.root
            try FileFormat.levelArchive.checkHeader(of: root, file: path)
            try ArchiveChecksum.verify(root, file: path)
            let metadata = try ArchiveMetadata.read(from: root, file: path)
            let stageCount = try root.attributes.int64Array("stage_channels").count
            let integrators = try TableauCodec.read(from: root, stageCount: stageCount, file: path, catalogue: catalogue)
            let indices = try root.attributes.int64Array("levels")
            if try root.contains(levelIndexDataset) {  // absent in archives written before it existed
                let stored = try root.read(levelIndexDataset, as: Int64.self, expectedShape: [indices.count]).values
                guard stored == indices else {
                    throw ArchiveError.invalidValue(file: path, object: "/" + levelIndexDataset,
                                                    message: "holds \(stored), but the attribute 'levels' is \(indices)")
                }
            }
            var levels: [ArchivedLevel] = []
            for index in indices {
                let level = try ArchivedLevel.read(from: root.openGroup("levels/\(index)"), integrators: integrators,
                                                   file: path)
                levels.append(ArchivedLevel(index: Int(index), network: level.network, cycle: level.cycle,
                                            epochs: level.epochs, testAccuracy: level.testAccuracy,
                                            wallSeconds: level.wallSeconds))
            }
            return LevelArchive(metadata: metadata, levels: levels)
        }
    }
}
