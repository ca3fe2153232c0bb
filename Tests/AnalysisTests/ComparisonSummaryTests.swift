import Analysis
import Foundation
import Testing
@testable import Training

@Suite("Comparison summary over seeds and integrators")
struct ComparisonSummaryTests {
    /// A one-level run with the given error and seconds (`N = 8`, forward Euler, 3 stages).
    static func run(_ kind: ComparisonRunKind, error: Double, seconds: Double, saved: Double?,
                    evaluations: Int = 24) -> ComparisonRun {
        let level = LevelReport(cycle: 0, level: 0, stepCount: 8, stepSize: 0.25, finalTime: 2, epochs: 4,
                                stoppedOnPlateau: false, trainAccuracy: 1 - error, validationAccuracy: nil,
                                testAccuracy: 1 - error, trainSeconds: seconds, wallSeconds: seconds + 1,
                                parameterCount: 100)
        return ComparisonRun(kind: kind, levels: [level], testAccuracy: 1 - error, trainSeconds: seconds,
                             wallSeconds: seconds + 1, timeSavedVersusFull: saved, logFile: nil,
                             functionEvaluationsPerImage: evaluations, trainingFunctionEvaluationsPerImage: 4 * evaluations)
    }

    static func result(integrator: String, runs: [ComparisonRun]) -> ComparisonReport {
        ComparisonReport(dataset: "digits", trainingImages: 10, validationImages: 0, testImages: 5,
                         stageChannels: [4, 8, 16], stepCounts: [2, 4, 8], cycleEpochs: [2, 1, 1], epochs: 4,
                         integrator: integrator, prolongation: "piecewiseConstant", batchSize: 2,
                         learningRates: [0.1, 0.001], seeds: [1, 1], threads: 1, runs: runs,
                         theory: TheoreticalSaving(interpolations: 2, equalCycles: 5.0 / 12, plannedSplit: 0.5,
                                                   plannedSplitMultiplyAccumulates: 0.45))
    }

    @Test("Mean, sd and the 95 % interval match hand values; settings are grouped in order")
    func handValues() throws {
        // Multi-level errors 0.10, 0.12, 0.14; full seconds 10, 20, 30; multi-level 6, 12, 15 → saved 0.4, 0.4, 0.5.
        let seconds: [(Double, Double)] = [(10, 6), (20, 12), (30, 15)]
        var results: [(seed: UInt64, result: ComparisonReport)] = []
        for (i, (full, multilevel)) in seconds.enumerated() {
            results.append((UInt64(i + 1), Self.result(integrator: "forwardEuler", runs: [
                Self.run(.full, error: 0.1, seconds: full, saved: nil),
                Self.run(.multilevel, error: 0.10 + 0.02 * Double(i), seconds: multilevel, saved: 1 - multilevel / full),
            ])))
        }
        results.insert((7, Self.result(integrator: "rk4Classic", runs: [
            Self.run(.full, error: 0.2, seconds: 40, saved: nil, evaluations: 96),
            Self.run(.multilevel, error: 0.3, seconds: 20, saved: 0.5, evaluations: 96),
        ])), at: 1)
        let summary = try ComparisonSummary(results)
        #expect(summary.groups.map(\.integrator) == ["forwardEuler", "rk4Classic"])
        let euler = summary.groups[0]
        #expect(euler.seeds == [1, 2, 3] && summary.groups[1].seeds == [7])
        #expect(euler.rows.map(\.kind) == [.full, .multilevel] && euler.finalTime == 2)
        let multilevel = euler.rows[1]
        #expect(abs(multilevel.testError.mean - 0.12) < 1e-12)
        #expect(abs(try #require(multilevel.testError.standardDeviation) - 0.02) < 1e-12)
        // t_{0.975, 2} = 4.302652729749464: half width 4.3027 · 0.02 / √3.
        let halfWidth = 4.302652729749464 * 0.02 / 3.0.squareRoot()
        #expect(abs(try #require(multilevel.testError.upper95) - (0.12 + halfWidth)) < 1e-9)
        #expect(abs(try #require(multilevel.testError.lower95) - (0.12 - halfWidth)) < 1e-9)
        let saved = try #require(multilevel.timeSavedVersusFull)
        #expect(abs(saved.mean - 1.3 / 3) < 1e-12)
        #expect(abs(try #require(saved.standardDeviation) - (1.0 / 300).squareRoot()) < 1e-12)
        #expect(euler.rows[0].timeSavedVersusFull == nil)
        #expect(abs(euler.rows[0].trainSeconds.mean - 20) < 1e-12)
        // One seed: no sd, no interval; the F counts come through.
        let rk4 = summary.groups[1].rows[1]
        #expect(rk4.testError.standardDeviation == nil && rk4.testError.lower95 == nil)
        #expect(rk4.functionEvaluationsPerImage == 96 && rk4.trainingFunctionEvaluationsPerImage == 384)

        #expect(summary.table.contains("12.00 ± 2.00") && summary.table.contains("rk4Classic"))
        let fields = ComparisonSummary.csvHeader.split(separator: ",", omittingEmptySubsequences: false).count
        #expect(summary.csvLines.count == 4)
        #expect(summary.csvLines.allSatisfy { $0.split(separator: ",", omittingEmptySubsequences: false).count == fields })
        let decoded = try JSONDecoder().decode(ComparisonSummary.self, from: JSONEncoder().encode(summary))
        #expect(decoded == summary)
    }

