/// What one multilevel cycle produced: the level trained, how long, and how well.
///
/// Units: `h`, `T` in depth-time; seconds of wall clock. Level 0 is the finest (the last cycle).
public struct LevelReport: Sendable, Hashable, Codable {
    /// The cycle, 0 for the first (coarsest) one.
    public var cycle: Int
    /// The multigrid level, `cycleCount − 1 − cycle` (0 = finest).
    public var level: Int
    /// Steps per stage `N`.
    public var stepCount: Int
    /// Step size `h = T/N`.
    public var stepSize: Double
    /// Final time `T`.
    public var finalTime: Double
    /// Epochs trained in the cycle.
    public var epochs: Int
    /// Whether the cycle ended on its plateau rule (before its maximum epoch count).
    public var stoppedOnPlateau: Bool
    /// Training accuracy of the cycle's last epoch.
    public var trainAccuracy: Double
    /// Validation accuracy after the cycle, if there is a validation part.
    public var validationAccuracy: Double?
    /// Test accuracy after the cycle, if there is a test part.
    public var testAccuracy: Double?
    /// Wall seconds of the cycle's training loops (evaluation excluded).
    public var trainSeconds: Double
    /// Wall seconds of the cycle including evaluations.
    public var wallSeconds: Double
    /// Trainable scalars of the level's network.
    public var parameterCount: Int

    /// The report of `cycle` made from its epoch records.
    ///
    /// - Parameters:
    ///   - records: the run's records (those of other cycles are ignored); at least one of `cycle`.
    ///   - cycle: the cycle.
    ///   - cycleCount: the schedule's number of cycles (for the level index).
    ///   - stoppedOnPlateau: how the cycle ended.
    ///   - parameterCount: the network's trainable scalars.
    /// - Returns: the report, or `nil` when `records` holds no epoch of `cycle`.
    public static func summarizing(_ records: [EpochRecord], cycle: Int, cycleCount: Int, stoppedOnPlateau: Bool,
                                   parameterCount: Int) -> LevelReport? {
        let mine = records.filter { $0.cycle == cycle }
        guard let last = mine.last else { return nil }
        let train = mine.reduce(0) { $0 + $1.trainSeconds }
        return LevelReport(cycle: cycle, level: cycleCount - 1 - cycle, stepCount: last.stepCount,
                           stepSize: last.stepSize, finalTime: last.finalTime, epochs: mine.count,
                           stoppedOnPlateau: stoppedOnPlateau, trainAccuracy: last.trainAccuracy,
                           validationAccuracy: last.validationAccuracy, testAccuracy: last.testAccuracy,
                           trainSeconds: train, wallSeconds: train + mine.reduce(0) { $0 + $1.evaluationSeconds },
                           parameterCount: parameterCount)
    }
}
