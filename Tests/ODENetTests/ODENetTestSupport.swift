import Autodiff
import Integrators
import ODENet
import TensorCore

/// Tiny networks and data shared by the ODENet tests (8×8 inputs, 8 channels, batch 4).
enum Fixture {
    static func spec(stepCount: Int = 2, finalTime: Double = 1, channels: [Int] = [8, 16],
                     integrator: IntegratorKind = .forwardEuler) throws -> ODENetSpec {
        try ODENetSpec(inputShape: [8, 8, 3], classCount: 5, stageChannels: channels, stepCount: stepCount,
                       finalTime: finalTime, integrators: [integrator.integrator])
    }

    static func batch(_ count: Int = 4, seed: UInt64 = 11) throws -> Tensor {
        var generator = Xoshiro256StarStar(seed: seed)
        return try Tensor.randomNormal(shape: [count, 8, 8, 3], standardDeviation: 1, generator: &generator)
    }

    /// Logits in evaluation mode (running statistics: a deterministic function of θ).
    static func logits(_ network: ODENetwork, _ input: Tensor, recorder: ForwardRecorder? = nil) throws -> [Float] {
        try network.forward(input, on: Tape(recording: false), mode: .evaluation, recorder: recorder).value.elements
    }

    static func rmsDifference(_ a: [Float], _ b: [Float]) -> Double {
        (zip(a, b).map { Double($0 - $1) * Double($0 - $1) }.reduce(0, +) / Double(max(a.count, 1))).squareRoot()
    }

    static func maxAbsDifference(_ a: [Float], _ b: [Float]) -> Double {
        zip(a, b).map { Double(abs($0 - $1)) }.max() ?? .infinity
    }
}
