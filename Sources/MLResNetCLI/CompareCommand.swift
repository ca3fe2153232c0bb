import ArgumentParser
import Foundation
import MultilevelResNet

/// `mlresnet compare`: the paper's experiment — full-depth training vs multi-level vs the naive
/// rule on one dataset and one epoch budget.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Train the final depth from scratch, multi-level, and the naive rule on one budget; print the table.",
        discussion: """
            Runs (a) the finest depth from scratch for the whole budget, (b) multi-level training \
            (default 2→4→8 steps per stage, h halved at each refinement, budget split 60/50/50 as the \
            paper), (c) the naive rule (depth doubled, h kept) and, with --include-shallow, (d) the \
            first cycle's network for the whole budget. Every run uses SGD (momentum, weight decay) \
            with a cosine learning rate restarted at each cycle. The digits set has no official test \
            split: a seeded stratified --test-fraction of it is held out. Writes results.json, one \
            JSON-lines log and one HDF5 level archive per run to --output. With --seeds K or \
            --integrators, each integrator and seed gets its own sub-folder <integrator>-seed<S>/ with \
            those files, and summary.json / summary.csv summarize the seeds (mean, sd, 95 % interval) and \
            report the F evaluations of every run; all members solve on the same T. \
            notebooks-export/export draws either layout. Every run also writes <run>.checkpoint.h5 \
            (after every epoch), and every comparison folder (and a sweep's folder) status.json: \
            running, complete, failed or interrupted, with the command line and times; `analyze` and \
            the export use only complete folders. A folder that already holds files is refused: \
            --resume continues the comparison in it (finished runs and sweep members are kept, the run \
            in progress continues from its checkpoint, results.json is written at the end and equals an \
            uninterrupted comparison's with the same --threads), --overwrite starts over (the run files \
            there, sweep members included, are removed first; other files are kept and named). Ctrl-C \
            (SIGINT) or SIGTERM finishes the current mini-batch, writes a checkpoint, marks the status \
            interrupted and exits with status 130, printing the command that resumes; a second signal \
            stops at once. Reference: Chang et al., ICLR 2018, §4.
            """)

    @OptionGroup var options: RunOptions

    @Flag(name: .long, help: "Also train the first cycle's shallow network for the whole budget (d); same as adding shallow to --runs.")
    var includeShallow = false

    @Option(name: .long, help: ArgumentHelp(
        "The runs to train, in this order, comma-separated: \(ComparisonRunKind.allCases.map(\.rawValue).joined(separator: ", ")) "
            + "(default \(ComparisonConfiguration.defaultRuns.map(\.rawValue).joined(separator: ","))).",
        valueName: "run,run…"),
            transform: { text in try parsed { try ComparisonRunKind.list(text) } })
    var runs: [ComparisonRunKind]?

    @OptionGroup var folderOptions: OutputFolderOptions

    /// `--json FILE|-`: results.json's content (a sweep: summary.json's).
    @OptionGroup var output: JSONOutputOptions

    @Option(name: .long, help: "Repeat the comparison with K seeds (--seed, --seed+1, …): mean ± sd and 95 % intervals (default 1).")
    var seeds: Int?

    @Option(name: .long, help: ArgumentHelp(
        "Integrators to sweep, comma-separated (e.g. forwardEuler,heun,rk4Classic); replaces --integrator.",
        valueName: "method,method…"),
            transform: { text in try parsed { try IntegratorKind.list(text) } })
    var integrators: [IntegratorKind]?

    @Flag(name: .long, help: ArgumentHelp(
        "Give every swept integrator the F evaluations of the one with fewest stages: N·s_ref/s steps per stage, T kept.",
        discussion: "--schedule is the reference method's; e.g. --schedule 4,8,16 runs forwardEuler at 4,8,16, "
            + "heun at 2,4,8 and rk4Classic at 1,2,4 steps per stage."))
    var equalEvaluations = false

    /// The resolved configuration: the run options', with the shallow run and the sweep.
    func resolved() throws -> RunConfiguration {
        if let seeds, seeds < 1 {
            throw TrainingError.invalidConfiguration(name: "--seeds", value: "\(seeds)", expected: "≥ 1")
        }
        if let integrators, Set(integrators).count != integrators.count {
            throw TrainingError.invalidConfiguration(name: "--integrators", value: integrators.map(\.rawValue).joined(separator: ","),
                                                     expected: "distinct methods")
        }
        var c = try options.resolved()
        if let runs { c.comparison.runs = runs }
        if includeShallow, !c.comparison.runs.contains(.shallow) { c.comparison.runs.append(.shallow) }
        if seeds != nil || integrators != nil || equalEvaluations {
            var sweep = c.sweep ?? RunConfiguration.SweepSettings()
            if let seeds { sweep.seeds = seeds }
            if let integrators { sweep.integrators = integrators }
            if equalEvaluations { sweep.equalEvaluations = true }
            c.sweep = sweep.seeds > 1 || !sweep.integrators.isEmpty || sweep.equalEvaluations ? sweep : nil
        }
        if let sweep = c.sweep {
            guard sweep.seeds >= 1 else {
                throw TrainingError.invalidConfiguration(name: "sweep.seeds", value: "\(sweep.seeds)", expected: "≥ 1")
            }
            if !sweep.integrators.isEmpty, options.integrator != nil || options.tableau != nil {
                throw TrainingError.invalidConfiguration(
                    name: "--integrators", value: sweep.integrators.map(\.rawValue).joined(separator: ","),
                    expected: "without --integrator or --tableau (the sweep replaces the method of every stage)")
            }
        }
        // The runs and the sweep changed the comparison: check it again (e.g. a run listed twice).
        return try c.resolved()
    }

    func validate() throws {
        try output.requireOutsideRunFiles(of: folderOptions.folder(prefix: "compare"))
        if !options.printConfig { try folderOptions.requireUsableFolder() }
        let c: RunConfiguration
        do {
            c = try resolved()
        } catch let error as TrainingError {
            throw ValidationError("\(error)")
        }
        if let sweep = c.sweep {
            do {
                _ = try ComparisonSweep.consecutiveSeeds(from: c.data.seed, count: sweep.seeds)
            } catch let AnalysisError.invalidArgument(message) {
                throw ValidationError("--seed \(c.data.seed) --seeds \(sweep.seeds): \(message)")
            }
            if sweep.equalEvaluations && sweep.integrators.isEmpty {
                throw ValidationError("--equal-evaluations needs --integrators")
            }
            do {
                _ = try plannedSweep(c, sweep)
            } catch let error as TrainingError {
                throw ValidationError("--equal-evaluations: \(error)")
            }
        }
        if let output = folderOptions.output, folderOptions.policy == .resume {
            // A sweep and a single comparison in one folder cannot be told apart by their readers:
            // a sweep has member folders (and summary.json), a comparison its logs (and results.json).
            let sweep = c.sweep != nil
            let entries = (try? RunFolder.contents(of: URL(fileURLWithPath: output)).run) ?? []
            let clash = sweep ? entries.filter { $0 == "results.json" || $0.hasSuffix(".jsonl") }
                              : entries.filter { $0 == "summary.json" || $0.hasSuffix("/") }
            if !clash.isEmpty {
                throw ValidationError("--output \(output) holds \(sweep ? "a single comparison" : "a sweep") "
                                      + "(\(clash.prefix(3).joined(separator: ", "))): --resume continues it with the same "
                                      + "options; write this \(sweep ? "sweep" : "comparison") to another folder")
            }
        }
    }

    func run() throws {
        let configuration = try resolved()
        if options.printConfig {
            try options.printConfiguration(configuration)
            return
        }
        let folder = folderOptions.folder(prefix: "compare")
        let resume = folderOptions.resume
        if resume, FileManager.default.fileExists(atPath: folder.path) { try RunLock.acquire(folder) }
        if resume {
            guard let status = try RunStatus.read(in: folder) else {
                throw RunFolderError.nothingToResume(folder: folder.path, reason: "no \(RunStatus.fileName)")
            }
            if status.state == .complete, configuration.sweep == nil,
               let report = try? JSONDecoder().decode(ComparisonReport.self,
                                                      from: FileContents.data(at: folder.appendingPathComponent("results.json"))) {
                print(report.table)
                printLog("\(folder.path) is complete (\(RunStatus.fileName)): nothing to resume")
                return
            }
        }
        if resume, configuration.sweep == nil {
            // Before the folder is touched: a changed setting is refused with the record intact.
            let prepared = try RunOptions.prepare(configuration, augmentationIsGiven: options.augmentationIsGiven).configuration
            try RunOptions.requireRecordedConfiguration(prepared, in: folder)
        }
        // A sweep is planned before the folder is touched, so a schedule that some method cannot take
        // leaves nothing behind.
        let plan = try configuration.sweep.map { try plannedSweep(configuration, $0) }
        let planURL = folder.appendingPathComponent(ComparisonSweep.planFileName)
        if resume, let plan { try requireSamePlan(plan, in: folder) }
        try RunLock.acquire(folder)
        try folderOptions.prepare(folder)
        if let plan, !(resume && FileManager.default.fileExists(atPath: planURL.path)) {
            try AtomicFileWriter.writeJSON(plan.plan, to: planURL.path)
        }
        let interruption = OutputFolderOptions.interruptOnSignals()
        let resumeCommand = folderOptions.resumeCommand(folder: folder)
        let start = Date()
        do {
            try RunStatus.track(in: folder, commandLine: CommandLine.arguments, resumeCommand: resumeCommand) {
                guard let plan else {
                    let result = try compare(configuration, folder: folder, interruption: interruption)
                    print(result.table)
                    try output.write(result)
                    printLog(String(format: "total %.1f s; wrote config.json, results.json, <run>.jsonl logs, <run>.h5 level "
                                 + "archives, <run>.checkpoint.h5 and status.json to %@", Date().timeIntervalSince(start),
                                 folder.path))
                    return
                }
                let environment = ComputeEnvironment.current(context: try ComputeContext(threadCount: configuration.threads))
                if resume { try RunOptions.requireRecordedConfiguration(configuration, in: folder) }
                try AtomicFileWriter.write(configuration.fileData(environment: environment),
                                           to: folder.appendingPathComponent("config.json").path)
                try run(plan, base: configuration, in: folder, interruption: interruption, resumeCommand: resumeCommand,
                        start: start)
            }
        } catch let stop as TrainingInterrupted {
            throw OutputFolderOptions.interrupted(stop, folder: folder, resumeCommand: resumeCommand)
        }
    }

    /// Refuses to continue the sweep in `folder` with another plan: the one recorded in its plan
    /// file must equal `sweep`'s; without a plan file (a sweep started before plans were
    /// recorded) every member folder there must belong to `sweep`.
    private func requireSamePlan(_ sweep: ComparisonSweep, in folder: URL) throws {
        let url = folder.appendingPathComponent(ComparisonSweep.planFileName)
        let differences: [String]
        if FileManager.default.fileExists(atPath: url.path) {
            let recorded: ComparisonSweep.Plan
            do {
                recorded = try JSONDecoder().decode(ComparisonSweep.Plan.self, from: Data(contentsOf: url))
            } catch {
                throw RunFolderError.malformedStatus(file: url.path, message: "not a sweep plan: \(error)")
            }
            differences = recorded.differences(to: sweep.plan)
        } else {
            let planned = Set(sweep.members.map(\.folderName))
            let (run, _) = try RunFolder.contents(of: folder)
            let foreign = run.filter { $0.hasSuffix("/") }.map { String($0.dropLast()) }.filter { !planned.contains($0) }
            differences = foreign.isEmpty ? [] : ["members: \(foreign.joined(separator: ", ")) in the folder are not in this sweep"]
        }
        if !differences.isEmpty {
            throw RunFolderError.differentPlan(folder: folder.path, planFile: url.lastPathComponent, differences: differences)
        }
    }

    /// The sweep of `c` (its methods, else its own integrator; its seeds).
    private func plannedSweep(_ c: RunConfiguration, _ sweep: RunConfiguration.SweepSettings) throws -> ComparisonSweep {
        var methods = sweep.integrators
        if methods.isEmpty {
            // The configuration's own method, which must be one catalogue method for every stage.
            guard c.comparison.integrators.count == 1, case let .method(kind) = c.comparison.integrators[0] else {
                throw ValidationError("--seeds sweeps whole-network catalogue methods: give --integrators, not per-stage "
                                      + "--integrator or --tableau")
            }
            methods = [kind]
        }
        return try ComparisonSweep(integrators: methods,
                            seeds: ComparisonSweep.consecutiveSeeds(from: c.data.seed, count: sweep.seeds),
                            stepCounts: c.comparison.stepCounts, equalEvaluations: sweep.equalEvaluations)
    }

    /// A sweep: one sub-folder per integrator and seed (each with its status and configuration),
    /// then the summary over seeds. With --resume, members whose status is complete are kept.
    private func run(_ sweep: ComparisonSweep, base: RunConfiguration, in folder: URL, interruption: InterruptFlag,
                     resumeCommand: String, start: Date) throws {
        let summary = try sweep.run(in: folder) { member, memberFolder in
            if folderOptions.resume, try RunStatus.read(in: memberFolder)?.state == .complete {
                let report = try JSONDecoder().decode(
                    ComparisonReport.self, from: FileContents.data(at: memberFolder.appendingPathComponent("results.json")))
                printLog("== \(member.folderName): complete, kept")
                return report
            }
            var variant = base
            variant.sweep = nil
            variant.comparison.integrators = [.method(member.integrator)]
            variant.comparison.stepCounts = member.stepCounts
            variant.setSeed(member.seed)
            // One [0, T] for every member: the reference schedule's (or the given) T.
            variant.comparison.finalTime = base.comparison.finalTime ?? sweep.finalTime
            variant.comparison.cycleEpochs = nil
            variant = try variant.resolved()
            printLog("== \(member.folderName): \(RunOptions.joined(member.stepCounts)) steps per stage, "
                  + "T = \(variant.comparison.finalTime!)")
            let result = try RunStatus.track(in: memberFolder, commandLine: CommandLine.arguments,
                                             resumeCommand: resumeCommand) {
                try compare(variant, folder: memberFolder, interruption: interruption)
            }
            // A member's table is progress of the sweep; the summary below is its result.
            printLog(result.table)
            return result
        }
        print(summary.table)
        try output.write(summary)
        printLog(String(format: "total %.1f s; wrote config.json, summary.json, summary.csv, status.json and one folder per "
                     + "integrator and seed to %@", Date().timeIntervalSince(start), folder.path))
    }

    /// One comparison of `configuration`, written to `folder` (it exists): config.json,
    /// results.json, logs, level archives, checkpoints; continued from the checkpoints there with --resume.
    private func compare(_ configuration: RunConfiguration, folder: URL, interruption: InterruptFlag) throws
        -> ComparisonReport
    {
        let (data, splitDescription, configuration) = try RunOptions.prepare(
            configuration, augmentationIsGiven: options.augmentationIsGiven)
        let comparison = try ComparisonPlan(configuration: configuration.comparison)
        let context = try ComputeContext(threadCount: configuration.threads)
        let environment = ComputeEnvironment.current(context: context)
        if folderOptions.resume { try RunOptions.requireRecordedConfiguration(configuration, in: folder) }
        try AtomicFileWriter.write(configuration.fileData(environment: environment),
                                   to: folder.appendingPathComponent("config.json").path)
        printLog("dataset: \(splitDescription)")
        printLog(RunOptions.summary(configuration, data: data))
        var result = try context.run {
            try ComparisonRunner(plan: comparison).run(
                data: data, outputFolder: folder,
                archiveMetadata: RunOptions.archiveMetadata(configuration, environment: environment,
                                                            dataDescription: splitDescription),
                resume: folderOptions.resume, interruption: interruption, progress: options.progress)
        }
        result.dataset = splitDescription
        result.threads = configuration.threads
        result.configuration = configuration
        result.environment = environment
        try result.write(to: folder.appendingPathComponent("results.json"))
        return result
    }
}
