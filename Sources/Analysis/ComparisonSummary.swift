public import Training

/// Comparisons repeated over seeds (and integrators), summarized per run: mean, sd and 95 %
/// interval of test error, training seconds and time saved against full-depth training, with the
/// residual-function evaluations of each run so methods can be compared at equal cost.
///
/// One ``Group`` per setting (integrator and steps per stage); its rows follow the run order of
/// the comparisons (full, multi-level, naive, shallow). Written by `mlresnet compare --seeds K`
/// and `--integrators` as `summary.json` and `summary.csv`.
/// Statistics: ``SeedSummary`` (GSL's mean, sd and Student-t interval).
public struct ComparisonSummary: Sendable, Codable, Hashable {
    /// The settings compared, in the order first seen.
    public var groups: [Group]

    /// One setting repeated over seeds.
    public struct Group: Sendable, Codable, Hashable {
        /// The methods (``/Training/ComparisonReport/integrator``): one name, or the stages' names
        /// comma-joined when they differ.
        public var integrator: String
        /// Steps per stage of the cycles, coarse → fine.
        public var stepCounts: [Int]
        /// `T` of every network (multi-level and full; the naive run doubles it).
        public var finalTime: Double?
        /// The seeds of the repeats (data and network seed of each comparison), in order.
        public var seeds: [UInt64]
        /// One row per run kind.
        public var rows: [Row]
        /// The theory's saving of the planned split (same for every seed).
        public var theoreticalTimeSaved: Double
    }

    /// One run kind of a setting, over its seeds.
    public struct Row: Sendable, Codable, Hashable {
        /// The run.
        public var kind: ComparisonRunKind
        /// Test error `1 − accuracy`, in `[0, 1]`.
        public var testError: SeedSummary
        /// Seconds of the training loops.
        public var trainSeconds: SeedSummary
        /// `1 − trainSeconds / trainSeconds(full)` of the same seed; `nil` for the full run.
        public var timeSavedVersusFull: SeedSummary?
        /// `F` evaluations of one forward pass of the final network (same for every seed).
        public var functionEvaluationsPerImage: Int?
        /// `F` evaluations of the forward passes of the whole training, per training image.
        public var trainingFunctionEvaluationsPerImage: Int?
    }

    /// Groups `results` by integrator and steps per stage and summarizes every run kind.
    ///
    /// - Parameter results: comparisons, each with its seed; the repeats of one setting must
    ///   have trained the same run kinds.
    /// - Throws: ``AnalysisError/invalidArgument(message:)`` for no results, a seed repeated within a
    ///   setting, or repeats with different run kinds; `StatisticsError` for a non-finite value.
    public init(_ results: [(seed: UInt64, result: ComparisonReport)]) throws {
        guard !results.isEmpty else { throw AnalysisError.invalidArgument(message: "no comparison results to summarize") }
        var keys: [String] = []
        var members: [String: [(seed: UInt64, result: ComparisonReport)]] = [:]
        for entry in results {
            let key = "\(entry.result.integrator) \(entry.result.stepCounts)"
            if members[key] == nil { keys.append(key) }
            members[key, default: []].append(entry)
        }
        groups = try keys.map { key in
            let repeats = members[key]!
            if let seed = repeats.map(\.seed).enumerated().first(where: { i, seed in repeats[..<i].contains { $0.seed == seed } })?.1 {
                throw AnalysisError.invalidArgument(
                    message: "the repeats of \(key) include seed \(seed) twice: each seed is one repeat")
            }
            let first = repeats[0].result
            let kinds = first.runs.map(\.kind)
            for other in repeats.dropFirst() where other.result.runs.map(\.kind) != kinds {
                throw AnalysisError.invalidArgument(
                    message: "the repeats of \(key) trained different runs: \(kinds.map(\.rawValue)) and "
                    + "\(other.result.runs.map(\.kind.rawValue)) (seed \(other.seed))")
            }
            let rows = try kinds.map { kind in
                let runs = repeats.map { $0.result.run(kind)! }
                let saved = runs.compactMap(\.timeSavedVersusFull)
                return Row(kind: kind, testError: try SeedSummary(runs.map(\.testError)),
                           trainSeconds: try SeedSummary(runs.map(\.trainSeconds)),
                           timeSavedVersusFull: saved.count == runs.count && !saved.isEmpty ? try SeedSummary(saved) : nil,
                           functionEvaluationsPerImage: runs[0].functionEvaluationsPerImage,
                           trainingFunctionEvaluationsPerImage: runs[0].trainingFunctionEvaluationsPerImage)
            }
            let finalTime = first.run(.multilevel)?.levels.last?.finalTime ?? first.run(.full)?.levels.last?.finalTime
            return Group(integrator: first.integrator, stepCounts: first.stepCounts, finalTime: finalTime,
                         seeds: repeats.map(\.seed), rows: rows, theoreticalTimeSaved: first.theory.plannedSplit)
        }
    }

