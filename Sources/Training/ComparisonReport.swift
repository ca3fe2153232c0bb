public import TensorCore
import Archiving
import Foundation

/// Which network a comparison run trains.
public enum ComparisonRunKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// (a) The finest depth trained from scratch for the whole budget (the paper's last-cycle baseline).
    case full
    /// (b) The multilevel schedule: `h` halves at every refinement (`T` kept).
    case multilevel
    /// (c) The naive rule: depth doubles but `h` is kept (`T` doubles).
    case naive
    /// (d) The first cycle's shallow network trained for the whole budget.
    case shallow

    /// A short description for tables.
    public var summary: String {
        switch self {
        case .full: return "(a) full: finest N from scratch"
        case .multilevel: return "(b) multi-level, h halved"
        case .naive: return "(c) naive: depth doubled, h kept"
        case .shallow: return "(d) shallow: first-cycle N only"
        }
    }
}

/// One trained run of a comparison.
public struct ComparisonRun: Sendable, Hashable, Codable {
    /// Which run.
    public var kind: ComparisonRunKind
    /// Its levels (one for the single-level runs).
    public var levels: [LevelReport]
    /// Test accuracy of the final network, in `[0, 1]`.
    public var testAccuracy: Double
    /// Seconds of the training loops (evaluation excluded), all levels.
    public var trainSeconds: Double
    /// Wall seconds of the whole run, evaluations and refinements included.
    public var wallSeconds: Double
    /// `1 − trainSeconds / trainSeconds(full)`, when the full run is known.
    public var timeSavedVersusFull: Double?
    /// The JSON-lines log of the run, relative to the output folder.
    public var logFile: String?
    /// The run's level archive (HDF5), relative to the output folder.
    public var archiveFile: String? = nil
    /// Evaluations of the residual `F` in one forward pass of the final network, all stages:
    /// `Σ_stages s·N` (`s` the Runge–Kutta stage count of each stage's method). `nil` in results written before 0.1.0.
    public var functionEvaluationsPerImage: Int? = nil
    /// Evaluations of `F` in the forward passes of the whole training, per training image:
    /// `Σ_levels epochs · Σ_stages s·N_level` (backward passes cost in proportion). `nil` in
    /// results written before 0.1.0.
    public var trainingFunctionEvaluationsPerImage: Int? = nil

    /// `1 − testAccuracy`.
    public var testError: Double { 1 - testAccuracy }
}

/// The theory's time saving, `1 − cost(multilevel) / cost(full)` with the cost of an epoch
/// proportional to the depth (or to the forward multiply–adds).
public struct TheoreticalSaving: Sendable, Hashable, Codable {
    /// Interpolations `k` (cycles − 1).
    public var interpolations: Int
    /// `1 − (2^{k+1} − 1) / (2^k (k+1))`: equal cycles, depth doubling each time.
    public var equalCycles: Double
    /// `1 − Σ_c e_c N_c / (E N_last)` for the epochs actually planned per cycle.
    public var plannedSplit: Double
    /// As `plannedSplit` with each epoch costed by its network's forward multiply–adds (stem,
    /// connectors and head included, which do not scale with `N`).
    public var plannedSplitMultiplyAccumulates: Double
}

/// Everything a comparison measured: written as `results.json`.
public struct ComparisonReport: Sendable, Hashable, Codable {
    /// The dataset's name and how it was split.
    public var dataset: String
    /// Training / validation / test image counts.
    public var trainingImages: Int
    /// Validation images (0 without a validation part).
    public var validationImages: Int
    /// Test images.
    public var testImages: Int
    /// Channels per stage.
    public var stageChannels: [Int]
    /// Steps per stage of the cycles.
    public var stepCounts: [Int]
    /// Epochs per cycle of the multilevel runs.
    public var cycleEpochs: [Int]
    /// The epoch budget.
    public var epochs: Int
    /// The methods (``ComparisonPlan/integratorDescription``): one name when every stage uses the
    /// same method (e.g. `forwardEuler`, as results written before per-stage methods), else the
    /// stages' names comma-joined, stage 0 first (e.g. `rk4Classic,forwardEuler,forwardEuler`).
    public var integrator: String
    /// The prolongation.
    public var prolongation: String
    /// Batch size.
    public var batchSize: Int
    /// η_max, η_min.
    public var learningRates: [Double]
    /// Data and network seeds.
    public var seeds: [UInt64]
    /// Kernel threads (if set).
    public var threads: Int?
    /// The runs, in the order trained.
    public var runs: [ComparisonRun]
    /// The theory's savings.
    public var theory: TheoreticalSaving
    /// The resolved configuration of the comparison, every field (`nil` in files written before it
    /// was recorded).
    public var configuration: RunConfiguration?
    /// What the comparison ran on: library version, threads, oneDNN's ISA, BLAS, CPU (`nil` in
    /// files written before it was recorded).
    public var environment: ComputeEnvironment?

    /// The run of a kind, if trained.
    public func run(_ kind: ComparisonRunKind) -> ComparisonRun? { runs.first { $0.kind == kind } }

    /// The printed table: one row per run (final `N`, `h`, `T`, epochs, test error, training
    /// seconds, saving vs (a)), then the theory's savings.
    public var table: String {
        func pad(_ text: String, _ width: Int) -> String {
            text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
        }
        var lines = [pad("run", 34) + pad("N", 4) + pad("h", 7) + pad("T", 6) + pad("epochs", 10)
                     + pad("test err", 10) + pad("train s", 9) + pad("wall s", 9) + "saved vs (a)"]
        for run in runs {
            guard let last = run.levels.last else { continue }
            let epochs = run.levels.map { String($0.epochs) }.joined(separator: "+")
            lines.append(pad(run.kind.summary, 34) + pad("\(last.stepCount)", 4)
                         + pad(String(format: "%.3g", last.stepSize), 7) + pad(String(format: "%g", last.finalTime), 6)
                         + pad(epochs, 10) + pad(String(format: "%.2f%%", 100 * run.testError), 10)
                         + pad(String(format: "%.1f", run.trainSeconds), 9) + pad(String(format: "%.1f", run.wallSeconds), 9)
                         + (run.timeSavedVersusFull.map { String(format: "%.1f%%", 100 * $0) } ?? "-"))
        }
        lines.append(String(format: "theory (k = %d refinements): equal cycles %.1f%%; planned split %@ → %.1f%% "
                            + "(%.1f%% counting stem/connector/head multiply-adds)",
                            theory.interpolations, 100 * theory.equalCycles,
                            cycleEpochs.map(String.init).joined(separator: "/"), 100 * theory.plannedSplit,
                            100 * theory.plannedSplitMultiplyAccumulates))
        return lines.joined(separator: "\n")
    }

    /// Writes the result as pretty-printed JSON (sorted keys).
    ///
    /// - Parameter url: the file (e.g. `<output>/results.json`), written atomically (temporary
    ///   file, `fsync`, `rename`: ``/Archiving/AtomicFileWriter/writeJSON(_:to:)``).
    /// - Throws: the encoder's or the write's error.
    public func write(to url: URL) throws {
        try AtomicFileWriter.writeJSON(self, to: url.path)
    }
}
