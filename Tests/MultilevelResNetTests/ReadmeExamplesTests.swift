// docs-example begins: readme-configuration
import Foundation
import MultilevelResNet
// docs-example ends: readme-configuration
import Testing

/// The README's Swift examples that need the umbrella module (the others: `ReadmeExampleTests` in
/// ODENetTests, `IntegratorReadmeExampleTests` in ArchivingTests).
@Suite("README examples", .serialized)
struct ReadmeExamplesTests {
    @Test("Configurations: RunConfiguration → plan → runner → config.json, read back")
    func configurationExample() throws {
        // docs-example begins: readme-configuration
        let configURL = FileManager.default.temporaryDirectory.appendingPathComponent("config.json")  // the record
        var configuration = RunConfiguration()                      // the CLI's defaults: digits, 8-16-32, N = 2→4→8, …
        configuration.comparison.stageChannels = [4, 4]             // a small run: 2 stages of 4 channels,
        configuration.comparison.stepCounts = [1, 2]                // N = 1 → 2, 2 epochs
        configuration.comparison.epochs = 2
        configuration.comparison.integrators = [.method(.rk4Classic), .method(.forwardEuler)]
        configuration.comparison.runs = [.full, .multilevel]
        configuration = try configuration.resolved()                 // T and the epoch split written out
        let (data, description) = try configuration.data.load()      // the digits are bundled with the library
        configuration.comparison.training.augmentation = .standard(for: data.training)
        let plan = try ComparisonPlan(configuration: configuration.comparison)
        let context = try ComputeContext(threadCount: configuration.threads)
        let report = try context.run { try ComparisonRunner(plan: plan).run(data: data) }
        print(description, report.table)
        // The record a run folder keeps: config.json, read back by `--config` or RunConfiguration.read(from:).
        try configuration.fileData(environment: ComputeEnvironment.current(context: context)).write(to: configURL)
        let again = try RunConfiguration.read(from: configURL)      // == configuration
        // docs-example ends: readme-configuration

        defer { try? FileManager.default.removeItem(at: configURL) }
        #expect(report.runs.map(\.kind) == [.full, .multilevel])
        #expect(report.integrator == "rk4Classic,forwardEuler")
        #expect(description.hasPrefix("digits") && !report.table.isEmpty)
        #expect(again == configuration)
    }

    @Test("Run folders: RunFolder.prepare, RunStatus.track and ComparisonRunner leave a complete folder")
    func runFolderExample() throws {
        let digits = try Dataset.digits().subset(indices: Array(0..<200))
        let data = try TrainingData.split(digits, testFraction: 0.2, seed: 0)
        let metadata = ArchiveMetadata(dataset: "digits", seed: 0, prolongation: .piecewiseConstant, stepRule: .halve)
        let used = FileManager.default.temporaryDirectory.appendingPathComponent("runs-c")
        try? FileManager.default.removeItem(at: used)
        defer { try? FileManager.default.removeItem(at: used) }

        // docs-example begins
        let plan = try ComparisonPlan(configuration: ComparisonConfiguration(stageChannels: [4, 8], stepCounts: [1, 2], epochs: 2))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("runs-c")
        try RunFolder.prepare(folder, policy: .new)              // throws RunFolderError.notEmpty for a used folder
        // InterruptFlag.installSignalHandlers() makes SIGINT/SIGTERM set InterruptFlag.process (as mlresnet does).
        do {
            let report = try RunStatus.track(in: folder, commandLine: CommandLine.arguments, resumeCommand: nil) {
                let report = try ComparisonRunner(plan: plan).run(data: data, outputFolder: folder, archiveMetadata: metadata,
                                                                  resume: false, interruption: InterruptFlag.process)
                try report.write(to: folder.appendingPathComponent("results.json"))
                return report
            }
            print(report.table)
        } catch let stop as TrainingInterrupted {
            // <run>.checkpoint.h5 holds the position; status.json says interrupted. Continue with the same
            // call and `resume: true` (and RunFolder.prepare(folder, policy: .resume)).
            print(stop)
        }
        // docs-example ends

        #expect(try RunStatus.read(in: folder)?.state == .complete)
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("results.json").path))
        for run in plan.runs {
            let archive = folder.appendingPathComponent(TrainingRun.Files.comparisonRun(run).archive)
            #expect(try LevelArchive.read(from: archive.path).levels.count >= 1)
        }
        #expect { try RunFolder.prepare(folder, policy: .new) } throws: { $0 is RunFolderError }
    }
}