    @Test("Per-stage methods (comma-joined in the report) stay one CSV field, space-separated")
    func perStageMethodsInCSV() throws {
        let mixed = Self.result(integrator: "rk4Classic,forwardEuler,forwardEuler",
                                runs: [Self.run(.full, error: 0.1, seconds: 1, saved: nil)])
        let summary = try ComparisonSummary([(1, mixed)])
        #expect(summary.groups.map(\.integrator) == ["rk4Classic,forwardEuler,forwardEuler"])
        let fields = ComparisonSummary.csvHeader.split(separator: ",", omittingEmptySubsequences: false).count
        let line = try #require(summary.csvLines.first).split(separator: ",", omittingEmptySubsequences: false)
        #expect(line.count == fields && line.first == "rk4Classic forwardEuler forwardEuler")
    }

    @Test("No results, or repeats that trained different runs, are refused")
    func refused() throws {
        #expect(throws: AnalysisError.self) { try ComparisonSummary([]) }
        let a = Self.result(integrator: "heun", runs: [Self.run(.full, error: 0.1, seconds: 1, saved: nil)])
        let b = Self.result(integrator: "heun", runs: [Self.run(.full, error: 0.1, seconds: 1, saved: nil),
                                                       Self.run(.naive, error: 0.1, seconds: 1, saved: 0)])
        #expect(throws: AnalysisError.self) { try ComparisonSummary([(1, a), (2, b)]) }
        // One seed twice is one repeat counted twice (sd too small): refused; other settings may reuse it.
        #expect(throws: AnalysisError.self) { try ComparisonSummary([(1, a), (2, a), (1, a)]) }
        let euler = Self.result(integrator: "forwardEuler", runs: a.runs)
        #expect(try ComparisonSummary([(1, a), (1, euler)]).groups.count == 2)
    }

    @Test("A sweep plans integrator-major members, rescales N at equal evaluations, keeps one T")
    func sweepPlan() throws {
        let sweep = try ComparisonSweep(integrators: [.forwardEuler, .rk4Classic], seeds: [5, 6], stepCounts: [4, 8],
                                        equalEvaluations: true)
        #expect(sweep.members.map(\.folderName) == ["forwardEuler-seed5", "forwardEuler-seed6", "rk4Classic-seed5",
                                                    "rk4Classic-seed6"])
        #expect(sweep.members.map(\.stepCounts) == [[4, 8], [4, 8], [1, 2], [1, 2]])
        #expect(sweep.finalTime == 4)
        let plain = try ComparisonSweep(integrators: [.heun], seeds: [1], stepCounts: [2, 4], equalEvaluations: false)
        #expect(plain.members.map(\.stepCounts) == [[2, 4]])
        #expect(throws: AnalysisError.self) {
            try ComparisonSweep(integrators: [.heun, .heun], seeds: [1], stepCounts: [2], equalEvaluations: false)
        }
        #expect(throws: AnalysisError.self) {
            try ComparisonSweep(integrators: [.heun], seeds: [1, 1], stepCounts: [2], equalEvaluations: false)
        }
        #expect(throws: AnalysisError.self) {
            try ComparisonSweep(integrators: [], seeds: [1], stepCounts: [2], equalEvaluations: false)
        }
        #expect(throws: TrainingError.self) {
            try ComparisonSweep(integrators: [.forwardEuler, .rk4Classic], seeds: [1], stepCounts: [2, 4],
                                equalEvaluations: true)
        }
    }
}

