import Statistics

/// Mean, standard deviation and 95 % interval of a value measured once per seed.
///
/// ```
/// mean = Σ x_i / n,   sd = √(Σ (x_i − mean)² / (n − 1)),   CI = mean ± t_{0.975, n−1} sd / √n
/// ```
/// Invariants: `sd` and the interval are `nil` for fewer than 2 values.
/// Reference: `gsl_stats_mean`, `gsl_stats_sd`, `gsl_cdf_tdist_Pinv` (via Statistics).
public struct SeedSummary: Sendable, Codable, Hashable {
    /// The values, one per seed, in seed order.
    public var values: [Double]
    /// Their mean.
    public var mean: Double
    /// Their sample standard deviation (`nil` for one value).
    public var standardDeviation: Double?
    /// Lower bound of the 95 % interval of the mean (`nil` for one value).
    public var lower95: Double?
    /// Upper bound of the 95 % interval of the mean (`nil` for one value).
    public var upper95: Double?

    /// Summarizes `values`.
    ///
    /// - Parameter values: at least one finite value.
    /// - Throws: `StatisticsError` for no values or a non-finite one.
    public init(_ values: [Double]) throws {
        self.values = values
        mean = try values.mean()
        if values.count >= 2 {
            standardDeviation = try values.standardDeviation()
            let interval = try values.meanConfidenceInterval(level: 0.95)
            lower95 = interval.lowerBound
            upper95 = interval.upperBound
        }
    }
}

/// Accuracy after deleting `k` random steps in every stage, once per seed.
public struct RandomLesionSummary: Sendable, Codable, Hashable {
    /// Steps deleted per stage.
    public var k: Int
    /// The seeds used.
    public var seeds: [UInt64]
    /// The accuracies, summarized.
    public var accuracy: SeedSummary

    /// Creates a summary.
    public init(k: Int, seeds: [UInt64], accuracy: SeedSummary) {
        self.k = k
        self.seeds = seeds
        self.accuracy = accuracy
    }
}
