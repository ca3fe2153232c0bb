public import Foundation
public import Integrators
public import Training
import Archiving

/// A comparison repeated over integrators and seeds (`mlresnet compare --integrators … --seeds K`):
/// one comparison folder per member, then ``ComparisonSummary`` over the seeds of each integrator.
///
/// Every member solves on the same `[0, T]`, `T` = the reference schedule's coarsest `N` (so the
/// reference method has `h = 1` at its first level, as in the paper). With `equalEvaluations` each
/// method's steps per stage are rescaled to the F evaluations of the method with fewest stages
/// (``Comparison/equalEvaluationStepCounts(_:referenceStageCount:integrator:)``), so methods are
/// compared at equal cost.
///
/// Layout written by ``run(in:compare:)``:
/// ```
/// <folder>/<integrator>-seed<S>/results.json, <run>.jsonl, <run>.h5    (the compare closure's files)
/// <folder>/summary.json, summary.csv                                   (ComparisonSummary)
/// ```
public struct ComparisonSweep: Sendable {
    /// One comparison of the sweep.
    public struct Member: Sendable, Hashable {
        /// The integrator of every stage.
        public var integrator: IntegratorKind
        /// Its steps per stage, coarse → fine.
        public var stepCounts: [Int]
        /// The data and network seed.
        public var seed: UInt64
        /// The member's folder name, `<integrator>-seed<S>`.
        public var folderName: String { "\(integrator.rawValue)-seed\(seed)" }
    }

    /// The reference schedule (`--schedule`).
    public let stepCounts: [Int]
    /// The comparisons, integrator-major, seeds in order.
    public let members: [Member]
    /// `T` of every member: the reference schedule's coarsest `N`.
    public var finalTime: Double { Double(stepCounts[0]) }

    /// Plans a sweep.
    ///
    /// - Parameters:
    ///   - integrators: distinct methods, at least one.
    ///   - seeds: distinct seeds, at least one.
    ///   - stepCounts: the reference schedule, coarse → fine.
    ///   - equalEvaluations: rescale each method to the F evaluations of the one with fewest stages.
    /// - Throws: ``AnalysisError/invalidArgument(message:)`` for no or repeated integrators or
    ///   seeds, or an empty schedule; ``TrainingError/invalidConfiguration(name:value:expected:)``
    ///   for a schedule that a method's stage count does not divide.
    public init(integrators: [IntegratorKind], seeds: [UInt64], stepCounts: [Int], equalEvaluations: Bool) throws {
        guard !integrators.isEmpty, Set(integrators).count == integrators.count else {
            throw AnalysisError.invalidArgument(message: "a sweep needs distinct integrators, got \(integrators.map(\.rawValue))")
        }
        guard !seeds.isEmpty, Set(seeds).count == seeds.count else {
            throw AnalysisError.invalidArgument(message: "a sweep needs distinct seeds, got \(seeds)")
        }
        guard !stepCounts.isEmpty, stepCounts.allSatisfy({ $0 >= 1 }) else {
            throw AnalysisError.invalidArgument(message: "a sweep needs steps per stage ≥ 1, got \(stepCounts)")
        }
        let reference = integrators.map(\.integrator.stageCount).min()!
        var members: [Member] = []
        for integrator in integrators {
            let counts = equalEvaluations
                ? try Comparison.equalEvaluationStepCounts(stepCounts, referenceStageCount: reference, integrator: integrator)
                : stepCounts
            members += seeds.map { Member(integrator: integrator, stepCounts: counts, seed: $0) }
        }
        self.stepCounts = stepCounts
        self.members = members
    }

    /// Runs every member and writes the summary.
    ///
    /// - Parameters:
    ///   - folder: the sweep's folder (created if missing).
    ///   - compare: runs one member's comparison into the given folder (already created) with
    ///     `T` = ``finalTime``, writes its files and returns its report.
    /// - Returns: the summary, also written as `summary.json` and `summary.csv` (atomically).
    /// - Throws: whatever `compare` throws (the sweep stops there; finished members keep their
    ///   folders); ``ComparisonSummary`` and file errors.
    public func run(in folder: URL, compare: (Member, URL) throws -> ComparisonReport) throws -> ComparisonSummary {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var reports: [(seed: UInt64, result: ComparisonReport)] = []
        for member in members {
            let memberFolder = folder.appendingPathComponent(member.folderName)
            try FileManager.default.createDirectory(at: memberFolder, withIntermediateDirectories: true)
            reports.append((member.seed, try compare(member, memberFolder)))
        }
        let summary = try ComparisonSummary(reports)
        try AtomicFileWriter.writeJSON(summary, to: folder.appendingPathComponent("summary.json").path)
        try AtomicFileWriter.writeLines([ComparisonSummary.csvHeader] + summary.csvLines,
                                        to: folder.appendingPathComponent("summary.csv").path)
        return summary
    }
}
