import Foundation

/// A learning rate as a function of training progress, in epochs (fractional within an epoch).
///
/// ```
/// constant:          η(e) = η_max
/// step:              η(e) = η_max · γ^⌊e / s⌋
/// cosine:            η(e) = η_min + ½ (η_max − η_min) (1 + cos(π e / E))
/// cosineRestarts:    cosine within each cycle, restarted at η_max at every cycle start
/// ```
/// `cosineRestarts` is the paper's schedule: one cosine period per multilevel cycle, restarted when
/// the network is refined.
///
/// Units: epochs; rates are per-step SGD learning rates.
///
/// Reference: Loshchilov & Hutter, *SGDR: Stochastic Gradient Descent with Warm Restarts*, ICLR 2017,
/// eq. (5); Chang et al., ICLR 2018, §4 (lr 0.5 → 0.001 restarted per cycle).
public enum LearningRateSchedule: Sendable, Hashable, Codable {
    /// A fixed rate.
    case constant(Double)
    /// Multiply by `factor` every `stepEpochs` epochs.
    case step(initial: Double, factor: Double, stepEpochs: Double)
    /// One cosine from `maximum` to `minimum` over `totalEpochs`.
    case cosine(maximum: Double, minimum: Double, totalEpochs: Double)
    /// A cosine from `maximum` to `minimum` within each cycle; `cycleEpochs` are the cycles' lengths.
    case cosineRestarts(maximum: Double, minimum: Double, cycleEpochs: [Double])

    /// Checks the schedule's numbers.
    ///
    /// - Throws: `OptimizationError.invalidHyperparameter` for a non-positive or non-finite rate,
    ///   `minimum > maximum`, a factor outside `(0, 1]`, or a non-positive length.
    public func validate() throws {
        func positive(_ name: String, _ v: Double) throws {
            guard v.isFinite, v > 0 else {
                throw OptimizationError.invalidHyperparameter(name: name, value: v, expected: "a finite value > 0")
            }
        }
        switch self {
        case .constant(let rate): try positive("learning rate", rate)
        case .step(let initial, let factor, let stepEpochs):
            try positive("learning rate", initial)
            try positive("step length (epochs)", stepEpochs)
            guard factor > 0, factor <= 1 else {
                throw OptimizationError.invalidHyperparameter(name: "step factor", value: factor, expected: "0 < γ ≤ 1")
            }
        case .cosine(let maximum, let minimum, let total):
            try positive("maximum learning rate", maximum)
            try positive("epochs", total)
            guard minimum >= 0, minimum <= maximum else {
                throw OptimizationError.invalidHyperparameter(name: "minimum learning rate", value: minimum,
                                                              expected: "0 ≤ η_min ≤ η_max = \(maximum)")
            }
        case .cosineRestarts(let maximum, let minimum, let cycles):
            try LearningRateSchedule.cosine(maximum: maximum, minimum: minimum, totalEpochs: 1).validate()
            guard !cycles.isEmpty else {
                throw OptimizationError.invalidHyperparameter(name: "cycle count", value: 0, expected: "≥ 1 cycle")
            }
            for c in cycles { try positive("cycle length (epochs)", c) }
        }
    }

    /// The rate at `epoch` (fractional; past the end the last value holds).
    ///
    /// - Parameter epoch: training progress in epochs, ≥ 0.
    /// - Returns: η(epoch).
    public func rate(atEpoch epoch: Double) -> Double {
        switch self {
        case .constant(let rate): return rate
        case .step(let initial, let factor, let stepEpochs):
            return initial * pow(factor, (max(epoch, 0) / stepEpochs).rounded(.down))
        case .cosine(let maximum, let minimum, let total):
            let x = min(max(epoch / total, 0), 1)
            return minimum + 0.5 * (maximum - minimum) * (1 + cos(Double.pi * x))
        case .cosineRestarts(let maximum, let minimum, let cycles):
            var start = 0.0
            for (c, length) in cycles.enumerated() {
                if epoch < start + length || c == cycles.count - 1 {
                    return LearningRateSchedule.cosine(maximum: maximum, minimum: minimum, totalEpochs: length)
                        .rate(atEpoch: epoch - start)
                }
                start += length
            }
            return minimum
        }
    }
}

extension LearningRateSchedule {
    /// The schedule's wire format: the same cases and labels, so the synthesized `Codable` of this
    /// mirror produces exactly the JSON of the synthesized format (`{"constant":{"_0":0.1}}`).
    private enum Coded: Codable {
        case constant(Double)
        case step(initial: Double, factor: Double, stepEpochs: Double)
        case cosine(maximum: Double, minimum: Double, totalEpochs: Double)
        case cosineRestarts(maximum: Double, minimum: Double, cycleEpochs: [Double])
    }

    /// Decodes a schedule and runs ``validate()`` on it.
    ///
    /// - Parameter decoder: a decoder holding one case, e.g. `{"constant":{"_0":0.1}}` in JSON.
    /// - Throws: `DecodingError` for a malformed value; the `OptimizationError.invalidHyperparameter`
    ///   of ``validate()``.
    public init(from decoder: any Decoder) throws {
        switch try Coded(from: decoder) {
        case .constant(let rate): self = .constant(rate)
        case let .step(initial, factor, stepEpochs):
            self = .step(initial: initial, factor: factor, stepEpochs: stepEpochs)
        case let .cosine(maximum, minimum, totalEpochs):
            self = .cosine(maximum: maximum, minimum: minimum, totalEpochs: totalEpochs)
        case let .cosineRestarts(maximum, minimum, cycleEpochs):
            self = .cosineRestarts(maximum: maximum, minimum: minimum, cycleEpochs: cycleEpochs)
        }
        try validate()
    }

    /// Encodes the schedule in the format ``init(from:)`` reads.
    ///
    /// - Parameter encoder: the encoder to write to.
    /// - Throws: whatever the encoder throws.
    public func encode(to encoder: any Encoder) throws {
        let coded: Coded
        switch self {
        case .constant(let rate): coded = .constant(rate)
        case let .step(initial, factor, stepEpochs):
            coded = .step(initial: initial, factor: factor, stepEpochs: stepEpochs)
        case let .cosine(maximum, minimum, totalEpochs):
            coded = .cosine(maximum: maximum, minimum: minimum, totalEpochs: totalEpochs)
        case let .cosineRestarts(maximum, minimum, cycleEpochs):
            coded = .cosineRestarts(maximum: maximum, minimum: minimum, cycleEpochs: cycleEpochs)
        }
        try coded.encode(to: encoder)
    }
}
