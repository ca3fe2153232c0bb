import Analysis
import Archiving
import Autodiff
import Datasets
import Foundation
import ODENet
import Statistics
import Testing
import TensorCore
import Training

/// Tiny digits fixtures: 64 training and 32 test images, one stage of 4 channels.
enum AnalysisFixture {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static func data() throws -> TrainingData {
        let all = try Dataset.digits(in: repositoryRoot)
        return try TrainingData(training: all.subset(indices: Array(0..<64)), test: all.subset(indices: Array(64..<96)))
    }

    static func network(stepCount: Int, seed: UInt64 = 3) throws -> ODENetwork {
        let spec = try ODENetSpec(inputShape: [8, 8, 1], classCount: 10, stageChannels: [4], stepCount: stepCount,
                                  finalTime: nil)
        return try ODENetwork(spec: spec, seed: seed)
    }

    static func analyzer(seeds: [UInt64] = [1, 2], k: Int = 1) throws -> NetworkAnalyzer {
        let data = try data()
        return try NetworkAnalyzer(test: try #require(data.test), statistics: data.statistics, batchSize: 12,
                                   lesionSeeds: seeds, lesionK: k)
    }

    /// The logits of the first test batch, evaluation mode.
    static func logits(_ network: ODENetwork) throws -> [Float] {
        let data = try data()
        let batcher = try MiniBatcher(dataset: try #require(data.test), statistics: data.statistics, batchSize: 16)
        var generator = SplitMix64(seed: 0)
        let (input, _) = try batcher.batch(Array(0..<16), augmented: false, generator: &generator)
        let tape = Tape(recording: false)
        return try network.forward(input, on: tape, mode: .evaluation).value.elements
    }
}

@Suite("Lesions")
struct LesionTests {
    @Test("deleting a step whose residual is exactly zero leaves the logits bit for bit and the accuracy")
    func zeroResidualStep() throws {
        let network = try AnalysisFixture.network(stepCount: 3)
        network.stages[0].steps[1].conv2.update { v, _ in for i in v.indices { v[i] = 0 } }
        let lesioned = try network.lesioned(deleting: [(stage: 0, step: 1)])
        let (a, b) = (try AnalysisFixture.logits(network), try AnalysisFixture.logits(lesioned))
        #expect(a.count == b.count)
        #expect(zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern })
        let analyzer = try AnalysisFixture.analyzer()
        #expect(try analyzer.evaluate(network).accuracy == analyzer.evaluate(lesioned).accuracy)
        // The analysis row of that step reports the full accuracy.
        let level = try analyzer.analyze(ArchivedLevel(index: 0, network: network))
        #expect(level.steps[1].lesionAccuracy == level.accuracy)
        #expect(level.steps[1].residualNorm == 0)
        #expect(level.steps[0].residualNorm > 0)
    }

    @Test("deleting a nonzero step changes the logits and leaves the original network unchanged")
    func nonzeroStep() throws {
        let network = try AnalysisFixture.network(stepCount: 3)
        let before = try AnalysisFixture.logits(network)
        let lesioned = try network.lesioned(deleting: [(stage: 0, step: 0)])
        let after = try AnalysisFixture.logits(lesioned)
        #expect(zip(before, after).contains { $0 != $1 })
        #expect(try AnalysisFixture.logits(network) == before)
        #expect(throws: AnalysisError.self) { try network.lesioned(deleting: [(stage: 0, step: 3)]) }
        #expect(throws: AnalysisError.self) { try network.lesioned(deleting: [(stage: 1, step: 0)]) }
    }

    @Test("the lesion equals a true deletion: N − 1 steps of the same h, T shrunk by h, bit for bit")
    func equalsTrueDeletion() throws {
        let network = try AnalysisFixture.network(stepCount: 4)
        let spec = network.spec
        var shorter = spec
        shorter.stepCount = 3
        shorter.finalTime = spec.finalTime - spec.stepSize
        #expect(shorter.stepSize == spec.stepSize)
        let stage = network.stages[0]
        // The kept steps, re-indexed 0, 1, 2 (a network's step at position n has the paths of step n).
        let kept = try stage.steps.enumerated().filter { $0.offset != 2 }.enumerated().map { n, step in
            try ResidualStep(fields: step.element.fieldTensors, stage: 0, step: n)
        }
        let deleted = try ODENetwork(
            spec: shorter, stem: network.stem,
            stages: [ODEStage(index: 0, connector: nil, steps: kept,
                              integrator: stage.integrator, finalTime: shorter.finalTime)],
            headNorm: network.headNorm, classifierWeight: network.classifierWeight,
            classifierBias: network.classifierBias)
        let (a, b) = (try AnalysisFixture.logits(network.lesioned(deleting: [(stage: 0, step: 2)])),
                      try AnalysisFixture.logits(deleted))
        #expect(a.count == b.count)
        #expect(zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern })
    }