@Suite("Sweep arguments")
struct SweepArgumentTests {
    @Test("Consecutive seeds: K seeds from S; K < 1, K too large or S + K − 1 past UInt64.max are refused")
    func seeds() throws {
        #expect(try ComparisonSweep.consecutiveSeeds(from: 5, count: 3) == [5, 6, 7])
        #expect(try ComparisonSweep.consecutiveSeeds(from: UInt64.max - 1, count: 2) == [UInt64.max - 1, UInt64.max])
        for (first, count) in [(UInt64(1), 0), (1, -1), (UInt64.max, 2), (1, Int.max), (1, ComparisonSweep.maximumSeedCount + 1)] {
            #expect(throws: AnalysisError.self, "seed \(first), count \(count)") {
                try ComparisonSweep.consecutiveSeeds(from: first, count: count)
            }
        }
    }

    @Test("Lesion seeds: 1 … K; K < 0 or above the maximum is refused (a huge K crashed analyze)")
    func lesionSeeds() throws {
        #expect(try NetworkAnalyzer.lesionSeeds(count: 3) == [1, 2, 3])
        #expect(try NetworkAnalyzer.lesionSeeds(count: 0).isEmpty)
        for count in [-1, Int.max, NetworkAnalyzer.maximumLesionSeedCount + 1] {
            #expect(throws: AnalysisError.self, "\(count)") { try NetworkAnalyzer.lesionSeeds(count: count) }
        }
    }

    @Test("Integrator lists: spaces trimmed; empty items, repeats and unknown names are refused")
    func integratorLists() throws {
        #expect(try ComparisonSweep.integrators(parsing: " heun, forwardEuler ") == [.heun, .forwardEuler])
        for list in [",heun", "heun,", "heun,,rk4Classic", "", " ", "heun,heun", "heun, heun", "euler"] {
            #expect(throws: AnalysisError.self, "'\(list)'") { try ComparisonSweep.integrators(parsing: list) }
        }
    }
}

@Suite("Analysis over seeds")
struct AnalysisSeedSummaryTests {
    /// A one-level report (N = 2, one stage) with the given accuracy, mean ‖G‖, lesions and exponent.
    static func report(accuracy: Double, residual: Double, lesions: [Double], random: Double?, half: Double,
                       exponent: Double?) throws -> AnalysisReport {
        let steps = lesions.enumerated().map { n, lesion in
            StepNormRow(level: 0, stepCount: 2, stage: 0, step: n, time: Double(n), stateNorm: 1, residualNorm: residual,
                        lesionAccuracy: lesion)
        }
        let randomLesion = try random.map { RandomLesionSummary(k: 1, seeds: [1], accuracy: try SeedSummary([$0])) }
        let level = LevelAnalysis(level: 0, cycle: 1, stepCount: 2, finalTime: 2, archivedTestAccuracy: nil,
                                  accuracy: accuracy, loss: 0.1, steps: steps, stageMeanResidualNorms: [residual],
                                  meanResidualNorm: residual, randomLesion: randomLesion,
                                  resampled: [ResampledAccuracy(stepCount: 1, accuracy: half),
                                              ResampledAccuracy(stepCount: 4, accuracy: accuracy)])
        // G(N) = c N^p through N = 2 and 1: G(1) = G(2) · 2^{−p}.
        let fit = try exponent.map { try PowerLawFit(stepCounts: [2, 1], residualNorms: [residual, residual * pow(2, -$0)]) }
        return AnalysisReport(dataset: "digits", testCount: 10, levels: [level], powerLaw: fit,
                              powerLawUnavailableReason: nil)
    }

