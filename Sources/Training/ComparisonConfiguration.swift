public import Integrators
public import Multilevel
public import ODENet

/// The settings of a comparison (`mlresnet compare`): one architecture, one epoch budget, the
/// runs trained on it.
///
/// Units: `T`, `h` in depth-time; epochs; per-step learning rates.
public struct ComparisonConfiguration: Sendable, Hashable, Codable {
    /// Channels per stage, e.g. `[8, 16, 32]`.
    public var stageChannels: [Int]
    /// Steps per stage of the multilevel cycles, coarse → fine, e.g. `[2, 4, 8]`.
    public var stepCounts: [Int]
    /// The epoch budget every run gets.
    public var epochs: Int
    /// The epochs of each cycle; `nil` = ``ComparisonPlan/paperSplit(epochs:cycles:)``.
    public var cycleEpochs: [Int]?
    /// The method of each network stage: one entry for every stage, or one per stage (stage 0
    /// first); a catalogue method or a user's tableau. ``ComparisonPlan/init(configuration:)``
    /// refuses another count (``TrainingError/invalidConfiguration(name:value:expected:)`` naming
    /// `integrators`).
    public var integrators: [IntegratorChoice]
    /// `P` between cycles.
    public var prolongation: Prolongation
    /// The step grid of interpolating prolongations.
    public var grid: StepGrid
    /// Momentum across refinements.
    public var momentumPolicy: StateTransferPolicy
    /// Mini-batches of training-mode forward passes that recompute every batch norm's running
    /// statistics after each change of depth (``/ODENet/ODENetwork/recalibrateBatchNorm(over:)``);
    /// 0 (the default, and the paper) keeps the interpolated statistics. At most one pass over the
    /// training set is used (larger counts are capped); runs without refinement never use it.
    public var batchNormRecalibrationBatches: Int
    /// `T` of the coarsest network (default `N_0`, i.e. `h = 1` as in the paper); the multilevel
    /// run keeps it, so the full baseline trains the finest level's `N` with this `T`.
    public var finalTime: Double?
    /// η_max, η_min of the cosine (restarted per cycle in the multilevel runs).
    public var maximumLearningRate: Double
    /// η_min.
    public var minimumLearningRate: Double
    /// Batching and SGD settings, and the data seed.
    public var training: TrainingConfiguration
    /// The seed of the networks' initialization.
    public var networkSeed: UInt64
    /// The runs trained, in this order (the report keeps it): any of (a) `full`, (b)
    /// `multilevel`, (c) `naive`, (d) `shallow`, each at most once, at least one.
    /// ``ComparisonPlan/init(configuration:)`` refuses an empty list or a repeated run.
    public var runs: [ComparisonRunKind]
    /// When set, the cycles of (b) and (c) stop on a plateau of validation accuracy: least gain δ
    /// and patience `p` epochs, each cycle at most its planned epochs (needs a validation part).
    public var plateau: (minimumImprovement: Double, patience: Int)? {
        get { plateauSettings.map { ($0.minimumImprovement, $0.patience) } }
        set { plateauSettings = newValue.map { PlateauSettings(minimumImprovement: $0.minimumImprovement, patience: $0.patience) } }
    }
    /// Storage of ``plateau`` (a struct, so the configuration stays `Hashable`).
    struct PlateauSettings: Sendable, Hashable, Codable {
        var minimumImprovement: Double
        var patience: Int
    }
    var plateauSettings: PlateauSettings?

    /// The runs of the paper's table: (a) full, (b) multi-level, (c) naive.
    public static let defaultRuns: [ComparisonRunKind] = [.full, .multilevel, .naive]

