import Foundation
import Testing
@testable import Integrators

@Suite("Measured order of convergence")
struct ConvergenceStudyTests {
    private let study = ConvergenceStudy()

    @Test("every catalogue method reaches its nominal order (|p̂ − p| ≤ 0.2) on all three problems",
          arguments: IntegratorKind.allCases)
    func catalogueOrders(kind: IntegratorKind) throws {
        let result = try study.measure(kind.integrator)
        #expect(result.measurements.map(\.problem) == ["exponentialDecay", "timeDependentGrowth", "rotation"])
        for m in result.measurements {
            #expect(abs(m.estimatedOrder - Double(kind.tableau.order)) <= 0.2, "\(kind) on \(m.problem): p̂ = \(m.estimatedOrder)")
            #expect(m.passed)
            // Errors fall monotonically and stay well above roundoff.
            #expect(zip(m.errors, m.errors.dropFirst()).allSatisfy { $0 > $1 })
            #expect(m.errors.allSatisfy { $0 > 1e-14 })
        }
        #expect(result.passed)
    }

    @Test("embedded solutions reach their own order", arguments: [IntegratorKind.bogackiShampine32, .dormandPrince54])
    func embeddedOrders(kind: IntegratorKind) throws {
        let t = kind.tableau
        let p = try #require(t.embeddedOrder)
        let embedded = try ButcherTableau(name: "\(t.name).embedded", a: t.a, b: try #require(t.bHat), c: t.c, order: p)
        // On y' = t y the leading global error of Dormand–Prince's embedded 4th-order solution
        // changes sign near T = 1 (errors fall by 30, 34, 42, 124 per halving: p̂ ≈ 5.5), so the
        // embedded orders are measured on the two linear problems only.
        let linear = ConvergenceStudy(problems: [.exponentialDecay, .rotation])
        let result = try linear.measure(ExplicitRungeKutta(tableau: embedded))
        #expect(result.measurements.count == 2)
        for m in result.measurements {
            #expect(abs(m.estimatedOrder - Double(p)) <= 0.2, "\(embedded.name) on \(m.problem): p̂ = \(m.estimatedOrder)")
        }
    }

    @Test("a method that claims too high an order fails the study")
    func detectsWrongOrder() throws {
        // Heun's tableau labelled order 3: measured ≈ 2, so it must fail. The public initializer
        // refuses the false claim, so the liar is built through the catalogue's unvalidated one.
        let t = ButcherTableau.heun
        let liar = ButcherTableau(unvalidatedName: "heunClaimingThree", a: t.a, b: t.b, c: t.c, order: 3,
                                  bHat: nil, embeddedOrder: nil)
        let result = try study.measure(ExplicitRungeKutta(tableau: liar))
        #expect(!result.passed)
        #expect(result.measurements.allSatisfy { abs($0.estimatedOrder - 2) <= 0.2 })
    }

    @Test("the fit recovers the exponent of an exact power law")
    func fit() throws {
        let h = [0.5, 0.25, 0.125, 0.0625]
        let fit = try fitLogLog(h: h, error: h.map { 3 * pow($0, 2.5) })
        #expect(abs(fit.slope - 2.5) < 1e-12)
        #expect(abs(fit.intercept - log(3)) < 1e-12)
        #expect(throws: ConvergenceStudyError.degenerateFit(pointCount: 2)) {
            try fitLogLog(h: [0.5, 0.5], error: [1, 2])
        }
    }

    @Test("unusable inputs are typed errors")
    func errors() {
        #expect(throws: ConvergenceStudyError.invalidStepCounts([8])) {
            try study.measure(ForwardEuler(), on: .rotation, stepCounts: [8])
        }
        #expect(throws: ConvergenceStudyError.invalidStepCounts([0, 8])) {
            try study.measure(ForwardEuler(), on: .rotation, stepCounts: [0, 8])
        }
        // Forward Euler is exact on y' = 1: error 0, log undefined.
        let constant = ConvergenceProblem(name: "constant", equation: "y' = 1", initialValue: [0], finalTime: 1,
                                          rightHandSide: { _, _ in [1] }, exactSolution: { t in [t] })
        #expect(throws: ConvergenceStudyError.unusableError(problem: "constant", method: "forwardEuler", stepCount: 4, error: 0)) {
            try study.measure(ForwardEuler(), on: constant, stepCounts: [4, 8])
        }
        let mislabelled = ConvergenceProblem(name: "mislabelled", equation: "y' = -y", initialValue: [1], finalTime: 1,
                                             rightHandSide: { _, y in [-y[0]] }, exactSolution: { t in [exp(-t), 0] })
        #expect(throws: ConvergenceStudyError.exactSolutionCountMismatch(problem: "mislabelled", stateCount: 1, exactCount: 2)) {
            try study.measure(ForwardEuler(), on: mislabelled, stepCounts: [4, 8])
        }
    }

    @Test("step counts are powers of two, coarser for higher orders")
    func stepCounts() {
        #expect(ConvergenceStudy.stepCounts(forOrder: 1) == [16, 32, 64, 128, 256])
        #expect(ConvergenceStudy.stepCounts(forOrder: 3) == [8, 16, 32, 64, 128])
        #expect(ConvergenceStudy.stepCounts(forOrder: 5) == [4, 8, 16, 32, 64])
    }
}
