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
    /// The epochs of each cycle; `nil` = ``Comparison/paperSplit(epochs:cycles:)``.
    public var cycleEpochs: [Int]?
    /// The integrator of every stage.
    public var integrator: IntegratorKind
    /// `P` between cycles.
    public var prolongation: Prolongation
    /// The step grid of interpolating prolongations.
    public var grid: StepGrid
    /// Momentum across refinements.
    public var momentumPolicy: StateTransferPolicy
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
    /// Also train the first cycle's shallow network for the whole budget (run d).
    public var includesShallowBaseline: Bool
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

    /// Creates a configuration (checked by ``Comparison/init(configuration:)``).
    public init(stageChannels: [Int] = [8, 16, 32], stepCounts: [Int] = [2, 4, 8], epochs: Int = 16,
                cycleEpochs: [Int]? = nil, integrator: IntegratorKind = .forwardEuler,
                prolongation: Prolongation = .piecewiseConstant, grid: StepGrid = .cellCentred,
                momentumPolicy: StateTransferPolicy = .transfer, finalTime: Double? = nil,
                maximumLearningRate: Double = 0.1, minimumLearningRate: Double = 0.001,
                training: TrainingConfiguration = TrainingConfiguration(), networkSeed: UInt64 = 1,
                includesShallowBaseline: Bool = false) {
        self.stageChannels = stageChannels
        self.stepCounts = stepCounts
        self.epochs = epochs
        self.cycleEpochs = cycleEpochs
        self.integrator = integrator
        self.prolongation = prolongation
        self.grid = grid
        self.momentumPolicy = momentumPolicy
        self.finalTime = finalTime
        self.maximumLearningRate = maximumLearningRate
        self.minimumLearningRate = minimumLearningRate
        self.training = training
        self.networkSeed = networkSeed
        self.includesShallowBaseline = includesShallowBaseline
    }
}
