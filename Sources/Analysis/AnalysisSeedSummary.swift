/// The analyses of repeated runs (one level archive per seed) summarized level by level: mean,
/// sd and 95 % interval of accuracy, mean ‖G‖, the worst single-step lesion, the random-k lesion,
/// the accuracy at N/2 and 2N, and of the fitted power-law exponent.
///
/// Written by `mlresnet analyze A.h5 B.h5 …` beside the per-archive reports.
/// Statistics: ``SeedSummary`` (GSL's mean, sd and Student-t interval).
public struct AnalysisSeedSummary: Sendable, Codable, Hashable {
    /// The archives, in the order given.
    public var archives: [String]
    /// The power-law exponent of mean ‖G‖ against `N`; `nil` when some report has no fit.
    public var exponent: SeedSummary?
    /// One entry per level index, finest first.
    public var levels: [Level]

    /// One level over the repeats.
    public struct Level: Sendable, Codable, Hashable {
        /// The level index ℓ.
        public var level: Int
        /// Its steps per stage `N` (equal in every repeat).
        public var stepCount: Int
        /// Test accuracy of the full network.
        public var accuracy: SeedSummary
        /// Mean ‖G(Y_n)‖ over every step.
        public var meanResidualNorm: SeedSummary
        /// The lowest accuracy after deleting one step.
        public var worstSingleLesionAccuracy: SeedSummary
        /// Mean accuracy after deleting `k` random steps per stage; `nil` when some repeat has none.
        public var randomLesionAccuracy: SeedSummary?
        /// Accuracy at `N/2`; `nil` when `N` is odd.
        public var halfDepthAccuracy: SeedSummary?
        /// Accuracy at `2N`.
        public var doubleDepthAccuracy: SeedSummary?
    }

    /// Summarizes reports of archives with the same levels.
    ///
    /// - Parameter reports: at least one (archive, report) pair, archives distinct; every report
    ///   must have the same level indices with the same `N`.
    /// - Throws: ``AnalysisError/invalidArgument(message:)`` for no reports, an archive given twice,
    ///   or reports whose levels differ (naming the archive); `StatisticsError` for a non-finite value.
    public init(_ reports: [(archive: String, report: AnalysisReport)]) throws {
        guard let first = reports.first else {
            throw AnalysisError.invalidArgument(message: "no analyses to summarize")
        }
        var seen: Set<String> = []
        for entry in reports where !seen.insert(entry.archive).inserted {
            throw AnalysisError.invalidArgument(
                message: "\(entry.archive) is given twice: repeats must be distinct archives (one per seed)")
        }
        try Self.requireMatchingLevels(reports.map { entry in
            (entry.archive, entry.report.levels.map { (level: $0.level, stepCount: $0.stepCount) })
        })
        archives = reports.map(\.archive)
        let fits = reports.compactMap(\.report.powerLaw)
        exponent = fits.count == reports.count ? try SeedSummary(fits.map(\.exponent)) : nil
        levels = try first.report.levels.indices.map { i in
            let repeats = reports.map { $0.report.levels[i] }
            let n = repeats[0].stepCount
            func optional(_ values: [Double?]) throws -> SeedSummary? {
                let present = values.compactMap { $0 }
                return present.count == values.count && !present.isEmpty ? try SeedSummary(present) : nil
            }
            func resampled(_ level: LevelAnalysis, _ m: Int) -> Double? {
                level.resampled.first { $0.stepCount == m }?.accuracy
            }
            return Level(
                level: repeats[0].level, stepCount: n, accuracy: try SeedSummary(repeats.map(\.accuracy)),
                meanResidualNorm: try SeedSummary(repeats.map(\.meanResidualNorm)),
                worstSingleLesionAccuracy: try SeedSummary(repeats.map { $0.steps.map(\.lesionAccuracy).min() ?? $0.accuracy }),
                randomLesionAccuracy: try optional(repeats.map { $0.randomLesion?.accuracy.mean }),
                halfDepthAccuracy: n % 2 == 0 ? try optional(repeats.map { resampled($0, n / 2) }) : nil,
                doubleDepthAccuracy: try optional(repeats.map { resampled($0, 2 * n) }))
        }
    }