    /// Creates a configuration (checked by ``ComparisonPlan/init(configuration:)``).
    public init(stageChannels: [Int] = [8, 16, 32], stepCounts: [Int] = [2, 4, 8], epochs: Int = 16,
                cycleEpochs: [Int]? = nil, integrators: [IntegratorChoice] = [.method(.forwardEuler)],
                prolongation: Prolongation = .piecewiseConstant, grid: StepGrid = .cellCentred,
                momentumPolicy: StateTransferPolicy = .transfer, finalTime: Double? = nil,
                maximumLearningRate: Double = 0.1, minimumLearningRate: Double = 0.001,
                training: TrainingConfiguration = TrainingConfiguration(), networkSeed: UInt64 = 1,
                runs: [ComparisonRunKind] = ComparisonConfiguration.defaultRuns,
                batchNormRecalibrationBatches: Int = 0) {
        self.batchNormRecalibrationBatches = batchNormRecalibrationBatches
        self.stageChannels = stageChannels
        self.stepCounts = stepCounts
        self.epochs = epochs
        self.cycleEpochs = cycleEpochs
        self.integrators = integrators
        self.prolongation = prolongation
        self.grid = grid
        self.momentumPolicy = momentumPolicy
        self.finalTime = finalTime
        self.maximumLearningRate = maximumLearningRate
        self.minimumLearningRate = minimumLearningRate
        self.training = training
        self.networkSeed = networkSeed
        self.runs = runs
    }

    private enum CodingKeys: String, CodingKey {
        case stageChannels, stepCounts, epochs, cycleEpochs, integrators, prolongation, grid, momentumPolicy, finalTime
        case maximumLearningRate, minimumLearningRate, training, networkSeed, runs, plateauSettings
        case batchNormRecalibrationBatches
    }

    /// Decodes every field; `cycleEpochs`, `finalTime` and `plateauSettings` may be `null` or absent;
    /// an absent `batchNormRecalibrationBatches` (files written before it existed) is 0, what they ran.
    ///
    /// - Throws: `DecodingError` naming the field.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        stageChannels = try c.decode([Int].self, forKey: .stageChannels)
        stepCounts = try c.decode([Int].self, forKey: .stepCounts)
        epochs = try c.decode(Int.self, forKey: .epochs)
        cycleEpochs = try c.decodeIfPresent([Int].self, forKey: .cycleEpochs)
        integrators = try c.decode([IntegratorChoice].self, forKey: .integrators)
        prolongation = try c.decode(Prolongation.self, forKey: .prolongation)
        grid = try c.decode(StepGrid.self, forKey: .grid)
        momentumPolicy = try c.decode(StateTransferPolicy.self, forKey: .momentumPolicy)
        finalTime = try c.decodeIfPresent(Double.self, forKey: .finalTime)
        maximumLearningRate = try c.decode(Double.self, forKey: .maximumLearningRate)
        minimumLearningRate = try c.decode(Double.self, forKey: .minimumLearningRate)
        training = try c.decode(TrainingConfiguration.self, forKey: .training)
        networkSeed = try c.decode(UInt64.self, forKey: .networkSeed)
        runs = try c.decode([ComparisonRunKind].self, forKey: .runs)
        plateauSettings = try c.decodeIfPresent(PlateauSettings.self, forKey: .plateauSettings)
        batchNormRecalibrationBatches = try c.decodeIfPresent(Int.self, forKey: .batchNormRecalibrationBatches) ?? 0
    }

    /// Encodes every field, the unset optional ones as `null` (a record states each field).
    ///
    /// - Throws: `EncodingError`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(stageChannels, forKey: .stageChannels)
        try c.encode(stepCounts, forKey: .stepCounts)
        try c.encode(epochs, forKey: .epochs)
        try c.encode(cycleEpochs, forKey: .cycleEpochs)
        try c.encode(integrators, forKey: .integrators)
        try c.encode(prolongation, forKey: .prolongation)
        try c.encode(grid, forKey: .grid)
        try c.encode(momentumPolicy, forKey: .momentumPolicy)
        try c.encode(finalTime, forKey: .finalTime)
        try c.encode(maximumLearningRate, forKey: .maximumLearningRate)
        try c.encode(minimumLearningRate, forKey: .minimumLearningRate)
        try c.encode(training, forKey: .training)
        try c.encode(networkSeed, forKey: .networkSeed)
        try c.encode(runs, forKey: .runs)
        try c.encode(plateauSettings, forKey: .plateauSettings)
        try c.encode(batchNormRecalibrationBatches, forKey: .batchNormRecalibrationBatches)
    }
}
