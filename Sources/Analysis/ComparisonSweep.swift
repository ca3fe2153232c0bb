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
/// (``/Training/ComparisonPlan/equalEvaluationStepCounts(_:referenceStageCount:integrators:)``), so methods are
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
        /// The method of every stage (the sweep compares whole-network methods).
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

    /// The most seeds one sweep repeats (each seed is a whole comparison of three or four runs).
    public static let maximumSeedCount = 10_000

    /// The consecutive seeds `first, first + 1, …, first + count − 1` of `compare --seed S --seeds K`.
    ///
    /// - Parameters:
    ///   - first: the first seed `S`.
    ///   - count: `K`, in `1 ... maximumSeedCount`.
    /// - Returns: the `K` seeds, in order.
    /// - Throws: ``AnalysisError/invalidArgument(message:)`` for `K < 1`, `K > maximumSeedCount`, or a
    ///   last seed `S + K − 1` above `UInt64.max`.
    public static func consecutiveSeeds(from first: UInt64, count: Int) throws -> [UInt64] {
        guard count >= 1, count <= maximumSeedCount else {
            throw AnalysisError.invalidArgument(
                message: "a sweep repeats 1 … \(maximumSeedCount) seeds, got \(count)")
        }
        let (last, overflow) = first.addingReportingOverflow(UInt64(count - 1))
        guard !overflow else {
            throw AnalysisError.invalidArgument(
                message: "seeds \(first) … \(first) + \(count - 1) pass UInt64.max (\(UInt64.max)); lower the first seed")
        }
        return Array(first...last)
    }

    /// The integrator names of a comma-separated list (`compare --integrators a,b,c`), spaces around
    /// each name ignored.
    ///
    /// - Parameter list: e.g. `"forwardEuler, heun,rk4Classic"`.
    /// - Returns: the integrators, in the order given.
    /// - Throws: ``AnalysisError/invalidArgument(message:)`` for an empty list or item (e.g.
    ///   `",heun"`, `"heun,"`), a repeated name, or an unknown name (listing the known ones).
    public static func integrators(parsing list: String) throws -> [IntegratorKind] {
        let names = list.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        if let empty = names.firstIndex(of: "") {
            throw AnalysisError.invalidArgument(
                message: "integrator list '\(list)' has an empty item at position \(empty + 1) (expected e.g. forwardEuler,heun)")
        }
        var kinds: [IntegratorKind] = []
        for name in names {
            guard let kind = IntegratorKind(rawValue: name) else {
                throw AnalysisError.invalidArgument(
                    message: "unknown integrator '\(name)' in '\(list)' "
                        + "(\(IntegratorKind.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            guard !kinds.contains(kind) else {
                throw AnalysisError.invalidArgument(message: "integrator '\(name)' is repeated in '\(list)'")
            }
            kinds.append(kind)
        }
        return kinds
    }

    /// Plans a sweep.
    ///
    /// - Parameters:
    ///   - integrators: distinct methods, at least one.
    ///   - seeds: distinct seeds, at least one.
    ///   - stepCounts: the reference schedule, coarse → fine.
    ///   - equalEvaluations: rescale each method to the F evaluations of the one with fewest stages.
    /// - Throws: ``AnalysisError/invalidArgument(message:)`` for no or repeated integrators or
    ///   seeds, or an empty schedule; ``/Training/TrainingError/invalidConfiguration(name:value:expected:)``
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
        let reference = integrators.map(\.tableau.stageCount).min()!
        var members: [Member] = []
        for integrator in integrators {
            let counts = equalEvaluations
                ? try ComparisonPlan.equalEvaluationStepCounts(stepCounts, referenceStageCount: reference,
                                                               integrators: [.method(integrator)])
                : stepCounts
            members += seeds.map { Member(integrator: integrator, stepCounts: counts, seed: $0) }
        }
        self.stepCounts = stepCounts
        self.members = members
        self.equalEvaluations = equalEvaluations
    }

    /// What a sweep is, as recorded in its folder's ``planFileName`` when it starts, so that
    /// `--resume` with other options is refused instead of mixing members of two plans.
    public struct Plan: Codable, Sendable, Equatable {
        /// The integrators, in order.
        public var integrators: [String]
        /// The seeds, in order.
        public var seeds: [UInt64]
        /// The reference schedule (steps per stage, coarse → fine).
        public var stepCounts: [Int]
        /// Whether every integrator got the reference method's F evaluations.
        public var equalEvaluations: Bool
        /// The members' folders with their schedules (`<integrator>-seed<S>: 1,2`).
        public var members: [String]

        /// The fields in which `other` differs from this plan, each as `field: recorded → now`.
        ///
        /// - Parameter other: the plan of the command that would continue this one.
        /// - Returns: one line per differing field; empty when the plans are equal.
        public func differences(to other: Plan) -> [String] {
            var lines: [String] = []
            func compare<T: Equatable>(_ name: String, _ a: T, _ b: T) {
                if a != b { lines.append("\(name): \(a) → \(b)") }
            }
            compare("integrators", integrators, other.integrators)
            compare("seeds", seeds, other.seeds)
            compare("schedule (steps per stage)", stepCounts, other.stepCounts)
            compare("equal evaluations", equalEvaluations, other.equalEvaluations)
            if lines.isEmpty { compare("members", members, other.members) }
            return lines
        }
    }

    /// The plan file in a sweep's folder.
    public static let planFileName = "plan.json"

    /// Whether every integrator got the reference method's F evaluations.
    public let equalEvaluations: Bool

    /// This sweep's plan.
    public var plan: Plan {
        var integrators: [String] = []
        var seeds: [UInt64] = []
        for member in members {
            if !integrators.contains(member.integrator.rawValue) { integrators.append(member.integrator.rawValue) }
            if !seeds.contains(member.seed) { seeds.append(member.seed) }
        }
        return Plan(integrators: integrators, seeds: seeds, stepCounts: stepCounts, equalEvaluations: equalEvaluations,
                    members: members.map { "\($0.folderName): \($0.stepCounts.map(String.init).joined(separator: ","))" })
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
