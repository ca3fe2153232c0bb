import TensorCore

/// Collects what a forward pass saw, at no extra forward pass: the function evaluations of `F`
/// per stage and, per ODE step, the size of the state and of the step's residual update.
///
/// Norms are root-mean-square per example: `‖X‖ = ‖X‖_F / √batch` (the Frobenius norm over the
/// whole batch divided by √batch), so they do not grow with the batch size.
/// ```
/// stateNorm    = ‖Y_n‖
/// residualNorm = ‖G(Y_n)‖ = ‖Y_{n+1} − Y_n‖ = ‖h Σ_i b_i k_i‖
/// ```
/// Reference: Chang et al., ICLR 2018, §4.1 and Fig. 4 (‖G‖ shrinks like 1/depth).
public final class ForwardRecorder {
    /// One ODE step's measurements.
    public struct StepRecord: Sendable, Hashable, Codable {
        /// The stage index `s` (0 = first).
        public var stage: Int
        /// The step index `n` within the stage.
        public var step: Int
        /// `t_n = n h`, in depth-time.
        public var time: Double
        /// `‖Y_n‖` (RMS per example).
        public var stateNorm: Double
        /// `‖Y_{n+1} − Y_n‖` (RMS per example).
        public var residualNorm: Double
    }

    /// Whether to measure norms (an extra pass over each state; off by default for counting only).
    public let measuresNorms: Bool
    /// Every step seen, in forward order.
    public private(set) var steps: [StepRecord] = []
    /// Evaluations of `F` per stage index.
    public private(set) var functionEvaluations: [Int: Int] = [:]

    /// Creates an empty recorder.
    ///
    /// - Parameter measuresNorms: record ‖Y_n‖ and ‖Y_{n+1} − Y_n‖ (default `true`).
    public init(measuresNorms: Bool = true) { self.measuresNorms = measuresNorms }

    /// Counts one evaluation of `F` in stage `stage`.
    func countEvaluation(stage: Int) { functionEvaluations[stage, default: 0] += 1 }

    /// Records step `n` of stage `s` from its input and output states.
    func recordStep(stage: Int, step: Int, time: Double, before: Tensor, after: Tensor) {
        guard measuresNorms else { return }
        let batch = Double(max(before.shape.first ?? 1, 1))
        var stateSquares = 0.0, residualSquares = 0.0
        before.withUnsafeBufferPointer { y in
            after.withUnsafeBufferPointer { z in
                for i in 0..<min(y.count, z.count) {
                    let a = Double(y[i]), d = Double(z[i]) - a
                    stateSquares += a * a
                    residualSquares += d * d
                }
            }
        }
        steps.append(StepRecord(stage: stage, step: step, time: time,
                                stateNorm: (stateSquares / batch).squareRoot(),
                                residualNorm: (residualSquares / batch).squareRoot()))
    }
}