    @Test("random lesions draw k distinct steps per stage, reproducibly")
    func randomSteps() {
        let a = NetworkAnalyzer.randomSteps(stageCount: 3, stepCount: 5, k: 2, seed: 9)
        let b = NetworkAnalyzer.randomSteps(stageCount: 3, stepCount: 5, k: 2, seed: 9)
        #expect(a.map(\.stage) == b.map(\.stage) && a.map(\.step) == b.map(\.step))
        for s in 0..<3 {
            let steps = a.filter { $0.stage == s }.map(\.step)
            #expect(steps.count == 2 && Set(steps).count == 2 && steps.allSatisfy { (0..<5).contains($0) })
        }
    }
}

@Suite("Power law and statistics")
struct PowerLawTests {
    @Test("the fit recovers a known exponent and prefactor", arguments: [-1.0, -0.5, 0.25])
    func recoversExponent(p: Double) throws {
        let counts = [2, 4, 8, 16]
        let fit = try PowerLawFit(stepCounts: counts, residualNorms: counts.map { 3 * pow(Double($0), p) })
        #expect(abs(fit.exponent - p) < 1e-12)
        #expect(abs(fit.prefactor - 3) < 1e-10)
        #expect(try #require(fit.exponentStandardError) < 1e-10)
    }

    @Test("fewer than 2 levels or one N is reported unavailable; 2 levels give no standard error")
    func unavailable() throws {
        #expect(throws: AnalysisError.self) { try PowerLawFit(stepCounts: [4], residualNorms: [0.1]) }
        #expect(throws: AnalysisError.self) { try PowerLawFit(stepCounts: [4, 4], residualNorms: [0.1, 0.2]) }
        #expect(throws: AnalysisError.self) { try PowerLawFit(stepCounts: [2, 4], residualNorms: [0.1, 0]) }
        let two = try PowerLawFit(stepCounts: [2, 8], residualNorms: [0.4, 0.1])
        #expect(abs(two.exponent + 1) < 1e-12)
        #expect(two.exponentStandardError == nil)
    }

    @Test("the seed summary matches hand values")
    func seedSummary() throws {
        let summary = try SeedSummary([0.8, 0.9, 1.0])
        #expect(abs(summary.mean - 0.9) < 1e-12)
        #expect(abs(try #require(summary.standardDeviation) - 0.1) < 1e-12)
        // t_{0.975, 2} = 4.302652729911275 (tables); half width = t · sd / √3.
        let half = 4.302652729911275 * 0.1 / 3.0.squareRoot()
        #expect(abs(try #require(summary.lower95) - (0.9 - half)) < 1e-9)
        #expect(abs(try #require(summary.upper95) - (0.9 + half)) < 1e-9)
        let one = try SeedSummary([0.5])
        #expect(one.mean == 0.5 && one.standardDeviation == nil && one.lower95 == nil)
    }
}

@Suite("Archive analysis")
struct ArchiveAnalysisTests {
    @Test("an archive of N = 2 and 4 gives Σ N rows, N/2 and 2N entries, a two-level power law, JSON")
    func archive() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("analysis-\(UUID().uuidString).h5").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try LevelArchive.write(levels: [ArchivedLevel(index: 0, network: try AnalysisFixture.network(stepCount: 4)),
                                        ArchivedLevel(index: 1, network: try AnalysisFixture.network(stepCount: 2))],
                               metadata: ArchiveMetadata(dataset: "digits", seed: 1), to: path)
        let report = try AnalysisFixture.analyzer(seeds: [1, 2, 3], k: 1).analyze(try LevelArchive.read(from: path))
        #expect(report.levels.map(\.stepCount) == [4, 2])
        #expect(report.stepRows.count == 6)
        #expect(report.testCount == 32)
        for level in report.levels {
            #expect(level.steps.map(\.step) == Array(0..<level.stepCount))
            #expect(Set(level.resampled.map(\.stepCount)) == [level.stepCount / 2, 2 * level.stepCount])
            #expect(level.resampled.allSatisfy { (0...1).contains($0.accuracy) })
            let random = try #require(level.randomLesion)
            #expect(random.accuracy.values.count == 3)
            #expect(abs(random.accuracy.mean - random.accuracy.values.reduce(0, +) / 3) < 1e-12)
            #expect(level.archivedTestAccuracy == nil)
        }
        let fit = try #require(report.powerLaw)
        #expect(fit.exponentStandardError == nil)
        #expect(report.powerLawUnavailableReason == nil)
        let decoded = try JSONDecoder().decode(AnalysisReport.self, from: JSONEncoder().encode(report))
        #expect(decoded == report)
        #expect(report.stepRows.first?.csvLine.split(separator: ",").count
                == StepNormRow.csvHeader.split(separator: ",").count)
    }

    @Test("odd N has no N/2 entry; k ≥ N has no random lesion; one level has no power law")
    func oddAndSingle() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("analysis-\(UUID().uuidString).h5").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try LevelArchive.write(levels: [ArchivedLevel(index: 0, network: try AnalysisFixture.network(stepCount: 3))],
                               metadata: ArchiveMetadata(dataset: "digits", seed: 1), to: path)
        let report = try AnalysisFixture.analyzer(k: 3).analyze(try LevelArchive.read(from: path))
        #expect(report.levels[0].resampled.map(\.stepCount) == [6])
        #expect(report.levels[0].randomLesion == nil)
        #expect(report.powerLaw == nil)
        #expect(report.powerLawUnavailableReason != nil)
    }
}
