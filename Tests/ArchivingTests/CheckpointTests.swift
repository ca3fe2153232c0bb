import Autodiff
import Foundation
import ODENet
import Optimization
import TensorCore
import Testing
@testable import Archiving

@Suite struct CheckpointTests {
    /// One SGD step on a batch drawn from `generator` (images and labels), in training mode.
    private func trainStep(_ network: ODENetwork, _ sgd: inout SGD, _ generator: inout Xoshiro256StarStar,
                           learningRate: Double) throws {
        let input = try Tensor.randomNormal(shape: [4, 8, 8, 1], standardDeviation: 1, generator: &generator)
        let labels = (0..<4).map { _ in Int(generator.next() % 3) }
        let (loss, _) = try network.loss(input, labels: labels, on: Tape(), mode: .training)
        try loss.backward()
        try sgd.step(network.parameters, learningRate: learningRate)
    }

    private func runningStatistics(_ network: ODENetwork) -> [[Float]] {
        network.stages.flatMap { $0.steps.flatMap { [$0.bn1.runningMean.elements, $0.bn2.runningVariance.elements] } }
            + [network.headNorm.runningMean.elements, network.headNorm.runningVariance.elements]
    }

    @Test func roundTripIsBitIdentical() throws {
        let folder = try Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("checkpoint.h5").path
        let network = try ODENetwork(spec: Fixture.spec(stepCount: 3, integrators: [.rk4Classic, .heun]), seed: 4)
        var sgd = try SGD(momentum: 0.9, weightDecay: 1e-4)
        var generator = Xoshiro256StarStar(seed: 8)
        try trainStep(network, &sgd, &generator, learningRate: 0.1)
        let words = [generator.state.0, generator.state.1, generator.state.2, generator.state.3]
        let checkpoint = Checkpoint(network: network, optimizerState: sgd.state.keyedByName,
                                    counters: ["epoch": 3, "level": 1, "global_step": -7],
                                    values: ["lr_position": 0.1 + 0.2, "best": .pi], randomStates: ["batches": words],
                                    texts: ["records": "[{\"epoch\": 1, \"note\": \"ü → θ\"}]"],
                                    configuration: "channels=[8,16] N=3 rk4Classic,heun")
        try checkpoint.write(to: path)
        let loaded = try Checkpoint.read(from: path, expectedConfiguration: checkpoint.configuration)
        #expect(loaded.configuration == checkpoint.configuration)
        #expect(loaded.counters == checkpoint.counters && loaded.values == checkpoint.values)
        #expect(loaded.randomStates == ["batches": words])
        #expect(loaded.texts == checkpoint.texts)
        #expect(Set(loaded.optimizerState.keys) == Set(network.parameters.map(\.name)))
        for (name, tensor) in sgd.state.keyedByName {
            #expect(loaded.optimizerState[name]?.shape == tensor.shape)
            #expect(loaded.optimizerState[name]?.elements.map(\.bitPattern) == tensor.elements.map(\.bitPattern))
        }
        #expect(loaded.network.spec == network.spec)
        #expect(loaded.network.parameters.map(\.name) == network.parameters.map(\.name))
        #expect(loaded.network.parameters.map(\.value.elements) == network.parameters.map(\.value.elements))
        #expect(runningStatistics(loaded.network) == runningStatistics(network))
    }

    @Test func largeGeneratorWordsSurvive() throws {
        let folder = try Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("c.h5").path
        let words: [UInt64] = [0, 1, UInt64(Int64.max) + 1, .max]
        try Checkpoint(network: ODENetwork(spec: Fixture.spec(), seed: 1), randomStates: ["g": words],
                       configuration: "x").write(to: path)
        #expect(try Checkpoint.read(from: path, expectedConfiguration: nil).randomStates["g"] == words)
    }

    @Test func resumingWithAnotherConfigurationNamesBoth() throws {
        let folder = try Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("checkpoint.h5").path
        try Checkpoint(network: ODENetwork(spec: Fixture.spec(), seed: 1), configuration: "lr=0.1 seed=1").write(to: path)
        // Free-form (pre-JSON) fingerprints differ as a whole.
        let difference = ConfigurationDifference(field: "configuration", checkpoint: "lr=0.1 seed=1",
                                                  thisRun: "lr=0.2 seed=1")
        #expect(throws: ArchiveError.configurationMismatch(file: path, differences: [difference])) {
            try Checkpoint.read(from: path, expectedConfiguration: "lr=0.2 seed=1")
        }
        let error = ArchiveError.configurationMismatch(file: path, differences: [difference])
        #expect(error.description.contains("lr=0.1 seed=1") && error.description.contains("lr=0.2 seed=1"))
    }

    @Test func resumeEqualsAnUninterruptedRun() throws {
        let folder = try Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("checkpoint.h5").path
        let rates = [0.1, 0.1, 0.05, 0.05]

        // Uninterrupted: four steps.
        let reference = try ODENetwork(spec: Fixture.spec(stepCount: 2), seed: 6)
        var referenceSGD = try SGD(momentum: 0.9, weightDecay: 5e-4)
        var referenceGenerator = Xoshiro256StarStar(seed: 12)
        for rate in rates { try trainStep(reference, &referenceSGD, &referenceGenerator, learningRate: rate) }

        // Interrupted after two steps, checkpointed, resumed from the file alone.
        let network = try ODENetwork(spec: Fixture.spec(stepCount: 2), seed: 6)
        var sgd = try SGD(momentum: 0.9, weightDecay: 5e-4)
        var generator = Xoshiro256StarStar(seed: 12)
        for rate in rates.prefix(2) { try trainStep(network, &sgd, &generator, learningRate: rate) }
        let s = generator.state
        try Checkpoint(network: network, optimizerState: sgd.state.keyedByName, counters: ["step": 2],
                       randomStates: ["batches": [s.0, s.1, s.2, s.3]], configuration: "tiny").write(to: path)

        let resumed = try Checkpoint.read(from: path, expectedConfiguration: "tiny")
        var resumedSGD = try SGD(momentum: 0.9, weightDecay: 5e-4)
        resumedSGD.setState(try [ParameterPath: Tensor](byName: resumed.optimizerState), depth: nil)
        let w = try #require(resumed.randomStates["batches"])
        var resumedGenerator = Xoshiro256StarStar(state: (w[0], w[1], w[2], w[3]))
        for rate in rates[try #require(resumed.counters["step"])...] {
            try trainStep(resumed.network, &resumedSGD, &resumedGenerator, learningRate: rate)
        }
        #expect(resumed.network.parameters.map(\.value.elements) == reference.parameters.map(\.value.elements))
        #expect(runningStatistics(resumed.network) == runningStatistics(reference))
        #expect(resumedSGD.buffers.mapValues(\.elements) == referenceSGD.buffers.mapValues(\.elements))
        // The run did move: the resumed weights differ from the checkpointed ones.
        #expect(resumed.network.parameters.map(\.value.elements) != network.parameters.map(\.value.elements))
    }
}
