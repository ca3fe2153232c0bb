extension ComparisonRun {
    /// The row of one trained run: its levels and seconds, and the residual-function evaluations of
    /// its final network and of its whole training; ``timeSavedVersusFull`` is left `nil` (the
    /// report sets it once the full run is known).
    ///
    /// - Parameters:
    ///   - outcome: the run's trained result and files.
    ///   - plan: the plan it was trained from (each stage's method for the evaluation counts).
    public init(outcome: ComparisonRunner.Outcome, plan: ComparisonPlan) {
        let levels = outcome.result.levels
        self.init(kind: outcome.kind, levels: levels, testAccuracy: levels.last?.testAccuracy ?? 0,
                  trainSeconds: outcome.result.trainSeconds, wallSeconds: outcome.result.wallSeconds,
                  timeSavedVersusFull: nil, logFile: outcome.logFile, archiveFile: outcome.archiveFile,
                  functionEvaluationsPerImage: levels.last.map { plan.functionEvaluationsPerImage(stepCount: $0.stepCount) },
                  trainingFunctionEvaluationsPerImage: levels.reduce(0) {
                      $0 + $1.epochs * plan.functionEvaluationsPerImage(stepCount: $1.stepCount)
                  })
    }
}

extension ComparisonReport {
    /// The report of a trained comparison: the settings of `plan`, one row per outcome (in the
    /// order given) with its `F` evaluations (each stage's method counted), every run's time saved
    /// against the full run (a) when (a) was trained and took time, and the theory's savings
    /// (``ComparisonPlan/theoreticalSaving(for:)``, multiply–adds included).
    ///
    /// - Parameters:
    ///   - plan: the plan the runs were trained from.
    ///   - data: the data they were trained on (names, image counts, network input shape).
    ///   - outcomes: the runs, as ``ComparisonRunner/train(data:outputFolder:archiveMetadata:resume:interruption:progress:observers:)``
    ///     returns them.
    ///
    /// Units: seconds; savings as fractions; evaluations per image.
    ///
    /// Reference: Chang, Meng, Haber, Tung, Begert, *Multi-level Residual Networks from Dynamical
    /// Systems View*, ICLR 2018, §4 (Tables 1–2: test error and training time of each run).
    public init(plan: ComparisonPlan, data: TrainingData, outcomes: [ComparisonRunner.Outcome]) {
        let c = plan.configuration
        var runs = outcomes.map { ComparisonRun(outcome: $0, plan: plan) }
        if let full = runs.first(where: { $0.kind == .full }), full.trainSeconds > 0 {
            for i in runs.indices where runs[i].kind != .full {
                runs[i].timeSavedVersusFull = 1 - runs[i].trainSeconds / full.trainSeconds
            }
        }
        self.init(
            dataset: data.training.name, trainingImages: data.training.count,
            validationImages: data.validation?.count ?? 0, testImages: data.test?.count ?? 0,
            stageChannels: c.stageChannels, stepCounts: c.stepCounts, cycleEpochs: plan.cycleEpochs, epochs: c.epochs,
            integrator: plan.integratorDescription, prolongation: c.prolongation.rawValue, batchSize: c.training.batchSize,
            learningRates: [c.maximumLearningRate, c.minimumLearningRate], seeds: [c.training.seed, c.networkSeed],
            threads: nil, runs: runs, theory: plan.theoreticalSaving(for: data))
    }
}
