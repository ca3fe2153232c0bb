import Autodiff
import Integrators
import Multilevel
import ODENet
import TensorCore
import Testing

/// Regression tests for hostile inputs to the network: typed errors instead of traps or silent output.
@Suite struct ODENetBadInputTests {
    @Test func coarseningFactorBelowTwoIsNamedEverywhere() throws {
        #expect(throws: MultilevelError.invalidCoarseningFactor(0)) {
            try DepthTransfer.restriction(.average).targetStepCount(from: 4, coarseningFactor: 0)
        }
        #expect(throws: MultilevelError.invalidCoarseningFactor(1)) {
            try DepthTransfer.prolongation(.linear).targetStepCount(from: 4, coarseningFactor: 1)
        }
        let network = try ODENetwork(spec: Fixture.spec(stepCount: 2), seed: 3)
        #expect(throws: MultilevelError.invalidCoarseningFactor(0)) {
            try network.coarsened(by: .average, rule: .halve, coarseningFactor: 0)
        }
        #expect(throws: MultilevelError.invalidCoarseningFactor(-2)) {
            try network.refined(by: .piecewiseConstant, rule: .halve, coarseningFactor: -2)
        }
        #expect(throws: MultilevelError.invalidCoarseningFactor(0)) {
            try network.resampled(toStepCount: 4, coarseningFactor: 0)
        }
        #expect(throws: MultilevelError.invalidCoarseningFactor(1)) {
            try network.transferredState([:], .restriction(.average), policy: .transfer, coarseningFactor: 1)
        }
    }

    @Test func unreachableResampleTargetsNameSourceTargetAndFactor() throws {
        let network = try ODENetwork(spec: Fixture.spec(stepCount: 2), seed: 3)
        for target in [0, -4, 3, 6] {
            #expect(throws: ODENetError.unreachableStepCount(source: 2, target: target, coarseningFactor: 2)) {
                try network.resampled(toStepCount: target)
            }
        }
        #expect(throws: ODENetError.unreachableStepCount(source: 2, target: 4, coarseningFactor: 3)) {
            try network.resampled(toStepCount: 4, coarseningFactor: 3)
        }
        let message = ODENetError.unreachableStepCount(source: 2, target: 3, coarseningFactor: 2).description
        #expect(message.contains("N = 2") && message.contains("N' = 3") && message.contains("cf = 2"))
        #expect(try network.resampled(toStepCount: 8).spec.stepCount == 8)
        #expect(try network.resampled(toStepCount: 1).spec.stepCount == 1)
    }

    @Test func hugeFactorsOverflowIntoTypedErrors() throws {
        let network = try ODENetwork(spec: Fixture.spec(stepCount: 2), seed: 3)
        #expect(throws: MultilevelError.sizeOverflow(operation: "prolongation piecewiseConstant", factors: [2, Int.max])) {
            try network.refined(by: .piecewiseConstant, rule: .halve, coarseningFactor: Int.max)
        }
        #expect(throws: MultilevelError.stepCountTooLarge(operation: "prolongation piecewiseConstant",
                                                          stepCount: 2 << 20, limit: Level.maximumStepCount)) {
            try network.refined(by: .piecewiseConstant, rule: .halve, coarseningFactor: 1 << 20)
        }
    }

    @Test func theNetworkRevalidatesAMutatedSpec() throws {
        let valid = try Fixture.spec(stepCount: 2)
        func build(_ change: (inout ODENetSpec) -> Void) throws {
            var spec = valid
            change(&spec)
            _ = try ODENetwork(spec: spec, seed: 1)
        }
        #expect(throws: ODENetError.emptyChannelList) { try build { $0.stageChannels = [] } }
        #expect(throws: ODENetError.integratorCountMismatch(stages: 2, integrators: 1)) {
            try build { $0.integrators = [IntegratorKind.forwardEuler.integrator] }
        }
        #expect(throws: ODENetError.invalidStepCount(0)) { try build { $0.stepCount = 0 } }
        #expect(throws: ODENetError.self) { try build { $0.finalTime = .nan } }
        // The assembly initializer (used by transfers and loaders) checks the spec too.
        let network = try ODENetwork(spec: valid, seed: 1)
        var bad = valid
        bad.stepCount = 0
        #expect(throws: ODENetError.invalidStepCount(0)) {
            try ODENetwork(spec: bad, stem: network.stem, stages: network.stages, headNorm: network.headNorm,
                           classifierWeight: network.classifierWeight, classifierBias: network.classifierBias)
        }
    }

    @Test func specBoundsChannelsStepsStepSizeAndBatchNorm() throws {
        func make(channels: [Int] = [8], n: Int = 2, t: Double? = nil, momentum: Float = 0.1,
                  epsilon: Float = 1e-5) throws -> ODENetSpec {
            try ODENetSpec(inputShape: [8, 8, 3], classCount: 3, stageChannels: channels, stepCount: n,
                           finalTime: t, batchNormMomentum: momentum, batchNormEpsilon: epsilon)
        }
        #expect(throws: ODENetError.invalidChannelCount(stage: 0, channels: 1 << 40)) { try make(channels: [1 << 40]) }
        #expect(throws: ODENetError.invalidChannelCount(stage: 1, channels: 1 << 20)) { try make(channels: [8, 1 << 20]) }
        #expect(throws: ODENetError.invalidStepCount(1 << 21)) { try make(n: 1 << 21) }
        #expect(throws: ODENetError.invalidStepSize(stepSize: 5e39, finalTime: 1e40, stepCount: 2)) { try make(t: 1e40) }
        #expect(throws: ODENetError.invalidStepSize(stepSize: 5e-301, finalTime: 1e-300, stepCount: 2)) {
            try make(t: 1e-300)
        }
        #expect(throws: ODENetError.invalidBatchNormalization(momentum: 0.1, epsilon: .infinity)) {
            try make(epsilon: .infinity)
        }
        #expect(throws: ODENetError.self) { try make(momentum: .nan) }
        #expect(throws: ODENetError.self) { try make(momentum: .infinity) }
        #expect(try make(channels: [ODENetSpec.maximumChannelCount], t: 1e-3).stepSize == 5e-4)
    }

    @Test func multiplyAccumulatesSaturateInsteadOfTrapping() throws {
        var spec = try Fixture.spec(stepCount: 2)
        spec.stageChannels = [1 << 40, 1 << 40]
        #expect(spec.forwardMultiplyAccumulates == Int.max)
        spec.inputHeight = Int.max
        #expect(spec.forwardMultiplyAccumulates == Int.max)
    }

    @Test func nonFiniteInputIsATypedError() throws {
        let network = try ODENetwork(spec: Fixture.spec(stepCount: 2), seed: 3)
        for bad in [Float.nan, .infinity, -.infinity] {
            var input = try Fixture.batch()
            input.withUnsafeMutableBufferPointer { $0[37] = bad }
            #expect(throws: ODENetError.nonFiniteInput(index: 37)) { try Fixture.logits(network, input) }
            #expect(throws: ODENetError.nonFiniteInput(index: 37)) {
                try network.loss(input, labels: [0, 1, 2, 3], on: Tape(recording: false), mode: .evaluation)
            }
        }
        #expect(try Fixture.logits(network, Fixture.batch()).allSatisfy { $0.isFinite })
    }
}
