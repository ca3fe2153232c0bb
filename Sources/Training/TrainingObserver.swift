public import ODENet

/// Callbacks of the trainers, for whatever must happen outside training: checkpoints after an
/// epoch, the level archive after a cycle.
///
/// Both are called synchronously on the training thread with the live network (read it, copy
/// it, write it to a file; do not train it). A thrown error stops the run and propagates.
public protocol TrainingObserver: AnyObject {
    /// Called after every epoch (training and evaluation done, `state` already advanced past it).
    ///
    /// `state` together with the network's tensors (`ODENetwork.namedTensors()`) is everything a
    /// resumed run needs to continue bit for bit.
    ///
    /// - Parameters:
    ///   - record: the epoch's record (also the last element of `state.records`).
    ///   - network: the network after the epoch.
    ///   - state: the trainer's state after the epoch.
    /// - Throws: any error, which stops training.
    func didFinishEpoch(_ record: EpochRecord, network: ODENetwork, state: TrainingState) throws

    /// Called when a multilevel cycle ends, before the network is refined for the next one.
    ///
    /// - Parameters:
    ///   - level: the cycle's report.
    ///   - network: the network trained in the cycle.
    ///   - state: the trainer's state at the cycle's end.
    /// - Throws: any error, which stops training.
    func didFinishLevel(_ level: LevelReport, network: ODENetwork, state: TrainingState) throws

    /// Called when an ``InterruptionSource`` stopped training after a batch, before
    /// ``TrainingInterrupted`` is thrown: `state` (with ``TrainingState/partialEpoch`` set) and the
    /// network's tensors continue the run exactly.
    ///
    /// - Parameters:
    ///   - position: where the epoch stopped (also `state.partialEpoch`).
    ///   - network: the network after the last finished batch.
    ///   - state: the trainer's state after that batch.
    /// - Throws: any error, which replaces ``TrainingInterrupted``.
    func didInterrupt(_ position: PartialEpoch, network: ODENetwork, state: TrainingState) throws
}

extension TrainingObserver {
    /// Does nothing.
    public func didFinishEpoch(_ record: EpochRecord, network: ODENetwork, state: TrainingState) throws {}
    /// Does nothing.
    public func didFinishLevel(_ level: LevelReport, network: ODENetwork, state: TrainingState) throws {}
    /// Does nothing.
    public func didInterrupt(_ position: PartialEpoch, network: ODENetwork, state: TrainingState) throws {}
}
