import Autodiff
import Integrators
import Multilevel
import ODENet
import TensorCore
import Testing

@Suite struct DepthTransferTests {
    @Test func piecewiseConstantHalveIsAFirstOrderRefinement() throws {
        // Copying θ_n after itself keeps θ(t) as a function of t: the refined network integrates
        // the same ODE with half the step, so logits change by the Euler error O(h).
        let coarse = try ODENetwork(spec: Fixture.spec(stepCount: 8, finalTime: 1), seed: 7)
        let fine = try coarse.refined(by: .piecewiseConstant, rule: .halve)
        let finer = try fine.refined(by: .piecewiseConstant, rule: .halve)
        #expect(fine.spec.stepCount == 16 && fine.spec.stepSize == 1.0 / 16 && fine.spec.finalTime == 1)
        let input = try Fixture.batch()
        let (l4, l8, l16) = (try Fixture.logits(coarse, input), try Fixture.logits(fine, input),
                             try Fixture.logits(finer, input))
        let d1 = Fixture.rmsDifference(l4, l8), d2 = Fixture.rmsDifference(l8, l16)
        #expect(d1 > 0 && d2 > 0)
        // First order: halving h halves the change (ratio 2 within 25 %).
        #expect(abs(d1 / d2 - 2) < 0.5, "changes \(d1) at h = 1/8, \(d2) at h = 1/16: ratio \(d1 / d2)")

        // The naive rule keeps h and doubles T: a different ODE, a much larger change.
        let naive = try coarse.refined(by: .piecewiseConstant, rule: .keep)
        #expect(naive.spec.finalTime == 2 && naive.spec.stepSize == 0.125)
        let dKeep = Fixture.rmsDifference(l4, try Fixture.logits(naive, input))
        #expect(dKeep > 5 * d1, "keep changed logits by \(dKeep), halve by \(d1)")
    }

    @Test func refineThenCoarsenWithAnExactPairIsBitExact() throws {
        let network = try ODENetwork(spec: Fixture.spec(stepCount: 3), seed: 8)
        _ = try network.forward(Fixture.batch(), on: Tape(), mode: .training)  // non-trivial running stats
        for restriction in [Restriction.average, .injection] {
            let back = try network.refined(by: .piecewiseConstant, rule: .halve)
                .coarsened(by: restriction, rule: .halve)
            #expect(back.spec == network.spec)
            for (a, b) in zip(network.stages, back.stages) {
                for (x, y) in zip(a.steps, b.steps) {
                    #expect(x.fieldTensors.map(\.elements) == y.fieldTensors.map(\.elements))
                }
            }
            #expect(back.parameters.map(\.value.elements) == network.parameters.map(\.value.elements))
            #expect(back.parameters.map(\.name) == network.parameters.map(\.name))
        }
    }

    @Test func refinedNetworksAreIndependentCopies() throws {
        let network = try ODENetwork(spec: Fixture.spec(), seed: 9)
        let fine = try network.refined(by: .linear, rule: .halve)
        let before = network.stem.value.elements
        fine.stem.update { value, _ in value[0] += 1 }
        #expect(network.stem.value.elements == before)
        #expect(!zip(network.parameters, fine.parameters).contains { $0 === $1 })
    }

    @Test func interpolationKeepsRunningVariancesNonNegative() throws {
        let network = try ODENetwork(spec: Fixture.spec(stepCount: 4), seed: 10)
        // Make running variances steep in t so that linear extrapolation would undershoot.
        for (n, step) in network.stages[0].steps.enumerated() {
            step.bn1.runningVariance = try Tensor(shape: [8], repeating: n == 0 ? 0.01 : Float(4 * n))
        }
        for p in Prolongation.allCases {
            let fine = try network.refined(by: p, rule: .halve)
            #expect(fine.stages[0].steps.allSatisfy { $0.bn1.runningVariance.elements.allSatisfy { $0 >= 0 } })
            #expect(try Fixture.logits(fine, Fixture.batch()).allSatisfy { $0.isFinite })
        }
    }

    @Test func coarseningAnOddDepthThrows() throws {
        let network = try ODENetwork(spec: Fixture.spec(stepCount: 3), seed: 11)
        #expect(throws: MultilevelError.stepCountNotDivisible(stepCount: 3, coarseningFactor: 2,
                                                              operation: "restriction average")) {
            try network.coarsened(by: .average, rule: .halve)
        }
    }

    @Test func continuousDepthEvaluation() throws {
        let network = try ODENetwork(spec: Fixture.spec(stepCount: 4), seed: 12)
        let input = try Fixture.batch()
        let reference = try Fixture.logits(network, input)
        let half = try network.resampled(toStepCount: 2)
        let double = try network.resampled(toStepCount: 8)
        #expect(half.spec.stepCount == 2 && double.spec.stepCount == 8)
        #expect(half.spec.finalTime == 1 && double.spec.finalTime == 1)
        // Same T: nearby outputs at either depth (a consistent discretization of one ODE).
        let scale = reference.map { Double(abs($0)) }.max() ?? 1
        #expect(Fixture.maxAbsDifference(reference, try Fixture.logits(double, input)) < 0.5 * scale)
        #expect(throws: ODENetError.unreachableStepCount(source: 4, target: 3, coarseningFactor: 2)) {
            try network.resampled(toStepCount: 3)
        }
    }

    @Test func momentumMovesWithTheParameters() throws {
        let network = try ODENetwork(spec: Fixture.spec(stepCount: 2), seed: 13)
        var state: [ParameterPath: Tensor] = [:]
        for parameter in network.parameters { state[try #require(parameter.path)] = try parameter.value.scaled(by: 2) }
        let transfer = DepthTransfer.prolongation(.piecewiseConstant)
        let fine = try network.transferred(transfer, rule: .halve)
        let moved = try network.transferredState(state, transfer, policy: .transfer)
        for parameter in fine.parameters {
            let path = try #require(parameter.path)
            let entry = try #require(moved[path], "no state for \(parameter.name)")
            #expect(try entry.elements == parameter.value.scaled(by: 2).elements, "\(parameter.name)")
        }
        let reset = try network.transferredState(state, transfer, policy: .reset)
        #expect(reset.keys.allSatisfy { if case .step = $0.location { false } else { true } })
        #expect(reset[try ParameterPath(.stem, .weight)] != nil)
        #expect(throws: ODENetError.self) {
            try network.transferredState([.step(stage: 0, step: 0, .conv1Weight): Tensor(zeros: [1])], transfer,
                                         policy: .transfer)
        }
    }
}
