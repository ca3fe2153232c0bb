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
