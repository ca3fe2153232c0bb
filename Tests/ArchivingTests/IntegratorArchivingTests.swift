import Autodiff
import Foundation
import HDF5Storage
import Integrators
import ODENet
import TensorCore
import Testing
@testable import Archiving

/// LM-ResNet with a fixed coefficient k (a test-only method with a parameter and a past state):
/// ```
/// Y_{n+1} = (1 − k) Y_n + k Y_{n−1} + h F(Y_n),     starter  Y_{−1} = Y_0 (the first step is plain)
/// ```
struct FixedLMResNet: Integrator {
    let k: Double
    var name: String { "lmResNet" }
    var stageCount: Int { 1 }
    var order: Int { 1 }
    var identity: IntegratorIdentity { .kind("lmResNet", parameters: [k]) }
    var carriedStateCount: Int { 1 }
    var startingEvaluationCount: Int { 0 }

    func start<State: VectorSpace>(_ y0: State, at t0: Double, stepSize h: Double,
                                   rightHandSide f: (Double, State) throws -> State) throws -> [State] { [y0] }

    func step<State: VectorSpace>(_ y: State, carried: inout [State], at t: Double, stepSize h: Double,
                                  rightHandSide f: (Double, State) throws -> State) throws -> State {
        let next = try State.linearCombination(y, weights: [-k, k, h], terms: [y, carried[0], f(t, y)])
        carried = [y]
        return next
    }

    /// The catalogue that reads it back.
    static let catalogue = IntegratorCatalogue.builtIn.registering(kind: "lmResNet") { parameters in
        guard parameters.count == 1 else { throw IntegrationError.invalidStepCount(parameters.count) }
        return FixedLMResNet(k: parameters[0])
    }
}

@Suite("Archives record every kind of integrator")
struct IntegratorArchivingTests {
    private func level(_ integrators: [any Integrator]) throws -> ArchivedLevel {
        let spec = try ODENetSpec(inputShape: [8, 8, 1], classCount: 3, stageChannels: [8, 16], stepCount: 3,
                                  finalTime: 1, integrators: integrators)
        let network = try Fixture.trainedNetwork(ODENetwork(spec: spec, seed: 3), seed: 21)
        return ArchivedLevel(index: 0, network: network, cycle: 0, epochs: 1, testAccuracy: 0.5, wallSeconds: 1)
    }

    @Test("a method that is not a tableau round-trips through a level archive beside a tableau method")
    func kindRoundTrip() throws {
        let folder = try Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("lm.h5").path
        let written = try level([FixedLMResNet(k: 0.25), IntegratorKind.heun.method])
        try LevelArchive.write(levels: [written], metadata: Fixture.metadata, to: path)
        let read = try LevelArchive.read(from: path, integrators: FixedLMResNet.catalogue).levels[0].network
        #expect(read.spec == written.network.spec)
        #expect((read.stages[0].integrator as? FixedLMResNet)?.k == 0.25)
        #expect(read.stages[1].integrator.identity == .tableau(.heun))
        let input = try Fixture.batch(seed: 7)
        #expect(try Fixture.logits(read, input).map(\.bitPattern) == Fixture.logits(written.network, input).map(\.bitPattern))

        let file = try HDF5File.open(at: path)
        defer { try? file.close() }
        let stage0 = try file.root.openGroup("integrator/0")
        #expect(try stage0.attributes.string("kind") == "lmResNet")
        #expect(try stage0.attributes.string("name") == "lmResNet")
        #expect(try stage0.attributes.doubleArray("parameters") == [0.25])
        #expect(try stage0.children().isEmpty)
        #expect(try file.root.read("integrator/1/a", as: Double.self).shape == [2, 2])
        #expect(try !file.root.openGroup("integrator/1").attributes.contains("kind"))
    }

