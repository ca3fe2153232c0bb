import Archiving
import Foundation

extension TrainingRun {
    /// The newest intact checkpoint generation and its trainer state, with a warning through
    /// ``report`` when the newest was damaged and the previous generation is used.
    ///
    /// - Throws: ``TrainingError/stateMismatch(_:)`` when neither generation exists, or (from the
    ///   newest) when its trainer state is missing or unreadable in both; `ArchiveError` as
    ///   ``Checkpoint/readNewestIntact(at:expectedConfiguration:accept:)``.
    func readCheckpoint() throws -> (Checkpoint, TrainingState.Scalars) {
        let newest = checkpointURL.path
        guard FileManager.default.fileExists(atPath: newest)
                || FileManager.default.fileExists(atPath: previousCheckpointURL.path) else {
            throw TrainingError.stateMismatch("--resume: no checkpoint at \(newest)")
        }
        func accept(_ checkpoint: Checkpoint) throws -> (Checkpoint, TrainingState.Scalars) {
            guard let json = checkpoint.texts["training_state"],
                  let scalars = try? JSONDecoder().decode(TrainingState.Scalars.self, from: Data(json.utf8)) else {
                throw TrainingError.stateMismatch("\(newest): texts/training_state is missing or not a trainer state")
            }
            return (checkpoint, scalars)
        }
        let generation: CheckpointGeneration<(Checkpoint, TrainingState.Scalars)>
        do {
            generation = try Checkpoint.readNewestIntact(at: newest, expectedConfiguration: configurationFingerprint,
                                                         accept: accept)
        } catch let ArchiveError.configurationMismatch(_, differences)
                    where differences.contains(where: { $0.field == "dataDigest" && $0.checkpoint == nil }) {
            // A checkpoint written before fingerprints held the data's digest: compare without it
            // (a mismatch then names only the other fields).
            generation = try Checkpoint.readNewestIntact(at: newest, expectedConfiguration: undigestedConfigurationFingerprint,
                                                         accept: accept)
        } catch let ArchiveError.configurationMismatch(_, differences)
                    where differences.map(\.field) == ["configuration"] {
            // A free-form fingerprint of a checkpoint written before structured ones: compare it with
            // this run's free-form fingerprint instead (a mismatch then shows both texts).
            generation = try Checkpoint.readNewestIntact(at: newest, expectedConfiguration: legacyConfigurationFingerprint,
                                                         accept: accept)
        }
        if let reason = generation.damagedNewest {
            report("warning: \(newest) is damaged or unreadable (\(reason)); resuming from the previous generation "
                   + "\(generation.path) instead (one more epoch is trained again)")
        }
        let scalars = generation.value.1
        report("resuming from \(generation.path) after epoch \(scalars.epoch) (cycle \(scalars.cycle), "
               + "epoch \(scalars.epochInCycle) of the cycle)")
        return generation.value
    }

    /// The levels finished before `cycle`: the checkpoint's own copies when it holds all of them
    /// (rewriting `levels.h5` from them when that file is damaged or missing), else those of an
    /// intact `levels.h5` (checkpoints written before they held levels). A damaged `levels.h5` beside
    /// such an old checkpoint is moved to `levels.damaged.h5` and a new archive starts. Each repair
    /// is reported through ``report``.
    ///
    /// - Throws: archive and file errors of the rewrite or the move.
    func finishedLevels(checkpoint: Checkpoint, cycle: Int) throws -> [ArchivedLevel] {
        let path = archiveURL.path
        let fromCheckpoint = checkpoint.finishedLevels.filter { $0.cycle < cycle }
        let complete = Set(fromCheckpoint.map(\.cycle)) == Set(0..<cycle)
        var archiveProblem: String?
        var fromArchive: [ArchivedLevel] = []
        if FileManager.default.fileExists(atPath: path) {
            do {
                fromArchive = try LevelArchive.read(from: path).levels.filter { $0.cycle < cycle }
            } catch {
                archiveProblem = "\(error)"
            }
        } else if cycle > 0 {
            archiveProblem = "the file is missing"
        }
        if complete {
            if let archiveProblem, !fromCheckpoint.isEmpty, let metadata {
                try LevelArchive.write(levels: fromCheckpoint, metadata: metadata, to: path)
                report("warning: \(path) was damaged (\(archiveProblem)); rebuilt it from the "
                       + "\(fromCheckpoint.count) finished level(s) stored in the checkpoint")
            }
            return fromCheckpoint
        }
        guard let archiveProblem else { return fromArchive }
        if FileManager.default.fileExists(atPath: path) {
            let aside = folder.appendingPathComponent(files.damagedArchive).path
            _ = try? FileManager.default.removeItem(atPath: aside)
            try FileManager.default.moveItem(atPath: path, toPath: aside)
            report("warning: \(path) was damaged (\(archiveProblem)) and the checkpoint (written before checkpoints "
                   + "kept the finished levels) cannot rebuild it: moved it to \(aside); a new level archive starts, "
                   + "without the levels of cycles 0..<\(cycle)")
        } else {
            report("warning: \(path) is missing and the checkpoint (written before checkpoints kept the finished "
                   + "levels) cannot rebuild it: a new level archive starts, without the levels of cycles 0..<\(cycle)")
        }
        return []
    }
}
