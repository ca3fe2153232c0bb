public import Integrators
import Multilevel

/// The architecture of an ODE residual network: what `ODENetwork` builds.
///
/// ```
/// stem:     Y = conv3x3(x)                                     (input channels → C_0)
/// stage s:  Y = connector_s(Y)                                 (s > 0: stride 2, C_{s−1} → C_s)
///           Y_{n+1} = Y_n + h Σ_i b_i k_i,   n = 0 … N−1,      h = T / N
///           k_i = F(Y_n + h Σ_j a_ij k_j; θ_n),   F = conv ∘ ReLU ∘ BN ∘ conv ∘ ReLU ∘ BN
/// head:     logits = linear(pool(ReLU(BN(Y))))
/// ```
///
/// Shape: inputs `[batch, height, width, channels]` (NHWC); logits `[batch, classCount]`.
/// Units: `T` and `h` in depth-time (the paper: `h = 1` at the coarsest level, so `T = N` there).
///
/// Reference: Chang, Meng, Haber, Tung, Begert, *Multi-level Residual Networks from Dynamical
/// Systems View*, ICLR 2018, §2–3 (pre-activation residual blocks as forward-Euler steps);
/// He, Zhang, Ren, Sun, *Identity Mappings in Deep Residual Networks*, ECCV 2016 (pre-activation).
public struct ODENetSpec: Sendable, Hashable {
    /// Input image height, in pixels.
    public var inputHeight: Int
    /// Input image width, in pixels.
    public var inputWidth: Int
    /// Input channels (1 for grey images, 3 for RGB).
    public var inputChannels: Int
    /// The number of classes `K` of the softmax head.
    public var classCount: Int
    /// Channels of each stage, e.g. `[16, 32, 64]`; stage `s > 0` starts with a stride-2 connector.
    public var stageChannels: [Int]
    /// Steps `N` of every stage's ODE block.
    public var stepCount: Int
    /// Final time `T` of every stage's ODE block, in depth-time.
    public var finalTime: Double
    /// The integrator of each stage (one per stage): any method value.
    ///
    /// Two specs compare (and hash) their integrators by ``/Integrators/Integrator/identity``: `ForwardEuler()` and
    /// `ExplicitRungeKutta(tableau: .forwardEuler)` give equal specs.
    public var integrators: [any Integrator] {
        get { integratorSlots.map(\.method) }
        set { integratorSlots = newValue.map(IntegratorSlot.init) }
    }
    /// The stored integrators, compared by identity (keeps the synthesized `Hashable`).
    private var integratorSlots: [IntegratorSlot]
    /// Momentum `m` of the batch-norm running averages, `μ_run ← (1 − m) μ_run + m μ_B`.
    public var batchNormMomentum: Float
    /// Batch-norm ε.
    public var batchNormEpsilon: Float

    /// The largest number of channels of a stage: `2^16`.
    public static let maximumChannelCount = 1 << 16

    /// The largest step count `N` per stage: `Level.maximumStepCount` (`2^20`).
    public static var maximumStepCount: Int { Level.maximumStepCount }

    /// Specifies a network; nothing is built or allocated.
    ///
    /// - Parameters:
    ///   - inputShape: `[height, width, channels]` of one input image.
    ///   - classCount: `K ≥ 2`.
    ///   - stageChannels: channels per stage, non-empty, each in `1…maximumChannelCount`.
    ///   - stepCount: `N` steps per stage, `1…maximumStepCount`.
    ///   - finalTime: `T > 0`; default `T = N` (so `h = 1`, the paper's coarsest level). `h = T / N`
    ///     must be a normal `Float` (about `1e-37 < h < 3e38`).
    ///   - integrators: one integrator for all stages, or one per stage; default forward Euler (its
    ///     fast path ``/Integrators/ForwardEuler``, equal to the tableau method bit for bit).
    ///   - batchNormMomentum: in `[0, 1]`, default 0.1.
    ///   - batchNormEpsilon: finite and `> 0`, default `1e-5`.
    /// - Throws: `ODENetError.invalidInputRank` when `inputShape` does not have 3 extents; then as
    ///   ``validate()``.
    public init(inputShape: [Int], classCount: Int, stageChannels: [Int], stepCount: Int,
                finalTime: Double? = nil, integrators: [any Integrator] = [IntegratorKind.forwardEuler.method],
                batchNormMomentum: Float = 0.1, batchNormEpsilon: Float = 1e-5) throws {
        guard inputShape.count == 3 else { throw ODENetError.invalidInputRank(inputShape) }
        self.inputHeight = inputShape[0]
        self.inputWidth = inputShape[1]
        self.inputChannels = inputShape[2]
        self.classCount = classCount
        self.stageChannels = stageChannels
        self.stepCount = stepCount
        self.finalTime = finalTime ?? Double(stepCount)
        self.integratorSlots = (integrators.count == 1 && stageChannels.count > 1
            ? Array(repeating: integrators[0], count: stageChannels.count) : integrators).map(IntegratorSlot.init)
        self.batchNormMomentum = batchNormMomentum
        self.batchNormEpsilon = batchNormEpsilon
        try validate()
    }

