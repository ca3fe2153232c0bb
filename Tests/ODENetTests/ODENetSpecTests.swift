import Integrators
import ODENet
import Testing

@Suite struct ODENetSpecTests {
    @Test func invalidSpecsAreRejectedBeforeAnythingIsBuilt() throws {
        func make(_ shape: [Int] = [8, 8, 3], classes: Int = 10, channels: [Int] = [8, 16], n: Int = 2,
                  t: Double? = nil, integrators: [ExplicitRungeKutta] = [IntegratorKind.heun.integrator]) throws {
            _ = try ODENetSpec(inputShape: shape, classCount: classes, stageChannels: channels, stepCount: n,
                               finalTime: t, integrators: integrators)
        }
        #expect(throws: ODENetError.invalidStepCount(0)) { try make(n: 0) }
        #expect(throws: ODENetError.invalidFinalTime(0)) { try make(t: 0) }
        #expect(throws: ODENetError.invalidFinalTime(-2)) { try make(t: -2) }
        #expect(throws: ODENetError.self) { try make(t: .nan) }
        #expect(throws: ODENetError.emptyChannelList) { try make(channels: []) }
        #expect(throws: ODENetError.invalidChannelCount(stage: 1, channels: 0)) { try make(channels: [8, 0]) }
        // A shape of the wrong rank is named as such, not as a non-positive extent.
        #expect(throws: ODENetError.invalidInputRank([8, 8])) { try make([8, 8]) }
        #expect(throws: ODENetError.invalidInputRank([1, 8, 8, 3])) { try make([1, 8, 8, 3]) }
        #expect(throws: ODENetError.invalidInputShape([8, 0, 3])) { try make([8, 0, 3]) }
        let rank = try #require(throws: ODENetError.self) { try make([8, 8]) }
        #expect(rank.description.contains("[height, width, channels]") && rank.description.contains("2 extents")
                && !rank.description.contains("positive"), "\(rank)")
        #expect(throws: ODENetError.invalidClassCount(1)) { try make(classes: 1) }
        #expect(throws: ODENetError.integratorCountMismatch(stages: 2, integrators: 3)) {
            try make(integrators: Array(repeating: IntegratorKind.heun.integrator, count: 3))
        }
        #expect(throws: ODENetError.featureMapTooSmall(stage: 2, height: 1, width: 1)) {
            try make([2, 2, 1], channels: [4, 4, 4])
        }
    }

    @Test func defaultsFollowThePaper() throws {
        let spec = try ODENetSpec(inputShape: [32, 32, 3], classCount: 10, stageChannels: [16, 32, 64], stepCount: 2)
        #expect(spec.finalTime == 2 && spec.stepSize == 1)  // h = 1 at the coarsest level
        #expect(spec.integrators.count == 3 && spec.integrators.allSatisfy { $0.name == "forwardEuler" })
    }

    @Test func multiplyAccumulatesMatchAHandCount() throws {
        // 32×32×3 input, stages 16-32-64, N = 3, forward Euler (the ResNet-20-size bench model).
        let spec = try ODENetSpec(inputShape: [32, 32, 3], classCount: 10, stageChannels: [16, 32, 64], stepCount: 3)
        let stem = 32 * 32 * 16 * 3 * 9
        let step = { (hw: Int, c: Int) in 2 * hw * hw * c * c * 9 }
        let connector = { (hw: Int, cin: Int, c: Int) in hw * hw * c * cin * 9 + hw * hw * c * c * 9 + hw * hw * c * cin }
        let expected = stem + 3 * (step(32, 16) + step(16, 32) + step(8, 64))
            + connector(16, 16, 32) + connector(8, 32, 64) + 64 * 10
        #expect(spec.forwardMultiplyAccumulates == expected)
        // An s-stage method evaluates F s times per step.
        var rk4 = spec
        rk4.integrators = Array(repeating: IntegratorKind.rk4Classic.integrator, count: 3)
        #expect(rk4.forwardMultiplyAccumulates - spec.forwardMultiplyAccumulates
                == 3 * 3 * (step(32, 16) + step(16, 32) + step(8, 64)))
    }
}