    /// `mean ± sd` (or the single value) of a summary, scaled and formatted.
    private static func text(_ summary: SeedSummary?, scale: Double, format: String) -> String {
        guard let summary else { return "-" }
        let mean = String(format: format, scale * summary.mean)
        guard let sd = summary.standardDeviation else { return mean }
        return mean + " ± " + String(format: format, scale * sd)
    }

    /// The printed table: per setting, one row per run with test error, training seconds and
    /// time saved (mean ± sd over the seeds) and the F evaluations per image (inference and the
    /// whole training).
    public var table: String {
        func pad(_ text: String, _ width: Int) -> String {
            text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
        }
        var lines: [String] = []
        for group in groups {
            lines.append("\(group.integrator), N = \(group.stepCounts.map(String.init).joined(separator: "→")), "
                         + "T = \(group.finalTime.map { String(format: "%g", $0) } ?? "?"), "
                         + "\(group.seeds.count) seed\(group.seeds.count == 1 ? "" : "s") "
                         + "(\(group.seeds.map(String.init).joined(separator: ", ")))")
            lines.append("  " + pad("run", 34) + pad("test err %", 16) + pad("train s", 16) + pad("saved vs (a) %", 16)
                         + pad("F/image", 9) + "F/image (training)")
            for row in group.rows {
                lines.append("  " + pad(row.kind.summary, 34)
                             + pad(Self.text(row.testError, scale: 100, format: "%.2f"), 16)
                             + pad(Self.text(row.trainSeconds, scale: 1, format: "%.1f"), 16)
                             + pad(Self.text(row.timeSavedVersusFull, scale: 100, format: "%.1f"), 16)
                             + pad(row.functionEvaluationsPerImage.map(String.init) ?? "-", 9)
                             + (row.trainingFunctionEvaluationsPerImage.map(String.init) ?? "-"))
            }
            lines.append(String(format: "  theory (planned split): %.1f%% saved", 100 * group.theoreticalTimeSaved))
        }
        return lines.joined(separator: "\n")
    }

    /// Header of ``csvLines``.
    public static let csvHeader = "integrator,step_counts,final_time,seeds,run,test_error_mean,test_error_sd,"
        + "test_error_lower95,test_error_upper95,train_seconds_mean,train_seconds_sd,time_saved_mean,"
        + "time_saved_sd,time_saved_lower95,time_saved_upper95,f_per_image,f_per_image_training,theory_time_saved"

    /// One CSV line per setting and run (empty fields where a value is undefined). Lists are
    /// space-separated inside a field: the step counts (`2 4 8`) and per-stage methods
    /// (`rk4Classic forwardEuler`, from ``Group/integrator``'s commas).
    public var csvLines: [String] {
        func number(_ x: Double?) -> String { x.map { "\($0)" } ?? "" }
        return groups.flatMap { group in
            group.rows.map { row in
                [group.integrator.replacingOccurrences(of: ",", with: " "), group.stepCounts.map(String.init).joined(separator: " "),
                 number(group.finalTime), "\(group.seeds.count)", row.kind.rawValue,
                 number(row.testError.mean), number(row.testError.standardDeviation),
                 number(row.testError.lower95), number(row.testError.upper95),
                 number(row.trainSeconds.mean), number(row.trainSeconds.standardDeviation),
                 number(row.timeSavedVersusFull?.mean), number(row.timeSavedVersusFull?.standardDeviation),
                 number(row.timeSavedVersusFull?.lower95), number(row.timeSavedVersusFull?.upper95),
                 row.functionEvaluationsPerImage.map(String.init) ?? "",
                 row.trainingFunctionEvaluationsPerImage.map(String.init) ?? "",
                 number(group.theoreticalTimeSaved)].joined(separator: ",")
            }
        }
    }
}