    @Test("an unknown method kind in a file is a typed error naming the file, the group and the attribute")
    func unknownKind() throws {
        let folder = try Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("lm.h5").path
        try LevelArchive.write(levels: [level([FixedLMResNet(k: 0.5)])], metadata: Fixture.metadata, to: path)
        #expect(throws: ArchiveError.unknownIntegrator(file: path, object: "/integrator", attribute: "kind",
                                                       kind: "lmResNet", known: [])) {
            try LevelArchive.read(from: path)
        }
        let other = IntegratorCatalogue.builtIn.registering(kind: "leapfrog") { _ in ForwardEuler() }
        #expect(throws: ArchiveError.unknownIntegrator(file: path, object: "/integrator", attribute: "kind",
                                                       kind: "lmResNet", known: ["leapfrog"])) {
            try LevelArchive.read(from: path, integrators: other)
        }
        let message = ArchiveError.unknownIntegrator(file: path, object: "/integrator", attribute: "kind",
                                                     kind: "lmResNet", known: []).description
        #expect(message.contains(path) && message.contains("'kind'") && message.contains("lmResNet"))
    }

    @Test("a checkpoint round-trips a method that is not a tableau")
    func checkpointRoundTrip() throws {
        let folder = try Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("checkpoint.h5").path
        let network = try level([FixedLMResNet(k: 0.75)]).network
        try Checkpoint(network: network, configuration: "lm").write(to: path)
        let loaded = try Checkpoint.read(from: path, expectedConfiguration: nil, integrators: FixedLMResNet.catalogue)
        #expect(loaded.network.spec == network.spec)
        #expect((loaded.network.stages[1].integrator as? FixedLMResNet)?.k == 0.75)
        #expect(throws: ArchiveError.self) { try Checkpoint.read(from: path, expectedConfiguration: nil) }
    }

    @Test("tableau methods keep the layout h5py users read: /integrator holds a, b, c and the attributes of old")
    func tableauLayoutUnchanged() throws {
        let folder = try Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for (kind, stored) in [(IntegratorKind.forwardEuler, ForwardEuler() as any Integrator),
                               (.forwardEuler, ExplicitRungeKutta(tableau: .forwardEuler)),
                               (.bogackiShampine32, IntegratorKind.bogackiShampine32.method)] {
            let path = folder.appendingPathComponent("\(kind)-\(type(of: stored)).h5").path
            try LevelArchive.write(levels: [level([stored])], metadata: Fixture.metadata, to: path)
            let file = try HDF5File.open(at: path)
            let group = try file.root.openGroup("integrator")
            let hasBHat = kind.tableau.bHat != nil
            #expect(try group.attributes.names().sorted()
                    == (hasBHat ? ["embedded_order", "name", "order", "per_stage"] : ["name", "order", "per_stage"]))
            #expect(try group.children().map(\.name).sorted() == (hasBHat ? ["a", "b", "b_hat", "c"] : ["a", "b", "c"]))
            #expect(try group.read("b", as: Double.self).values == kind.tableau.b)
            try file.close()
            // A catalogue tableau reads back as the catalogue's method (the fast path for forward Euler).
            let read = try LevelArchive.read(from: path).levels[0].network
            #expect(read.stages.allSatisfy { $0.integrator.identity == .tableau(kind.tableau) })
            #expect(read.stages.allSatisfy { type(of: $0.integrator) == type(of: kind.method) })
        }
    }
}

// The leapfrog of the README's "Putting a method into a stage" (DocumentationExamplesTests keeps
// the two identical).
// docs-example begins: readme-leapfrog
/// Leapfrog: Y_{n+1} = 2Y_n − Y_{n−1} + h² F(Y_n), starter Y_{−1} = Y_0.
struct Leapfrog: Integrator {
    var name: String { "leapfrog" }
    var stageCount: Int { 1 }                                   // evaluations of F per step
    var order: Int { 2 }
    var identity: IntegratorIdentity { .kind("leapfrog", parameters: []) }   // what archives record
    var carriedStateCount: Int { 1 }                            // the past state Y_{n−1}
    var startingEvaluationCount: Int { 0 }

    func start<State: VectorSpace>(_ y0: State, at t0: Double, stepSize h: Double,
                                   rightHandSide f: (Double, State) throws -> State) throws -> [State] {
        [y0]                                                    // Y_{−1} = Y_0
    }

    func step<State: VectorSpace>(_ y: State, carried: inout [State], at t: Double, stepSize h: Double,
                                  rightHandSide f: (Double, State) throws -> State) throws -> State {
        let next = try State.linearCombination(y, weights: [1, -1, h * h], terms: [y, carried[0], f(t, y)])
        carried = [y]                                           // Y_n becomes the next step's Y_{n−1}
        return next
    }
}
// docs-example ends: readme-leapfrog

@Suite("README: putting a method into a stage")
struct IntegratorReadmeExampleTests {
    @Test("the README example runs: one method per stage, written and read back with a catalogue")
    func example() throws {
        let folder = try Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("leapfrog.h5").path
        let metadata = Fixture.metadata
        // docs-example begins: readme-leapfrog
        // One method per stage: leapfrog, the forward-Euler fast path, classic RK4.
        let spec = try ODENetSpec(inputShape: [8, 8, 1], classCount: 10, stageChannels: [8, 16, 32], stepCount: 2,
                                  integrators: [Leapfrog(), IntegratorKind.forwardEuler.method, IntegratorKind.rk4Classic.method])
        let network = try ODENetwork(spec: spec, seed: 0)
        try LevelArchive.write(levels: [ArchivedLevel(index: 0, network: network)], metadata: metadata, to: path)
        // Tableaux are read back by themselves; another kind must be registered (else ArchiveError.unknownIntegrator).
        let catalogue = IntegratorCatalogue.builtIn.registering(kind: "leapfrog") { _ in Leapfrog() }
        let reloaded = try LevelArchive.read(from: path, integrators: catalogue).level(0)?.network
        // docs-example ends: readme-leapfrog

        let loaded = try #require(reloaded)
        #expect(loaded.spec == spec)
        #expect(loaded.stages.map(\.integrator.name) == ["leapfrog", "forwardEuler", "rk4Classic"])
        #expect(loaded.stages[1].integrator is ForwardEuler)
        let input = try Fixture.batch(seed: 9)
        #expect(try Fixture.logits(loaded, input) == Fixture.logits(network, input))
        // The same value on plain vectors: y'' = −y, y(0) = 1; the starter Y_{−1} = Y_0 sets the velocity
        // at −h/2 to 0 instead of sin(h/2), an error of about h/2 · sin(1) ≈ 0.0066 at t = 1 for h = 1/64.
        let result = try Leapfrog().solve([1.0], finalTime: 1, stepCount: 64) { _, y in [-y[0]] }
        let error = abs(result.finalState[0] - cos(1.0))
        #expect(error < 1.0 / 64 && error > 1e-4)
    }
}