    @Test("Levels and the exponent are summarized with hand values; a missing item stays nil")
    func handValues() throws {
        let reports = [
            ("a.h5", try Self.report(accuracy: 0.90, residual: 1, lesions: [0.5, 0.8], random: 0.7, half: 0.85, exponent: -1.1)),
            ("b.h5", try Self.report(accuracy: 0.92, residual: 2, lesions: [0.9, 0.6], random: 0.8, half: 0.87, exponent: -0.9)),
            ("c.h5", try Self.report(accuracy: 0.94, residual: 3, lesions: [0.7, 0.7], random: nil, half: 0.89, exponent: -1.0)),
        ]
        let summary = try AnalysisSeedSummary(reports.map { (archive: $0.0, report: $0.1) })
        #expect(summary.archives == ["a.h5", "b.h5", "c.h5"])
        let level = try #require(summary.levels.first)
        #expect(abs(level.accuracy.mean - 0.92) < 1e-12 && abs((level.accuracy.standardDeviation ?? 0) - 0.02) < 1e-12)
        #expect(level.meanResidualNorm.values == [1, 2, 3] && abs((level.meanResidualNorm.standardDeviation ?? 0) - 1) < 1e-12)
        #expect(level.worstSingleLesionAccuracy.values == [0.5, 0.6, 0.7])
        #expect(level.randomLesionAccuracy == nil)  // c.h5 has no random lesion
        #expect(try #require(level.halfDepthAccuracy).values == [0.85, 0.87, 0.89])
        let exponent = try #require(summary.exponent)
        #expect(abs(exponent.mean + 1) < 1e-9 && abs((exponent.standardDeviation ?? 0) - 0.1) < 1e-9)
        // t_{0.975, 2} · 0.1 / √3.
        #expect(abs((exponent.upper95 ?? 0) - (-1 + 4.302652729749464 * 0.1 / 3.0.squareRoot())) < 1e-9)
        #expect(summary.table.contains("-1.000 ± 0.100"))
        let collection = try AnalysisCollection(reports.map { (archive: $0.0, report: $0.1) })
        #expect(try JSONDecoder().decode(AnalysisCollection.self, from: JSONEncoder().encode(collection)) == collection)
    }

    @Test("The CSV of several archives quotes a path holding a comma or a quote, so the columns stay aligned")
    func csvQuoting() throws {
        let a = try Self.report(accuracy: 0.9, residual: 1, lesions: [0.5, 0.5], random: nil, half: 0.8, exponent: nil)
        let collection = try AnalysisCollection([("runs/a,b/multilevel.h5", a), ("runs/say \"x\".h5", a), ("plain.h5", a)])
        let columns = AnalysisCollection.csvHeader.split(separator: ",").count
        #expect(collection.csvLines.count == 6)
        #expect(collection.csvLines[0].hasPrefix("\"runs/a,b/multilevel.h5\","))
        #expect(collection.csvLines[2].hasPrefix("\"runs/say \"\"x\"\".h5\","))
        #expect(collection.csvLines[4].hasPrefix("plain.h5,"))
        // Every line has the header's column count once the quoted first field is removed.
        for line in collection.csvLines {
            let end = try #require(line.hasPrefix("\"") ? line.range(of: "\",")?.upperBound
                                                        : line.firstIndex(of: ",").map { line.index(after: $0) })
            #expect(line[end...].split(separator: ",", omittingEmptySubsequences: false).count == columns - 1, "\(line)")
        }
    }

    @Test("Reports with different levels, or none, are refused")
    func refused() throws {
        #expect(throws: AnalysisError.self) { try AnalysisSeedSummary([]) }
        let a = try Self.report(accuracy: 0.9, residual: 1, lesions: [0.5, 0.5], random: nil, half: 0.8, exponent: nil)
        var b = a
        b.levels[0].stepCount = 4
        #expect(throws: AnalysisError.self) { try AnalysisSeedSummary([("a", a), ("b", b)]) }
        #expect(try AnalysisSeedSummary([("a", a), ("a2", a)]).exponent == nil)
        // One archive named twice is not two repeats (it would report sd 0).
        #expect(throws: AnalysisError.self) { try AnalysisSeedSummary([("a", a), ("a", a)]) }
    }
}
