import Autodiff
import Integrators
import ODENet
import TensorCore
import Testing

/// Leapfrog (DESIGN §9), a test-only method that carries the past state:
/// ```
/// Y_{n+1} = 2Y_n − Y_{n−1} + h² F(Y_n),     starter  Y_{−1} = Y_0
/// ```
/// 1 evaluation per step, none to start.
struct Leapfrog: Integrator {
    var name: String { "leapfrog" }
    var stageCount: Int { 1 }
    var order: Int { 2 }
    var identity: IntegratorIdentity { .kind("leapfrog", parameters: []) }
    var carriedStateCount: Int { 1 }
    var startingEvaluationCount: Int { 0 }

    func start<State: VectorSpace>(_ y0: State, at t0: Double, stepSize h: Double,
                                   rightHandSide f: (Double, State) throws -> State) throws -> [State] { [y0] }

    func step<State: VectorSpace>(_ y: State, carried: inout [State], at t: Double, stepSize h: Double,
                                  rightHandSide f: (Double, State) throws -> State) throws -> State {
        let k = try f(t, y)
        let next = try State.linearCombination(y, weights: [1, -1, h * h], terms: [y, carried[0], k])
        carried = [y]
        return next
    }
}

@Suite("The integrator slot of a stage")
struct IntegratorSlotTests {
    /// Logits, loss, every parameter gradient and every running statistic of one training-mode
    /// forward and backward pass, as bit patterns.
    private func trainingPass(_ integrator: any Integrator) throws -> (network: ODENetwork, bits: [String: [UInt32]]) {
        let spec = try ODENetSpec(inputShape: [8, 8, 3], classCount: 5, stageChannels: [8, 16], stepCount: 3,
                                  finalTime: 1.5, integrators: [integrator])
        let network = try ODENetwork(spec: spec, seed: 7)
        let tape = Tape()
        let logits = try network.forward(Fixture.batch(), on: tape, mode: .training)
        let (loss, _) = try logits.softmaxCrossEntropy(labels: [0, 4, 2, 1])
        try loss.backward()
        var bits: [String: [UInt32]] = ["logits": logits.value.elements.map(\.bitPattern),
                                        "loss": loss.value.elements.map(\.bitPattern)]
        for parameter in network.parameters {
            bits["grad " + parameter.name] = parameter.gradient.elements.map(\.bitPattern)
        }
        for stage in network.stages {
            for (n, step) in stage.steps.enumerated() {
                bits["running \(stage.index).\(n)"] = (step.bn1.runningMean.elements + step.bn1.runningVariance.elements
                    + step.bn2.runningMean.elements + step.bn2.runningVariance.elements).map(\.bitPattern)
            }
        }
        return (network, bits)
    }

    @Test("the forward-Euler fast path equals the generic tableau inside a network bit for bit: logits, gradients, statistics")
    func fastPathEqualsTableauBitForBit() throws {
        let fast = try trainingPass(IntegratorKind.forwardEuler.method)
        let generic = try trainingPass(ExplicitRungeKutta(tableau: .forwardEuler))
        #expect(fast.network.stages.allSatisfy { $0.integrator is ForwardEuler })
        #expect(generic.network.stages.allSatisfy { $0.integrator is ExplicitRungeKutta })
        #expect(fast.bits.keys.sorted() == generic.bits.keys.sorted())
        #expect(fast.bits.count == 2 + fast.network.parameters.count + 6)
        for (key, value) in fast.bits {
            #expect(value == generic.bits[key], "\(key) differs between the fast path and the tableau")
        }
        // The gradients are not all zero (the comparison compares something).
        #expect(fast.bits["grad stage0.step0.conv1.weight"]?.contains { Float(bitPattern: $0) != 0 } == true)
    }

    @Test("the default spec and the catalogue's forward Euler run the fast path")
    func defaultIsFastPath() throws {
        let spec = try ODENetSpec(inputShape: [8, 8, 3], classCount: 5, stageChannels: [8], stepCount: 1)
        #expect(try ODENetwork(spec: spec, seed: 1).stages[0].integrator is ForwardEuler)
    }