    /// Checks the spec (its fields are `var`s: ``ODENetwork`` re-runs this before building).
    ///
    /// - Throws: in this order, `ODENetError.invalidInputShape` (an extent `< 1`),
    ///   `.invalidClassCount` (`K < 2`), `.emptyChannelList`, `.invalidChannelCount` (outside
    ///   `1…maximumChannelCount`), `.invalidStepCount` (outside `1…maximumStepCount`),
    ///   `.invalidFinalTime` (`T` not finite and `> 0`), `.invalidStepSize` (`Float(h)` not normal),
    ///   `.integratorCountMismatch` (not one integrator per stage), `.invalidBatchNormalization`
    ///   (momentum outside `[0, 1]`, ε not finite and `> 0`), `.featureMapTooSmall`.
    public func validate() throws {
        let inputShape = [inputHeight, inputWidth, inputChannels]
        guard inputShape.allSatisfy({ $0 >= 1 }) else { throw ODENetError.invalidInputShape(inputShape) }
        guard classCount >= 2 else { throw ODENetError.invalidClassCount(classCount) }
        guard !stageChannels.isEmpty else { throw ODENetError.emptyChannelList }
        for (s, c) in stageChannels.enumerated() where !(1...Self.maximumChannelCount).contains(c) {
            throw ODENetError.invalidChannelCount(stage: s, channels: c)
        }
        guard (1...Self.maximumStepCount).contains(stepCount) else { throw ODENetError.invalidStepCount(stepCount) }
        guard finalTime.isFinite, finalTime > 0 else { throw ODENetError.invalidFinalTime(finalTime) }
        guard Float(stepSize).isNormal else {
            throw ODENetError.invalidStepSize(stepSize: stepSize, finalTime: finalTime, stepCount: stepCount)
        }
        guard integratorSlots.count == stageChannels.count else {
            throw ODENetError.integratorCountMismatch(stages: stageChannels.count, integrators: integratorSlots.count)
        }
        guard (0...1).contains(batchNormMomentum), batchNormEpsilon.isFinite, batchNormEpsilon > 0 else {
            throw ODENetError.invalidBatchNormalization(momentum: batchNormMomentum, epsilon: batchNormEpsilon)
        }
        var (height, width) = (inputHeight, inputWidth)
        for s in 1..<stageChannels.count {
            guard height >= 2 || width >= 2 else {
                throw ODENetError.featureMapTooSmall(stage: s, height: height, width: width)
            }
            (height, width) = (height / 2 + height % 2, width / 2 + width % 2)
        }
    }

    /// The step size `h = T / N`, in depth-time.
    public var stepSize: Double { finalTime / Double(stepCount) }

    /// The spec with another depth and final time (same architecture otherwise); used by the
    /// transfers between levels, which have already validated `N` and `T`.
    func with(stepCount: Int, finalTime: Double) -> ODENetSpec {
        var spec = self
        spec.stepCount = stepCount
        spec.finalTime = finalTime
        return spec
    }

    /// Forward multiply–accumulate operations per image of the convolutions and the linear layer
    /// (BN, ReLU, additions and pooling are left out, as in the PyTorch anchor), counting every
    /// Runge–Kutta stage: an s-stage method evaluates `F` s times per step (a method with a starting
    /// procedure also counts its starting evaluations, ``/Integrators/Integrator/evaluationCount(stepCount:)``).
    ///
    /// The count saturates at `Int.max` instead of overflowing (only possible for absurd input
    /// sizes: with validated channels and `N` a 64-bit count holds any realistic network).
    public var forwardMultiplyAccumulates: Int {
        func product(_ factors: Int...) -> Int {
            factors.reduce(1) { p, f in
                let (r, overflow) = p.multipliedReportingOverflow(by: f)
                return overflow ? Int.max : r
            }
        }
        func sum(_ terms: Int...) -> Int {
            terms.reduce(0) { s, t in
                let (r, overflow) = s.addingReportingOverflow(t)
                return overflow ? Int.max : r
            }
        }
        let integrators = integrators
        guard !stageChannels.isEmpty, integrators.count >= stageChannels.count else { return 0 }
        var (height, width, channels) = (inputHeight, inputWidth, inputChannels)
        var macs = product(height, width, stageChannels[0], channels, 9)
        channels = stageChannels[0]
        for (s, c) in stageChannels.enumerated() {
            if s > 0 {
                let (h2, w2) = (height / 2 + height % 2, width / 2 + width % 2)
                macs = sum(macs, product(h2, w2, c, channels, 9), product(h2, w2, c, c, 9),
                           product(h2, w2, c, channels))
                (height, width, channels) = (h2, w2, c)
            }
            macs = sum(macs, product(integrators[s].evaluationCount(stepCount: stepCount), 2, height, width, c, c, 9))
        }
        return sum(macs, product(channels, classCount))
    }
}

/// One stage's integrator inside ``ODENetSpec``, equal to another when their identities are.
private struct IntegratorSlot: Hashable, Sendable {
    let method: any Integrator

    init(_ method: any Integrator) { self.method = method }

    static func == (lhs: IntegratorSlot, rhs: IntegratorSlot) -> Bool { lhs.method.identity == rhs.method.identity }

    func hash(into hasher: inout Hasher) { hasher.combine(method.identity) }
}
