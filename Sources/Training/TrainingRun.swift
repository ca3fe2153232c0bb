public import Archiving
public import Foundation
import HDF5Storage
import ODENet
import Autodiff
import TensorCore

/// One run of a comparison's schedule that writes its results as it goes and survives being
/// killed or interrupted: the level archive after every cycle, a checkpoint after every epoch (and
/// when an ``InterruptionSource`` stops it after a batch), a JSON-lines log.
///
/// Files in `folder` (names of ``Files/single``, `mlresnet train`; a comparison's runs use
/// ``Files/comparisonRun(_:)``, `<run>.h5`, `<run>.checkpoint.h5`, `<run>.jsonl`, side by side):
/// ```
/// levels.h5       LevelArchive: every level trained so far (0 = finest), rewritten atomically per cycle
/// checkpoint.h5   Checkpoint: network, SGD momentum, the trainer's state (JSON in texts["training_state"]),
///                 the finished levels' networks, the configuration fingerprint; rewritten atomically
///                 after every epoch, at an interruption (with the position inside the epoch) and once
///                 more when the run is complete (its state then past the last cycle)
/// checkpoint.previous.h5   the checkpoint before it (the previous generation), kept by a hard link
/// train.jsonl     one EpochRecord per line
/// ```
/// `run(resume: true)` continues from the checkpoint: same network, momentum, generators and
/// position in the schedule (inside an epoch too), so the final weights equal an uninterrupted
/// run's bit for bit with the same thread count (a different thread count changes the kernels'
/// summation order, hence the last bits; the configuration fingerprint leaves threads out on
/// purpose). A complete run's checkpoint is not trained again: its result is returned as saved.
///
/// Damage does not block a resume: every dataset carries a CRC-32; when `checkpoint.h5` is
/// unreadable, truncated or fails a checksum the run resumes from `checkpoint.previous.h5` (losing
/// one more epoch) and says so in a warning naming the file and the reason; when `levels.h5` is
/// damaged or missing it is rebuilt from the checkpoint's finished levels (checkpoints written
/// before they held them: the damaged file is moved to `levels.damaged.h5` and a new archive starts,
/// with a warning).
///
/// Reference: README, "The level archive (HDF5)" and "Checksums, resuming, and damaged files".
public final class TrainingRun {
    /// The names of a run's files in its folder.
    public struct Files: Sendable, Hashable {
        /// The level archive.
        public var archive: String
        /// The checkpoint.
        public var checkpoint: String
        /// The JSON-lines log.
        public var log: String

        /// `mlresnet train`: `levels.h5`, `checkpoint.h5`, `train.jsonl`.
        public static let single = Files(archive: "levels.h5", checkpoint: "checkpoint.h5", log: "train.jsonl")

        /// One run of `mlresnet compare`: `<run>.h5`, `<run>.checkpoint.h5`, `<run>.jsonl`.
        ///
        /// - Parameter kind: the run.
        /// - Returns: its file names.
        public static func comparisonRun(_ kind: ComparisonRunKind) -> Files {
            Files(archive: "\(kind.rawValue).h5", checkpoint: "\(kind.rawValue).checkpoint.h5", log: "\(kind.rawValue).jsonl")
        }

        /// Where a damaged level archive that the checkpoint cannot rebuild is moved aside:
        /// `levels.damaged.h5`, `<run>.damaged.h5`.
        public var damagedArchive: String {
            (archive.hasSuffix(".h5") ? String(archive.dropLast(3)) : archive) + ".damaged.h5"
        }

        /// The checkpoint's name without `.h5`: every file of the checkpoint starts with it.
        var checkpointStem: String {
            checkpoint.hasSuffix(".h5") ? String(checkpoint.dropLast(3)) : checkpoint
        }
    }

    /// The plan whose schedule for ``kind`` is trained.
    public let plan: ComparisonPlan
    /// Which of the comparison's runs this is.
    public let kind: ComparisonRunKind
    /// The data.
    public let data: TrainingData
    /// Where the files go (created if missing).
    public let folder: URL
    /// The names of the run's files in ``folder``.
    public let files: Files
    /// What the level archive's root records (dataset, seed, command line, …); `nil` writes no archive.
    public let metadata: ArchiveMetadata?
    /// A canonical description of everything that determines the run's numbers: sorted-key JSON
    /// (``/Archiving/ConfigurationFingerprint/canonical(_:)``) of `run` (the kind), `data` (how the data were
    /// made), `dataDigest` (a CRC-32 of the images and labels used) and `configuration` (every field of the plan's configuration; threads are not part
    /// of it). A checkpoint of another configuration is refused on resume, naming the fields that differ.
    public let configurationFingerprint: String
    /// The progress display.
    public var progress: ProgressReporter.Style = .silent
    /// Receives the run's notes and warnings about a resume (which checkpoint, a damaged file and
    /// what was done about it), one line each; default: written to standard error.
    public var report: (String) -> Void = { line in FileHandle.standardError.write(Data((line + "\n").utf8)) }
    /// Polled after every batch; when it asks to stop, the checkpoint is written with the position
    /// inside the epoch and ``run(resume:observers:)`` throws ``TrainingInterrupted``.
    public var interruption: (any InterruptionSource)?

