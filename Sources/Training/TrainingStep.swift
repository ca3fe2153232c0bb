public import Autodiff
public import ODENet
public import Optimization
public import TensorCore
import Dispatch

/// One mini-batch for a training step: normalized images and their labels.
///
/// Shape: `input` is `[B, H, W, C]` (the network's geometry), `labels` has `B` entries in
/// `0..<classCount` (checked by the step).
public struct TrainingBatch: Sendable {
    /// The images, `[B, H, W, C]`.
    public let input: Tensor
    /// The class of each image.
    public let labels: [Int]

    /// A batch of `input` with `labels`.
    ///
    /// - Parameters:
    ///   - input: `[B, H, W, C]`.
    ///   - labels: `B` class indices.
    public init(input: Tensor, labels: [Int]) {
        self.input = input
        self.labels = labels
    }
}

/// What one training step measured.
public struct StepResult: Sendable, Equatable {
    /// The data loss (mean cross-entropy over the batch), before the update.
    public let loss: Float
    /// The sum of the objective hooks' terms (0 without hooks).
    public let objectiveTerms: Double
    /// The batch's accuracy in `[0, 1]`, before the update.
    public let accuracy: Double

    /// The objective the gradients are of: `loss + objectiveTerms`.
    public var objective: Double { Double(loss) + objectiveTerms }
}

/// Where a step is in a run, for the errors it throws.
public struct StepPosition: Sendable, Equatable {
    /// The multilevel cycle.
    public var cycle: Int
    /// The epoch within the cycle.
    public var epoch: Int
    /// The batch within the epoch.
    public var batch: Int

    /// A position (all zero by default: a step outside a run).
    ///
    /// - Parameters:
    ///   - cycle: the cycle.
    ///   - epoch: the epoch within the cycle.
    ///   - batch: the batch within the epoch.
    public init(cycle: Int = 0, epoch: Int = 0, batch: Int = 0) {
        self.cycle = cycle
        self.epoch = epoch
        self.batch = batch
    }
}

/// Runs after backward and before the update, with every parameter's gradient of the objective
/// (data loss plus objective terms) in `Parameter.gradient`; may rewrite the gradients
/// (`Parameter.updateGradient`, `zeroGradient`): where an MPI allreduce or a gradient
/// restriction plugs in. Throwing stops the step before anything is updated.
public typealias GradientHook = (_ parameters: [Parameter]) throws -> Void

/// Adds a term `φ(θ)` of the parameters to the objective: returns `φ(θ)` and adds `∂φ/∂θ` into each
/// parameter's gradient (`Parameter.accumulateGradient`). Runs after backward, before the gradient
/// hooks: where MG/OPT's correction `−⟨v, θ⟩` plugs in. Throwing stops the step before anything is
/// updated.
public typealias ObjectiveHook = (_ parameters: [Parameter]) throws -> Double

/// The training step every caller uses (``Trainer``'s epochs, `ComparisonRunner`'s warm-up, the
/// throughput bench): one network, one optimizer, one tape.
///
/// One step:
/// ```
/// 1. (L, a) ← network.loss(batch, training mode);  stop if L is NaN or ±∞
/// 2. L.backward();  tape.reset()                        gradients ∂L/∂θ
/// 3. for each objective hook: J += φ(θ), g += ∂φ/∂θ;  stop if L + Σφ is NaN or ±∞
/// 4. for each gradient hook: rewrite g
/// 5. screen (DivergenceScreen): stop if a running statistic, g, or θ after the update is NaN or ±∞
/// 6. optimizer.step(θ, η, depth N)                      θ updated, g zeroed
/// ```
/// Without hooks, steps 3 and 4 do nothing: the step is the one every run before the hooks took.
///
/// Threads: every step (and ``gradients(of:at:)``) runs its kernels and hooks under ``compute``,
/// applied on the thread that calls it (see `ComputeContext`).
public final class TrainingStep {
    /// The kernel settings every step runs under (recorded; applied per call, on the calling thread).
    public let compute: ComputeContext
    /// The network being trained.
    public private(set) var network: ODENetwork
    /// The optimizer (its state by parameter path, tagged with the network's depth).
    public private(set) var optimizer: any Optimizer
    /// Called in order at step 4.
    public var gradientHooks: [GradientHook] = []
    /// Called in order at step 3.
    public var objectiveHooks: [ObjectiveHook] = []
    /// The wall time of the last step's screen (step 5), in seconds.
    public private(set) var lastScreenSeconds: Double = 0

    private var parameters: [Parameter]
    private var screen: DivergenceScreen
    private let tape = Tape()

