import Foundation
import Integrators
import ODENet
import TensorCore
import Testing
import Training

/// The configuration's per-stage methods (``IntegratorChoice``) and its list of runs.
@Suite("Comparison configuration: per-stage methods and runs", .serialized)
struct ComparisonConfigurationTests {
    static let threeStages = ComparisonConfiguration(
        stageChannels: [4, 8, 8], stepCounts: [1, 2], epochs: 2, maximumLearningRate: 0.05,
        minimumLearningRate: 0.001, training: TrainingFixture.configuration, networkSeed: 3)

    /// The `name` of an ``TrainingError/invalidConfiguration(name:value:expected:)``, else `nil`.
    static func invalidField(_ error: TrainingError?) -> String? {
        guard case let .invalidConfiguration(name, _, _)? = error else { return nil }
        return name
    }

    @Test("One method per stage builds a spec with that method on each stage (the Euler fast path kept)")
    func perStageMethods() throws {
        var configuration = Self.threeStages
        configuration.integrators = [.method(.rk4Classic), .method(.forwardEuler), .method(.forwardEuler)]
        let plan = try ComparisonPlan(configuration: configuration)
        let spec = try plan.spec(stepCount: 2, finalTime: 1, data: TrainingFixture.data())
        #expect(spec.integrators.map(\.identity) == [.tableau(.rk4Classic), .tableau(.forwardEuler), .tableau(.forwardEuler)])
        #expect(spec.integrators[0] is ExplicitRungeKutta)
        #expect(spec.integrators[1] is ForwardEuler && spec.integrators[2] is ForwardEuler)
        // F per image at N = 2: 4·2 + 1·2 + 1·2.
        #expect(plan.functionEvaluationsPerImage(stepCount: 2) == 12)
        #expect(plan.integratorDescription == "rk4Classic,forwardEuler,forwardEuler")
        // RK4 on stage 0 costs more multiply–adds than Euler there.
        let euler = try ComparisonPlan(configuration: Self.threeStages)
        #expect(try spec.forwardMultiplyAccumulates
                > euler.spec(stepCount: 2, finalTime: 1, data: TrainingFixture.data()).forwardMultiplyAccumulates)
    }

    @Test("One entry is every stage: the same spec as the kind's method, named once")
    func oneEntryForEveryStage() throws {
        var configuration = Self.threeStages
        configuration.integrators = [.method(.heun)]
        let plan = try ComparisonPlan(configuration: configuration)
        let data = try TrainingFixture.data()
        let spec = try plan.spec(stepCount: 2, finalTime: 1, data: data)
        let direct = try ODENetSpec(inputShape: [8, 8, 1], classCount: 10, stageChannels: [4, 8, 8], stepCount: 2,
                                    finalTime: 1, integrators: [IntegratorKind.heun.method])
        #expect(spec == direct)
        #expect(plan.stageMethods == Array(repeating: .method(.heun), count: 3))
        #expect(plan.functionEvaluationsPerImage(stepCount: 2) == 3 * 2 * 2)
        #expect(plan.integratorDescription == "heun")
        // The default is forward Euler on every stage, through its fast path.
        let euler = try ComparisonPlan(configuration: Self.threeStages).spec(stepCount: 2, finalTime: 1, data: data)
        #expect(euler.integrators.allSatisfy { $0 is ForwardEuler })
    }

    @Test("A tableau choice round-trips through JSON and runs as its explicit Runge–Kutta method")
    func tableauRoundTrip() throws {
        // Ralston's coefficients under another name: a user's method, not a catalogue kind.
        let mine = try ButcherTableau(name: "mine", a: [[0, 0], [2.0 / 3, 0]], b: [0.25, 0.75], c: [0, 2.0 / 3], order: 2)
        var configuration = Self.threeStages
        configuration.integrators = [.tableau(mine), .method(.forwardEuler), .tableau(mine)]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = try encoder.encode(configuration)
        let decoded = try JSONDecoder().decode(ComparisonConfiguration.self, from: json)
        #expect(decoded == configuration)
        #expect(decoded.integrators[0] == .tableau(mine))
        let text = String(decoding: json, as: UTF8.self)
        #expect(text.contains(#"{"method":"forwardEuler"}"#) && text.contains(#""tableau":{"#))
        let spec = try ComparisonPlan(configuration: decoded).spec(stepCount: 1, finalTime: 1, data: TrainingFixture.data())
        #expect(spec.integrators[0].identity == .tableau(mine) && spec.integrators[0] is ExplicitRungeKutta)
        #expect(try ComparisonPlan(configuration: decoded).integratorDescription == "mine,forwardEuler,mine")
        // Neither or both keys, an unknown method, an invalid tableau: refused while decoding.
        for bad in [#"{}"#, #"{"method":"rk4Classic","tableau":null}"#, #"{"method":"rk5"}"#,
                    #"{"tableau":{"name":"x","a":[[0]],"b":[0.5],"c":[0],"order":1}}"#] {
            #expect(throws: (any Error).self, "\(bad)") {
                try JSONDecoder().decode(IntegratorChoice.self, from: Data(bad.utf8))
            }
        }
    }

    @Test("A method count that is neither 1 nor the stage count is refused, naming the field")
    func wrongMethodCount() {
        for integrators: [IntegratorChoice] in [[], [.method(.heun), .method(.heun)],
                                                Array(repeating: .method(.heun), count: 4)] {
            var configuration = Self.threeStages
            configuration.integrators = integrators
            let error = #expect(throws: TrainingError.self) { try ComparisonPlan(configuration: configuration) }
            #expect(Self.invalidField(error) == "integrators", "\(integrators.count) methods: \(String(describing: error))")
        }
    }

    @Test("An empty or repeating run list is refused, naming the field")
    func invalidRuns() {
        for runs: [ComparisonRunKind] in [[], [.full, .naive, .full]] {
            var configuration = Self.threeStages
            configuration.runs = runs
            let error = #expect(throws: TrainingError.self) { try ComparisonPlan(configuration: configuration) }
            #expect(Self.invalidField(error) == "runs", "\(runs): \(String(describing: error))")
        }
        #expect(ComparisonConfiguration().runs == [.full, .multilevel, .naive])
    }

    @Test("The runs list decides which runs are trained, in its order, and the report keeps it")
    func runsDecideTraining() throws {
        let folder = TrainingFixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var configuration = ComparisonConfiguration(
            stageChannels: [4, 4], stepCounts: [1, 2], epochs: 2, maximumLearningRate: 0.05, minimumLearningRate: 0.001,
            training: TrainingFixture.configuration, networkSeed: 3)
        configuration.runs = [.shallow, .full]
        configuration.integrators = [.method(.heun), .method(.forwardEuler)]
        let report = try ComparisonRunner(plan: ComparisonPlan(configuration: configuration))
            .run(data: TrainingFixture.data(), outputFolder: folder)
        #expect(report.runs.map(\.kind) == [.shallow, .full])
        #expect(report.run(.shallow)?.levels.map(\.stepCount) == [1] && report.run(.full)?.levels.map(\.stepCount) == [2])
        // Saved time against (a) is known for (d) although (a) was trained after it.
        #expect(report.run(.shallow)?.timeSavedVersusFull != nil)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(files.contains("shallow.jsonl") && files.contains("full.jsonl"))
        #expect(!files.contains { $0.hasPrefix("multilevel") || $0.hasPrefix("naive") })
        // Heun (2 evaluations per step) on stage 0, Euler on stage 1: F per image at N = 2 is 2·2 + 2.
        #expect(report.integrator == "heun,forwardEuler")
        #expect(report.run(.full)?.functionEvaluationsPerImage == 6 && report.run(.full)?.trainingFunctionEvaluationsPerImage == 12)
        #expect(report.run(.shallow)?.functionEvaluationsPerImage == 3)
    }
}