    /// Prepares a run; nothing is trained or written yet.
    ///
    /// - Parameters:
    ///   - plan: the comparison's plan (architecture, schedule, optimizer settings).
    ///   - kind: the run to train (`multilevel` for `mlresnet train`).
    ///   - data: the data.
    ///   - folder: the output folder.
    ///   - files: the names of the run's files (default ``Files/single``).
    ///   - metadata: the archive's root metadata; `nil` writes no level archive.
    ///   - dataDescription: how the data were made (name and split), part of the fingerprint.
    public init(plan: ComparisonPlan, kind: ComparisonRunKind, data: TrainingData, folder: URL,
                files: Files = .single, metadata: ArchiveMetadata?, dataDescription: String) {
        self.plan = plan
        self.kind = kind
        self.data = data
        self.folder = folder
        self.files = files
        self.metadata = metadata
        let dataDigest = Self.dataDigest(data)
        configurationFingerprint = Self.fingerprint(kind: kind, dataDescription: dataDescription, dataDigest: dataDigest,
                                                    configuration: plan.configuration)
        undigestedConfigurationFingerprint = Self.fingerprint(kind: kind, dataDescription: dataDescription,
                                                              dataDigest: nil, configuration: plan.configuration)
        legacyConfigurationFingerprint = "run=\(kind.rawValue); data=\(dataDescription); "
            + "configuration=\(String(reflecting: plan.configuration))"
    }

    /// The free-form fingerprint that checkpoints written before structured fingerprints hold, so a
    /// run killed before the upgrade still resumes (when its configuration is unchanged).
    let legacyConfigurationFingerprint: String

    /// The fingerprint without ``FingerprintDocument/dataDigest``, which checkpoints written before
    /// the digest existed hold: such a checkpoint resumes when everything else matches.
    let undigestedConfigurationFingerprint: String

    /// The fingerprint document of ``configurationFingerprint``.
    struct FingerprintDocument: Encodable {
        var run: ComparisonRunKind
        var data: String
        /// The content of the data (``TrainingRun/dataDigest(_:)``), so a file replaced by other
        /// images or labels of the same description is refused; omitted when `nil`.
        var dataDigest: String?
        var configuration: ComparisonConfiguration
    }

    /// The content digest of `data`: `crc32:` and 8 hex digits of zlib's CRC-32 over, in this order,
    /// the training images (bytes) and labels (`Int32`, little-endian), then the validation part's
    /// and the test part's (each only when present).
    static func dataDigest(_ data: TrainingData) -> String {
        var crc: UInt32 = 0
        for part in [data.training, data.validation, data.test].compactMap({ $0 }) {
            crc = HDF5Checksum.crc32(part.images, initial: crc)
            let labels = part.labels.map { $0.littleEndian }
            crc = labels.withUnsafeBytes { HDF5Checksum.crc32(Array($0), initial: crc) }
        }
        let hex = String(crc, radix: 16)
        return "crc32:" + String(repeating: "0", count: 8 - hex.count) + hex
    }

    /// The canonical fingerprint (falls back to the reflection of the configuration in the
    /// impossible case that encoding fails, so a resume is then refused rather than crashing).
    static func fingerprint(kind: ComparisonRunKind, dataDescription: String, dataDigest: String?,
                            configuration: ComparisonConfiguration) -> String {
        let document = FingerprintDocument(run: kind, data: dataDescription, dataDigest: dataDigest,
                                           configuration: configuration)
        return (try? ConfigurationFingerprint.canonical(document))
            ?? "run=\(kind.rawValue); data=\(dataDescription); dataDigest=\(dataDigest ?? "none"); "
                + "configuration=\(String(reflecting: configuration))"
    }

    /// The level archive's path.
    public var archiveURL: URL { folder.appendingPathComponent(files.archive) }
    /// The checkpoint's path.
    public var checkpointURL: URL { folder.appendingPathComponent(files.checkpoint) }
    /// The previous checkpoint generation's path (e.g. `checkpoint.previous.h5`).
    public var previousCheckpointURL: URL { URL(fileURLWithPath: Checkpoint.previousGenerationPath(of: checkpointURL.path)) }
    /// The log's path.
    public var logURL: URL { folder.appendingPathComponent(files.log) }

    /// Refuses run files that exist but are not regular files (a directory named `checkpoint.h5`,
    /// say): checked before training so that no epoch is trained, and no log written, that the
    /// checkpoint's rename would then fail to keep.
    ///
    /// - Throws: ``RunFolderError/notARegularFile(path:kind:)`` naming the first such path.
    public func requireRegularFiles() throws {
        for url in [checkpointURL, previousCheckpointURL, archiveURL, logURL] {
            try RunFolder.requireRegularFileOrNothing(url)
        }
    }