    /// A step for `network` with `optimizer`.
    ///
    /// - Parameters:
    ///   - network: the network to train (its parameters are updated in place).
    ///   - optimizer: the update rule, with state for `network`'s depth (or none).
    ///   - compute: the kernel settings; default `ComputeContext.current` (the context of an
    ///     enclosing `ComputeContext.run`, else `ComputeContext.default`, one thread).
    /// - Throws: `OptimizationError.depthMismatch` when `optimizer` holds state of another depth.
    public init(network: ODENetwork, optimizer: any Optimizer, compute: ComputeContext = .current) throws {
        try optimizer.requireDepth(network.spec.stepCount)
        self.compute = compute
        self.network = network
        self.optimizer = optimizer
        parameters = network.parameters
        screen = DivergenceScreen(network: network)
    }

    /// Steps 1–3: the objective's value and its gradient in every `Parameter.gradient` (zeroed
    /// first); nothing is updated.
    ///
    /// - Parameters:
    ///   - batch: the images and labels.
    ///   - position: where the step is, for the errors.
    /// - Returns: the loss, the objective terms and the accuracy.
    /// - Throws: ``TrainingError/nonFiniteLoss(cycle:epoch:batch:loss:)`` for a NaN or ±∞ loss or
    ///   objective; `ODENetError.invalidLabels`; kernel, autodiff and hook errors.
    @discardableResult
    public func gradients(of batch: TrainingBatch, at position: StepPosition = StepPosition()) throws -> StepResult {
        try compute.run { try gradientsInContext(of: batch, at: position) }
    }

    /// ``gradients(of:at:)`` inside ``compute``.
    private func gradientsInContext(of batch: TrainingBatch, at position: StepPosition) throws -> StepResult {
        for parameter in parameters { parameter.zeroGradient() }
        tape.reset()
        let (loss, accuracy) = try network.loss(batch.input, labels: batch.labels, on: tape, mode: .training)
        let value = loss.value.elements[0]
        guard value.isFinite else {
            tape.reset()
            throw TrainingError.nonFiniteLoss(cycle: position.cycle, epoch: position.epoch, batch: position.batch,
                                              loss: value)
        }
        try loss.backward()
        tape.reset()  // release the forward values first, so the update writes the weights in place
        var terms = 0.0
        for hook in objectiveHooks { terms += try hook(parameters) }
        guard (Double(value) + terms).isFinite else {
            throw TrainingError.nonFiniteLoss(cycle: position.cycle, epoch: position.epoch, batch: position.batch,
                                              loss: Float(Double(value) + terms))
        }
        return StepResult(loss: value, objectiveTerms: terms, accuracy: accuracy)
    }

    /// One step (all six of the type's list).
    ///
    /// - Parameters:
    ///   - batch: the images and labels.
    ///   - learningRate: η of this step (a positive normal Float with `η·λ < 1`).
    ///   - position: where the step is, for the errors.
    /// - Returns: the loss, the objective terms and the accuracy before the update.
    /// - Throws: as ``gradients(of:at:)``; ``TrainingError/nonFiniteValue(cycle:epoch:batch:value:)``
    ///   from the screen (nothing updated); the hooks' errors; `OptimizationError` from the update.
    @discardableResult
    public func step(_ batch: TrainingBatch, learningRate: Double, at position: StepPosition = StepPosition())
        throws -> StepResult
    {
        try compute.run { try stepInContext(batch, learningRate: learningRate, at: position) }
    }

    /// ``step(_:learningRate:at:)`` inside ``compute``.
    private func stepInContext(_ batch: TrainingBatch, learningRate: Double, at position: StepPosition)
        throws -> StepResult
    {
        let result = try gradientsInContext(of: batch, at: position)
        for hook in gradientHooks { try hook(parameters) }
        let start = DispatchTime.now().uptimeNanoseconds
        let found = screen.firstNonFiniteValue(parameters: parameters, optimizer: optimizer, learningRate: learningRate)
        lastScreenSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        if let found {
            throw TrainingError.nonFiniteValue(cycle: position.cycle, epoch: position.epoch, batch: position.batch,
                                               value: found)
        }
        try optimizer.step(parameters, learningRate: learningRate, depth: network.spec.stepCount)
        return result
    }

    /// Replaces the network (after a depth transfer) and the optimizer's state.
    ///
    /// - Parameters:
    ///   - network: the new network.
    ///   - optimizerState: the optimizer's state for it, by path.
    ///   - depth: the steps per stage `N` of the network the state belongs to.
    /// - Throws: `OptimizationError.depthMismatch` when `depth` is not `network`'s `N` (nothing changes).
    public func replaceNetwork(_ network: ODENetwork, optimizerState: [ParameterPath: Tensor], depth: Int) throws {
        guard depth == network.spec.stepCount else {
            throw OptimizationError.depthMismatch(buffers: depth, parameters: network.spec.stepCount)
        }
        self.network = network
        parameters = network.parameters
        screen = DivergenceScreen(network: network)
        optimizer.setState(optimizerState, depth: depth)
    }
}