    /// Checks that repeats have the same levels: the same indices ℓ with the same `N`, in order.
    ///
    /// - Parameter repeats: each archive with its levels (ℓ, N).
    /// - Throws: ``AnalysisError/invalidArgument(message:)`` naming the first archive that differs
    ///   from the first one.
    public static func requireMatchingLevels(_ repeats: [(archive: String, levels: [(level: Int, stepCount: Int)])]) throws {
        guard let first = repeats.first else { return }
        func text(_ levels: [(level: Int, stepCount: Int)]) -> String {
            levels.map { "(\($0.level), \($0.stepCount))" }.joined(separator: " ")
        }
        for other in repeats.dropFirst()
        where other.levels.map({ [$0.level, $0.stepCount] }) != first.levels.map({ [$0.level, $0.stepCount] }) {
            throw AnalysisError.invalidArgument(
                message: "\(other.archive) has levels (ℓ, N) \(text(other.levels)), \(first.archive) has "
                    + "\(text(first.levels)): repeats must match")
        }
    }

    /// `mean ± sd` in percent (or the single value).
    private static func percent(_ summary: SeedSummary?) -> String {
        guard let summary else { return "–" }
        return String(format: "%.2f", 100 * summary.mean)
            + (summary.standardDeviation.map { String(format: " ± %.2f", 100 * $0) } ?? "")
    }

    /// The printed table: one row per level, `mean ± sd` over the archives.
    public var table: String {
        func pad(_ text: String, _ width: Int) -> String {
            text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
        }
        var lines = ["over \(archives.count) archive\(archives.count == 1 ? "" : "s") (mean ± sd):",
                     pad("level", 7) + pad("N", 5) + pad("acc %", 16) + pad("mean‖G‖", 18) + pad("worst lesion %", 16)
                         + pad("random-k %", 16) + pad("N/2 %", 16) + "2N %"]
        for level in levels {
            let g = String(format: "%.4g", level.meanResidualNorm.mean)
                + (level.meanResidualNorm.standardDeviation.map { String(format: " ± %.2g", $0) } ?? "")
            lines.append(pad("\(level.level)", 7) + pad("\(level.stepCount)", 5) + pad(Self.percent(level.accuracy), 16)
                         + pad(g, 18) + pad(Self.percent(level.worstSingleLesionAccuracy), 16)
                         + pad(Self.percent(level.randomLesionAccuracy), 16) + pad(Self.percent(level.halfDepthAccuracy), 16)
                         + Self.percent(level.doubleDepthAccuracy))
        }
        if let exponent {
            var text = String(format: "power-law exponent of mean‖G‖ on N: %.3f", exponent.mean)
            if let sd = exponent.standardDeviation, let lower = exponent.lower95, let upper = exponent.upper95 {
                text += String(format: " ± %.3f (95 %% interval %.3f … %.3f)", sd, lower, upper)
            }
            lines.append(text + " (paper: −1)")
        }
        return lines.joined(separator: "\n")
    }
}

/// What `mlresnet analyze` writes as JSON for several archives: each report and their summary.
public struct AnalysisCollection: Sendable, Codable, Hashable {
    /// The archives' paths, in order.
    public var archives: [String]
    /// One report per archive.
    public var reports: [AnalysisReport]
    /// The summary over the archives.
    public var summary: AnalysisSeedSummary

    /// Creates a collection.
    ///
    /// - Throws: ``AnalysisSeedSummary``'s errors.
    public init(_ reports: [(archive: String, report: AnalysisReport)]) throws {
        archives = reports.map(\.archive)
        self.reports = reports.map(\.report)
        summary = try AnalysisSeedSummary(reports)
    }

    /// Header of ``csvLines``: `archive` then ``StepNormRow/csvHeader``.
    public static let csvHeader = "archive," + StepNormRow.csvHeader

    /// The per-step rows of every report, each led by its archive's path (quoted as RFC 4180 asks
    /// when the path holds a comma, a quote or a line break).
    public var csvLines: [String] {
        zip(archives, reports).flatMap { archive, report in
            report.stepRows.map { "\(Self.csvField(archive)),\($0.csvLine)" }
        }
    }

    /// `text` as one CSV field: unchanged, or in double quotes with inner quotes doubled.
    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
