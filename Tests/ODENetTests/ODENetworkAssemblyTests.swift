import Autodiff
import ODENet
import TensorCore
import Testing

@Suite struct ODENetworkAssemblyTests {
    @Test func assemblingFromPartsChecksThemAgainstTheSpec() throws {
        let network = try ODENetwork(spec: Fixture.spec(), seed: 2)
        let copy = try ODENetwork(spec: network.spec, stem: network.stem, stages: network.stages,
                                  headNorm: network.headNorm, classifierWeight: network.classifierWeight,
                                  classifierBias: network.classifierBias)
        #expect(copy.parameters.map(\.value.elements) == network.parameters.map(\.value.elements))

        let wrongStem = Parameter(try Tensor(zeros: [8, 1, 3, 3]), name: "stem.weight")
        #expect(throws: ODENetError.assemblyMismatch(part: "stem.weight", message: "shape [8, 1, 3, 3], expected [8, 3, 3, 3]")) {
            try ODENetwork(spec: network.spec, stem: wrongStem, stages: network.stages, headNorm: network.headNorm,
                           classifierWeight: network.classifierWeight, classifierBias: network.classifierBias)
        }
        let deeper = try ODENetwork(spec: Fixture.spec(stepCount: 3), seed: 2)
        #expect(throws: ODENetError.self) {
            try ODENetwork(spec: network.spec, stem: network.stem, stages: deeper.stages, headNorm: network.headNorm,
                           classifierWeight: network.classifierWeight, classifierBias: network.classifierBias)
        }
    }

    @Test func connectorFromTensorsChecksShapes() throws {
        let network = try ODENetwork(spec: Fixture.spec(), seed: 3)
        let c = try #require(network.stages[1].connector)
        let rebuilt = try Connector(bn1: c.bn1.copy(), conv1: c.conv1.value, bn2: c.bn2.copy(), conv2: c.conv2.value,
                                    shortcut: c.shortcut.value, stage: 1)
        #expect(rebuilt.parameters.map(\.name) == c.parameters.map(\.name))
        #expect(rebuilt.parameters.map(\.value.elements) == c.parameters.map(\.value.elements))
        #expect(throws: TensorError.self) {
            try Connector(bn1: c.bn1.copy(), conv1: c.conv1.value, bn2: c.bn2.copy(), conv2: c.conv2.value,
                          shortcut: c.conv1.value, stage: 1)
        }
    }
}

/// Issue 13, item 3: a network's parts carry the paths of their positions.
@Suite struct ParameterPathAssemblyTests {
    @Test func aStepAtAnotherPositionThanItsPathIsRefused() throws {
        let network = try ODENetwork(spec: Fixture.spec(), seed: 3)
        let stage = network.stages[0]
        #expect(network.parameters.allSatisfy { $0.path != nil })
        #expect(Set(network.parameters.compactMap(\.path)).count == network.parameters.count)
        #expect(stage.steps.enumerated().allSatisfy { $0.element.location == .step(stage: 0, step: $0.offset) })
        let swapped = ODEStage(index: 0, connector: nil, steps: stage.steps.reversed(), integrator: stage.integrator,
                               finalTime: stage.finalTime)
        #expect(throws: ODENetError.self) {
            try ODENetwork(spec: network.spec, stem: network.stem, stages: [swapped] + network.stages.dropFirst(),
                           headNorm: network.headNorm, classifierWeight: network.classifierWeight,
                           classifierBias: network.classifierBias)
        }
    }
}
