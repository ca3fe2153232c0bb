public import ODENet

/// One trained level of a multi-level run, as stored in `/levels/<index>/` of a ``LevelArchive``.
///
/// Units: `wallSeconds` in seconds; `testAccuracy` a fraction in `[0, 1]` (NaN when not measured).
public struct ArchivedLevel {
    /// The level index ℓ (0 = finest).
    public var index: Int
    /// The trained network of this level (its spec gives `N`, `h`, `T`).
    public var network: ODENetwork
    /// The cycle of the multi-level schedule in which the level was (last) trained.
    public var cycle: Int
    /// Epochs trained at this level.
    public var epochs: Int
    /// Test accuracy in `[0, 1]`, or NaN when not measured.
    public var testAccuracy: Double
    /// Wall-clock training time of this level, in seconds.
    public var wallSeconds: Double

    /// A level record.
    ///
    /// - Parameters:
    ///   - index: ℓ ≥ 0, 0 = finest.
    ///   - network: the level's network.
    ///   - cycle: the cycle index.
    ///   - epochs: epochs trained.
    ///   - testAccuracy: in `[0, 1]`, or NaN.
    ///   - wallSeconds: seconds of training.
    public init(index: Int, network: ODENetwork, cycle: Int = 0, epochs: Int = 0, testAccuracy: Double = .nan,
                wallSeconds: Double = 0) {
        self.index = index
        self.network = network
        self.cycle = cycle
        self.epochs = epochs
        self.testAccuracy = testAccuracy
        self.wallSeconds = wallSeconds
    }
}