    /// Whether a checkpoint generation to resume from exists (the newest or the previous one).
    public var hasCheckpoint: Bool {
        FileManager.default.fileExists(atPath: checkpointURL.path)
            || FileManager.default.fileExists(atPath: previousCheckpointURL.path)
    }

    /// Trains the run from the start, or from the checkpoint when `resume` is set.
    ///
    /// - Parameters:
    ///   - resume: continue from the checkpoint, or from its previous generation when the newest is
    ///     damaged (a warning through ``report``); it must match the configuration. A complete run's
    ///     checkpoint returns its saved result without training.
    ///   - observers: further observers (called after the run's own writers).
    /// - Returns: the result of the multilevel trainer (`wallSeconds` over every session).
    /// - Throws: ``TrainingInterrupted`` when ``interruption`` stopped the run (the checkpoint holds
    ///   the position); ``RunFolderError/notARegularFile(path:kind:)`` when a run file's path is a
    ///   directory or another non-regular file; ``TrainingError/stateMismatch(_:)`` when resuming without a checkpoint or
    ///   with an unreadable trainer state in both generations; `ArchiveError.configurationMismatch`
    ///   naming the fields that differ for another configuration's checkpoint; the newest
    ///   checkpoint's `ArchiveError` when no generation is intact; every training, archive and file error.
    public func run(resume: Bool, observers: [any TrainingObserver] = []) throws -> MultilevelResult {
        try requireRegularFiles()
        try RunFolder.create(folder)
        let archiveWriter = metadata.map { LevelArchiveWriter(path: archiveURL.path, metadata: $0) }
        let checkpointWriter = CheckpointWriter(path: checkpointURL.path, configuration: configurationFingerprint,
                                                archiveWriter: archiveWriter)
        var network: ODENetwork?
        var state: TrainingState?
        if resume {
            let (checkpoint, scalars) = try readCheckpoint()
            network = checkpoint.network
            let buffers: [ParameterPath: Tensor]
            do {
                buffers = try [ParameterPath: Tensor](byName: checkpoint.optimizerState)
            } catch let error as ParameterPathError {
                throw TrainingError.stateMismatch("\(checkpointURL.path): optimizer state: \(error)")
            }
            state = TrainingState(scalars: scalars, optimizerBuffers: buffers)
            if scalars.cycle >= (try plan.schedule(for: kind)).cycles.count {
                // Complete: kept as it is (its archive and log were finished with it).
                return MultilevelResult(levels: scalars.levels, records: scalars.records, network: checkpoint.network,
                                        wallSeconds: scalars.elapsedSeconds ?? 0)
            }
            if let archiveWriter {
                archiveWriter.levels = try finishedLevels(checkpoint: checkpoint, cycle: scalars.cycle)
            }
            // The log may hold epochs past the checkpoint (killed between the two writes): rewrite it
            // from the checkpoint's records, then append.
            let log = try TrainingLog(url: logURL)
            for record in scalars.records { try log.append(record) }
        }
        let trainer = try ComparisonRunner(plan: plan).makeTrainer(kind: kind, data: data, network: network, state: state,
                                                                   log: logURL, appendToLog: resume, progress: progress)
        trainer.trainer.observers = [checkpointWriter] + (archiveWriter.map { [$0] } ?? []) + observers
        trainer.trainer.interruption = interruption
        let result = try trainer.run()
        // The complete state (past the last cycle, every level reported): a resume returns it as is.
        try checkpointWriter.write(network: result.network, state: trainer.state)
        return result
    }
}

/// Writes a checkpoint after every epoch and when training is interrupted inside one, keeping the
/// previous generation, with the levels the archive writer has finished before the state's cycle
/// (so a damaged level archive can be rebuilt).
final class CheckpointWriter: TrainingObserver {
    let path: String
    let configuration: String
    let archiveWriter: LevelArchiveWriter?

    init(path: String, configuration: String, archiveWriter: LevelArchiveWriter?) {
        self.path = path
        self.configuration = configuration
        self.archiveWriter = archiveWriter
    }

    func didFinishEpoch(_ record: EpochRecord, network: ODENetwork, state: TrainingState) throws {
        try write(network: network, state: state)
    }

    func didInterrupt(_ position: PartialEpoch, network: ODENetwork, state: TrainingState) throws {
        try write(network: network, state: state)
    }

    /// Writes `network` and `state` to ``path`` atomically.
    func write(network: ODENetwork, state: TrainingState) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(state.scalars), as: UTF8.self)
        try Checkpoint(network: network, optimizerState: state.optimizerBuffers.keyedByName,
                       counters: ["epoch": state.epoch, "cycle": state.cycle, "epoch_in_cycle": state.epochInCycle,
                                  "step": state.step],
                       texts: ["training_state": json], configuration: configuration,
                       finishedLevels: archiveWriter?.levels.filter { $0.cycle < state.cycle } ?? [])
            .write(to: path, keepingPreviousGeneration: true)
    }
}
