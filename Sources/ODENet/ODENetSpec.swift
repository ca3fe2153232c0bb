public import Integrators

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
    /// The integrator of each stage (one per stage).
    public var integrators: [ExplicitRungeKutta]
    /// Momentum `m` of the batch-norm running averages, `μ_run ← (1 − m) μ_run + m μ_B`.
    public var batchNormMomentum: Float
    /// Batch-norm ε.
    public var batchNormEpsilon: Float

    /// Specifies a network; nothing is built or allocated.
    ///
    /// - Parameters:
    ///   - inputShape: `[height, width, channels]` of one input image.
    ///   - classCount: `K ≥ 2`.
    ///   - stageChannels: channels per stage, non-empty, each ≥ 1.
    ///   - stepCount: `N ≥ 1` steps per stage.
    ///   - finalTime: `T > 0`; default `T = N` (so `h = 1`, the paper's coarsest level).
    ///   - integrators: one integrator for all stages, or one per stage; default forward Euler.
    ///   - batchNormMomentum: in `[0, 1]`, default 0.1.
    ///   - batchNormEpsilon: `> 0`, default `1e-5`.
    /// - Throws: `ODENetError.invalidInputShape`, `.invalidClassCount`, `.emptyChannelList`,
    ///   `.invalidChannelCount`, `.invalidStepCount`, `.invalidFinalTime`,
    ///   `.integratorCountMismatch`, `.featureMapTooSmall`, `.invalidBatchNormalization`.
    public init(inputShape: [Int], classCount: Int, stageChannels: [Int], stepCount: Int,
                finalTime: Double? = nil, integrators: [ExplicitRungeKutta] = [IntegratorKind.forwardEuler.integrator],
                batchNormMomentum: Float = 0.1, batchNormEpsilon: Float = 1e-5) throws {
        guard inputShape.count == 3, inputShape.allSatisfy({ $0 >= 1 }) else {
            throw ODENetError.invalidInputShape(inputShape)
        }
        guard classCount >= 2 else { throw ODENetError.invalidClassCount(classCount) }
        guard !stageChannels.isEmpty else { throw ODENetError.emptyChannelList }
        for (s, c) in stageChannels.enumerated() where c < 1 {
            throw ODENetError.invalidChannelCount(stage: s, channels: c)
        }
        guard stepCount >= 1 else { throw ODENetError.invalidStepCount(stepCount) }
        let t = finalTime ?? Double(stepCount)
        guard t.isFinite, t > 0 else { throw ODENetError.invalidFinalTime(t) }
        guard integrators.count == 1 || integrators.count == stageChannels.count else {
            throw ODENetError.integratorCountMismatch(stages: stageChannels.count, integrators: integrators.count)
        }
        guard (0...1).contains(batchNormMomentum), batchNormEpsilon > 0 else {
            throw ODENetError.invalidBatchNormalization(momentum: batchNormMomentum, epsilon: batchNormEpsilon)
        }
        var (height, width) = (inputShape[0], inputShape[1])
        for s in 1..<stageChannels.count {
            guard height >= 2 || width >= 2 else {
                throw ODENetError.featureMapTooSmall(stage: s, height: height, width: width)
            }
            (height, width) = ((height + 1) / 2, (width + 1) / 2)
        }
        self.inputHeight = inputShape[0]
        self.inputWidth = inputShape[1]
        self.inputChannels = inputShape[2]
        self.classCount = classCount
        self.stageChannels = stageChannels
        self.stepCount = stepCount
        self.finalTime = t
        self.integrators = integrators.count == 1
            ? Array(repeating: integrators[0], count: stageChannels.count) : integrators
        self.batchNormMomentum = batchNormMomentum
        self.batchNormEpsilon = batchNormEpsilon
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
    /// Runge–Kutta stage: an s-stage method evaluates `F` s times per step.
    public var forwardMultiplyAccumulates: Int {
        var (height, width, channels) = (inputHeight, inputWidth, inputChannels)
        var macs = height * width * stageChannels[0] * channels * 9
        channels = stageChannels[0]
        for (s, c) in stageChannels.enumerated() {
            if s > 0 {
                let (h2, w2) = ((height + 1) / 2, (width + 1) / 2)
                macs += h2 * w2 * c * channels * 9 + h2 * w2 * c * c * 9 + h2 * w2 * c * channels
                (height, width, channels) = (h2, w2, c)
            }
            macs += stepCount * integrators[s].stageCount * 2 * (height * width * c * c * 9)
        }
        return macs + channels * classCount
    }
}
