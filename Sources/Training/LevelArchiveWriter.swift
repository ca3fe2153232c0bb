public import Archiving
public import ODENet

/// Archives every level of a multi-level run: an observer that, after each cycle, adds the level
/// just trained and rewrites one ``/Archiving/LevelArchive`` atomically.
///
/// ```swift
/// let trainer = try MultilevelTrainer(network: network, data: data, configuration: configuration,
///                                     schedule: schedule)
/// trainer.trainer.observers.append(LevelArchiveWriter(path: "levels.h5", metadata: metadata))
/// try trainer.run()    // levels.h5: levels C−1 … 0 (0 = finest), one per cycle
/// ```
///
/// After cycle `c` of `C` the file holds the levels of cycles `0…c`, level index `ℓ = C − 1 − c`
/// (``LevelReport/level``), each with a copy of the network the cycle trained, its cycle, epochs,
/// test accuracy (NaN without a test part) and wall seconds. A cycle trained again (a resumed
/// run) replaces its level. Every write goes to a temporary file in the same folder, is fsynced
/// and renamed over `path` (``/Archiving/LevelArchive/write(levels:metadata:to:)``), so the file is at every
/// instant the previous complete archive or the new one.
///
/// `mlresnet train` and `compare` write their `levels.h5` with this observer.
public final class LevelArchiveWriter: TrainingObserver {
    /// The archive's path (its folder must exist).
    public let path: String
    /// The run's metadata, written with every level.
    public let metadata: ArchiveMetadata
    /// The levels written so far, in the order their cycles ended (a resumed run starts with the
    /// levels it finished before).
    public internal(set) var levels: [ArchivedLevel] = []

    /// A writer of the archive at `path`; nothing is written before the first cycle ends.
    ///
    /// - Parameters:
    ///   - path: the archive file; its folder must exist. An existing file is replaced at the
    ///     first cycle's end.
    ///   - metadata: the run's metadata (dataset, seed, prolongation, step rule, …).
    public init(path: String, metadata: ArchiveMetadata) {
        self.path = path
        self.metadata = metadata
    }

    /// Adds the level of the cycle that ended (replacing an earlier level of the same cycle) and
    /// rewrites the archive.
    ///
    /// - Parameters:
    ///   - level: the cycle's report (its `level`, `cycle`, `epochs`, `testAccuracy`, `wallSeconds`).
    ///   - network: the network the cycle trained (copied: training goes on with the original).
    ///   - state: the trainer's state (unused).
    /// - Throws: the errors of ``/Archiving/LevelArchive/write(levels:metadata:to:)``: `ArchiveError` for
    ///   inconsistent levels, a tensor holding NaN or ±∞, or a failed write (the previous file is
    ///   then unchanged); `TensorError` from the copy.
    public func didFinishLevel(_ level: LevelReport, network: ODENetwork, state: TrainingState) throws {
        levels.removeAll { $0.cycle == level.cycle }
        levels.append(ArchivedLevel(index: level.level, network: try network.copy(), cycle: level.cycle,
                                    epochs: level.epochs, testAccuracy: level.testAccuracy ?? .nan,
                                    wallSeconds: level.wallSeconds))
        try LevelArchive.write(levels: levels, metadata: metadata, to: path)
    }
}
