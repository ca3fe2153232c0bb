import Autodiff
import Integrators
import Multilevel
import ODENet
import TensorCore
import Testing

@Suite struct ODENetworkTests {
    @Test(arguments: IntegratorKind.allCases)
    func forwardEvaluatesFExactlySTimesNPerStage(kind: IntegratorKind) throws {
        let network = try ODENetwork(spec: Fixture.spec(stepCount: 3, integrator: kind), seed: 1)
        let recorder = ForwardRecorder(measuresNorms: false)
        let logits = try Fixture.logits(network, Fixture.batch(), recorder: recorder)
        #expect(logits.count == 4 * 5)
        #expect(logits.allSatisfy { $0.isFinite })
        let s = kind.tableau.stageCount
        #expect(recorder.functionEvaluations == [0: s * 3, 1: s * 3])
    }

    @Test func trainingModeUpdatesRunningStatisticsAndEvaluationDoesNot() throws {
        let network = try ODENetwork(spec: Fixture.spec(), seed: 2)
        let before = network.stages[0].steps[0].bn1.runningMean.elements
        _ = try Fixture.logits(network, Fixture.batch())
        #expect(network.stages[0].steps[0].bn1.runningMean.elements == before)
        _ = try network.forward(Fixture.batch(), on: Tape(), mode: .training)
        #expect(network.stages[0].steps[0].bn1.runningMean.elements != before)
    }

    @Test func recorderMeasuresTheResidualUpdate() throws {
        let network = try ODENetwork(spec: Fixture.spec(stepCount: 3), seed: 3)
        // Zero the last convolution of step 1 of stage 0: F = 0 there, so Y_2 = Y_1 exactly.
        network.stages[0].steps[1].conv2.update { value, _ in
            for i in value.indices { value[i] = 0 }
        }
        let recorder = ForwardRecorder()
        _ = try Fixture.logits(network, Fixture.batch(), recorder: recorder)
        let stage0 = recorder.steps.filter { $0.stage == 0 }
        #expect(stage0.map(\.step) == [0, 1, 2])
        #expect(stage0[1].residualNorm == 0)
        #expect(stage0[0].residualNorm > 0 && stage0[2].residualNorm > 0)
        #expect(stage0.map(\.time) == [0, 1.0 / 3, 2.0 / 3])
    }

    @Test func wrongInputsThrowTypedErrors() throws {
        let network = try ODENetwork(spec: Fixture.spec(), seed: 4)
        let wrong = try Tensor(zeros: [2, 8, 8, 1])
        #expect(throws: ODENetError.inputShapeMismatch(expected: [2, 8, 8, 3], got: [2, 8, 8, 1])) {
            try network.forward(wrong, on: Tape(), mode: .training)
        }
        #expect(throws: ODENetError.self) {
            try network.loss(Fixture.batch(), labels: [0, 1, 2, 7], on: Tape(), mode: .training)
        }
        #expect(throws: ODENetError.self) {
            try network.loss(Fixture.batch(), labels: [0, 1], on: Tape(), mode: .training)
        }
    }

    /// Loss in evaluation mode (fixed BN statistics) as a function of one weight entry.
    private func loss(_ network: ODENetwork, _ input: Tensor, _ labels: [Int]) throws -> Double {
        let (loss, _) = try network.loss(input, labels: labels, on: Tape(recording: false), mode: .evaluation)
        return Double(loss.value.elements[0])
    }

    @Test(arguments: IntegratorKind.allCases)
    func gradientThroughAnODEStageMatchesFiniteDifferences(kind: IntegratorKind) throws {
        let spec = try ODENetSpec(inputShape: [4, 4, 2], classCount: 3, stageChannels: [8], stepCount: 2,
                                  finalTime: 1, integrators: [kind.integrator])
        let network = try ODENetwork(spec: spec, seed: 5)
        var generator = Xoshiro256StarStar(seed: 6)
        let input = try Tensor.randomNormal(shape: [3, 4, 4, 2], standardDeviation: 1, generator: &generator)
        let labels = [0, 2, 1]
        let tape = Tape()
        let (l, _) = try network.loss(input, labels: labels, on: tape, mode: .evaluation)
        try l.backward()
        let step0 = network.stages[0].steps[0], step1 = network.stages[0].steps[1]
        for parameter in [step0.conv1, step1.conv2, step0.bn2.scale, step1.bn1.shift] {
            let gradient = parameter.gradient.elements
            for index in [0, parameter.value.count / 2, parameter.value.count - 1] {
                let original = parameter.value.elements[index]
                let epsilon: Float = 2e-3
                func perturbed(_ delta: Float) throws -> Double {
                    parameter.update { value, _ in value[index] = original + delta }
                    return try loss(network, input, labels)
                }
                let numeric = (try perturbed(epsilon) - perturbed(-epsilon)) / Double(2 * epsilon)
                parameter.update { value, _ in value[index] = original }
                let analytic = Double(gradient[index])
                let tolerance = 2e-2 * max(abs(numeric), abs(analytic)) + 2e-4
                #expect(abs(numeric - analytic) <= tolerance,
                        "\(kind) \(parameter.name)[\(index)]: analytic \(analytic), numeric \(numeric)")
            }
        }
    }
}
