import Foundation
import MultilevelResNet

/// Training and inference throughput of one ODE network on random data, measured step by step.
///
/// A training step is what a trainer does per batch: forward in training mode, softmax
/// cross-entropy, backward, the divergence screen (``DivergenceScreen``), SGD update (μ = 0.9,
/// λ = 2e-4, η = 0.1) which also zeroes the gradients. The screen is also timed on its own, and its
/// median reported as a share of the median training step (measured in the same process, so the
/// ratio holds on a loaded machine better than either time).
/// An inference step is a forward pass in evaluation mode on a non-recording tape.
struct ThroughputBenchmark {
    struct Measurement: Codable {
        var mode: String
        var stepTimes: [Double]
        var medianStepSeconds: Double
        var imagesPerSecond: Double
        var gflopPerSecond: Double
        var percentOfSGEMMPeak: Double?
    }

    struct Result: Codable {
        var model: String
        var stepsPerStage: Int
        var batch: Int
        var forwardMultiplyAccumulatesPerImage: Int
        var training: Measurement
        var inference: Measurement
        /// The median seconds of the divergence screen within a timed training step.
        var divergenceScreenMedianSeconds: Double
        /// `divergenceScreenMedianSeconds / training.medianStepSeconds`.
        var divergenceScreenShareOfTrainingStep: Double
        /// Resident set size after the warm-up and after the last timed training step, in MiB.
        var residentMiBAfterWarmup: Double
        var residentMiBAtEnd: Double
    }

    let stepsPerStage: Int
    let batch: Int
    let warmupSteps: Int
    let timedSteps: Int
    let seed: UInt64

    /// A rough lower estimate of the bytes a training step needs: about eight activation tensors
    /// recorded per residual step and connector (BN, ReLU, convolution outputs), for every image.
    ///
    /// ```
    /// bytes ≈ 4 · batch · (32·32·3 + Σ_s (8 N + 8) · H_s W_s C_s),   H_s W_s C_s = 16384 / 2^s
    /// ```
    /// Computed in Double, so it cannot overflow.
    static func estimatedTrainingBytes(stepsPerStage: Int, batch: Int) -> Double {
        let perImage = 3072.0 + (0..<3).reduce(0.0) { total, s in
            total + (8 * Double(stepsPerStage) + 8) * 16384 / Double(1 << s)
        }
        return 4 * Double(batch) * perImage
    }

    func run(sgemmPeak: Double?) throws -> Result {
        let spec = try ODENetSpec(inputShape: [32, 32, 3], classCount: 10, stageChannels: [16, 32, 64],
                                  stepCount: stepsPerStage)
        let network = try ODENetwork(spec: spec, seed: seed)
        var generator = Xoshiro256StarStar(seed: seed &+ 1)
        let input = try Tensor.randomNormal(shape: [batch, 32, 32, 3], standardDeviation: 1, generator: &generator)
        let labels = (0..<batch).map { _ in Int(generator.next() % 10) }
        let step = try TrainingStep(network: network, optimizer: SGD(momentum: 0.9, weightDecay: 2e-4))
        let images = TrainingBatch(input: input, labels: labels)
        var screenTimes: [Double] = []

        // The trainer's own step (Trainer.step runs the same TrainingStep).
        let trainStep = {
            try step.step(images, learningRate: 0.1, at: StepPosition(batch: screenTimes.count))
            screenTimes.append(step.lastScreenSeconds)
        }
        let evaluationTape = Tape(recording: false)
        let inferenceStep = {
            evaluationTape.reset()
            _ = try network.forward(input, on: evaluationTape, mode: .evaluation)
            evaluationTape.reset()
        }
        let macs = Double(spec.forwardMultiplyAccumulates)
        for _ in 0..<warmupSteps { try trainStep() }
        let residentAfterWarmup = Self.residentMiB()
        screenTimes.removeAll()
        let training = try measure(trainStep, mode: "train", flopPerImage: 3 * 2 * macs, peak: sgemmPeak)
        let screenMedian = try screenTimes.median()
        let residentAtEnd = Self.residentMiB()
        for _ in 0..<warmupSteps { try inferenceStep() }
        let inference = try measure(inferenceStep, mode: "infer", flopPerImage: 2 * macs, peak: sgemmPeak)
        return Result(model: "ODE-ResNet 16-32-64, N = \(stepsPerStage), forward Euler, h = 1",
                      stepsPerStage: stepsPerStage, batch: batch, forwardMultiplyAccumulatesPerImage: Int(macs),
                      training: training, inference: inference, divergenceScreenMedianSeconds: screenMedian,
                      divergenceScreenShareOfTrainingStep: screenMedian / training.medianStepSeconds,
                      residentMiBAfterWarmup: residentAfterWarmup, residentMiBAtEnd: residentAtEnd)
    }

    private func measure(_ step: () throws -> Void, mode: String, flopPerImage: Double,
                         peak: Double?) throws -> Measurement {
        var times: [Double] = []
        for _ in 0..<timedSteps {
            let start = DispatchTime.now().uptimeNanoseconds
            try step()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        let median = try times.median()
        let gflops = flopPerImage * Double(batch) / median / 1e9
        return Measurement(mode: mode, stepTimes: times, medianStepSeconds: median,
                           imagesPerSecond: Double(batch) / median, gflopPerSecond: gflops,
                           percentOfSGEMMPeak: peak.map { 100 * gflops / $0 })
    }

    /// The process's resident set size in MiB (`/proc/self/statm`), or −1 where unavailable.
    static func residentMiB() -> Double {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return -1 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Double(fields[1]) else { return -1 }
        return pages * Double(sysconf(Int32(_SC_PAGESIZE))) / 1_048_576
    }

    /// The best SGEMM rate of `repetitions` products of two `n × n` matrices (OpenBLAS through
    /// `Linear.forward`), in GFLOP/s.
    static func sgemmPeak(n: Int = 2048, repetitions: Int = 5) throws -> Double {
        var generator = Xoshiro256StarStar(seed: 3)
        let a = try Tensor.randomUniform(shape: [n, n], generator: &generator)
        let b = try Tensor.randomUniform(shape: [n, n], generator: &generator)
        var best = Double.infinity
        for _ in 0..<repetitions {
            let start = DispatchTime.now().uptimeNanoseconds
            _ = try Linear.forward(a, weight: b, bias: nil)
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        return 2 * pow(Double(n), 3) / best / 1e9
    }
}