    @Test("specs compare integrators by identity")
    func specEqualityByIdentity() throws {
        func spec(_ integrator: any Integrator) throws -> ODENetSpec {
            try ODENetSpec(inputShape: [8, 8, 3], classCount: 5, stageChannels: [8, 16], stepCount: 2,
                           integrators: [integrator])
        }
        let fast = try spec(ForwardEuler()), generic = try spec(ExplicitRungeKutta(tableau: .forwardEuler))
        #expect(fast == generic && fast.hashValue == generic.hashValue)
        #expect(try fast != spec(Leapfrog()))
        #expect(try fast != spec(IntegratorKind.heun.method))
        #expect(try spec(Leapfrog()) == spec(Leapfrog()))
    }

    @Test("a method with a past state runs in a network: N evaluations, its own result, gradients through the history")
    func methodWithHistoryInANetwork() throws {
        let spec = try ODENetSpec(inputShape: [8, 8, 3], classCount: 5, stageChannels: [8, 16], stepCount: 3,
                                  finalTime: 1.5, integrators: [Leapfrog()])
        let network = try ODENetwork(spec: spec, seed: 7)
        #expect(network.stages.allSatisfy { $0.integrator is Leapfrog })
        let recorder = ForwardRecorder(measuresNorms: false)
        let logits = try Fixture.logits(network, Fixture.batch(), recorder: recorder)
        #expect(recorder.functionEvaluations == [0: 3, 1: 3])
        #expect(logits.allSatisfy { $0.isFinite })
        let euler = try network.integrated(with: [ForwardEuler()])
        #expect(try Fixture.logits(euler, Fixture.batch()) != logits)
        // Y_{n+1} = 2Y_n − Y_{n−1} + h² F: with F = 0 everywhere the state stays Y_0, so the logits
        // equal those of forward Euler with F = 0 (Y_{n+1} = Y_n).
        for net in [network, euler] {
            for stage in net.stages { for step in stage.steps { step.conv2.update { v, _ in for i in v.indices { v[i] = 0 } } } }
        }
        #expect(try Fixture.logits(network, Fixture.batch()) == Fixture.logits(euler, Fixture.batch()))
    }

    @Test("gradients flow through the carried state: finite differences agree")
    func gradientThroughHistory() throws {
        let spec = try ODENetSpec(inputShape: [4, 4, 2], classCount: 3, stageChannels: [8], stepCount: 3,
                                  finalTime: 1, integrators: [Leapfrog()])
        let network = try ODENetwork(spec: spec, seed: 5)
        var generator = Xoshiro256StarStar(seed: 6)
        let input = try Tensor.randomNormal(shape: [3, 4, 4, 2], standardDeviation: 1, generator: &generator)
        let labels = [0, 2, 1]
        let (l, _) = try network.loss(input, labels: labels, on: Tape(), mode: .evaluation)
        try l.backward()
        let parameter = network.stages[0].steps[0].conv2   // step 0's θ reaches Y_3 directly and through Y_{n−1}
        let gradient = parameter.gradient.elements
        for index in [0, parameter.value.count / 2, parameter.value.count - 1] {
            let original = parameter.value.elements[index]
            let epsilon: Float = 2e-3
            func perturbed(_ delta: Float) throws -> Double {
                parameter.update { value, _ in value[index] = original + delta }
                let (loss, _) = try network.loss(input, labels: labels, on: Tape(recording: false), mode: .evaluation)
                return Double(loss.value.elements[0])
            }
            let numeric = (try perturbed(epsilon) - perturbed(-epsilon)) / Double(2 * epsilon)
            parameter.update { value, _ in value[index] = original }
            let analytic = Double(gradient[index])
            #expect(abs(numeric - analytic) <= 2e-2 * max(abs(numeric), abs(analytic)) + 2e-4,
                    "[\(index)]: analytic \(analytic), numeric \(numeric)")
        }
    }
}
