// docs-example begins: integrators
import MultilevelResNet
// docs-example ends: integrators
import Foundation
import Testing

/// The "Swapping Integrators" article's example.
@Suite struct SwappingIntegratorsExampleTests {
    @Test("the Swapping Integrators example builds per-stage methods and a tableau")
    func methodsPerStage() throws {
        // docs-example begins: integrators
        // One method per stage: classic RK4 (s = 4) in stage 0, forward Euler in stages 1 and 2.
        let spec = try ODENetSpec(inputShape: [8, 8, 1], classCount: 10, stageChannels: [8, 16, 32], stepCount: 2,
                                  integrators: [IntegratorKind.rk4Classic.method, IntegratorKind.forwardEuler.method,
                                                IntegratorKind.forwardEuler.method])
        let network = try ODENetwork(spec: spec, seed: 0)
        print(network.spec.integrators.map(\.name))   // ["rk4Classic", "forwardEuler", "forwardEuler"]

        // Your own explicit method, checked as it is built (Ralston's second-order method).
        let tableau = try ButcherTableau(name: "myRalston", a: [[0, 0], [2.0 / 3, 0]], b: [0.25, 0.75],
                                         c: [0, 2.0 / 3], order: 2)
        // The same weights, every stage now integrated by the tableau.
        let swapped = try network.integrated(with: [ExplicitRungeKutta(tableau: tableau)])
        print(swapped.spec.integrators.map(\.stageCount))   // [2, 2, 2]

        // A run's configuration names a method per stage; the plan counts F evaluations per image.
        var configuration = ComparisonConfiguration(stageChannels: [8, 16, 32], stepCounts: [2, 4], epochs: 4)
        configuration.integrators = [.tableau(tableau), .method(.forwardEuler), .method(.forwardEuler)]
        let plan = try ComparisonPlan(configuration: configuration)
        print(plan.integratorDescription, plan.functionEvaluationsPerImage(stepCount: 4))
        // docs-example ends: integrators

        #expect(network.spec.integrators.map(\.name) == ["rk4Classic", "forwardEuler", "forwardEuler"])
        #expect(swapped.spec.integrators.map(\.stageCount) == [2, 2, 2])
        #expect(plan.integratorDescription == "myRalston,forwardEuler,forwardEuler")
        #expect(plan.functionEvaluationsPerImage(stepCount: 4) == (2 + 1 + 1) * 4)
    }
}
