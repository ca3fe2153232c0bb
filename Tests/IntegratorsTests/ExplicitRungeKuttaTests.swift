import Foundation
import Testing
import Integrators

@Suite("ExplicitRungeKutta: one step, evaluation counts, stage times")
struct ExplicitRungeKuttaTests {
    @Test("rk4Classic on y' = y: y1 = 1 + h + h²/2 + h³/6 + h⁴/24", arguments: [0.5, 0.1, 0.01])
    func rk4OneStep(h: Double) throws {
        let y1 = try ExplicitRungeKutta(tableau: .rk4Classic).step([1.0], at: 0, stepSize: h) { _, y in y }
        let expected = 1 + h + h * h / 2 + h * h * h / 6 + h * h * h * h / 24
        #expect(abs(y1[0] - expected) <= 4 * Double.ulpOfOne * expected)
    }

    @Test("rk4Classic evaluates F at t, t + h/2, t + h/2, t + h with the classical stage inputs")
    func rk4StageTimesAndInputs() throws {
        var calls: [(t: Double, y: Double)] = []
        let (t0, h) = (0.25, 0.5)
        _ = try ExplicitRungeKutta(tableau: .rk4Classic).step([2.0], at: t0, stepSize: h) { t, y in
            calls.append((t, y[0]))
            return [t + y[0]]
        }
        #expect(calls.map(\.t) == [0.25, 0.5, 0.5, 0.75])
        let k1 = t0 + 2, k2 = (t0 + h / 2) + (2 + h / 2 * k1), k3 = (t0 + h / 2) + (2 + h / 2 * k2)
        #expect(calls.map(\.y) == [2, 2 + h / 2 * k1, 2 + h / 2 * k2, 2 + h * k3])
    }

    @Test("zero coefficients are skipped; stages with an all-zero row get y_n itself")
    func combinationsAskedFor() throws {
        var inputs: [CountingVector] = []
        let y1 = try ExplicitRungeKutta(tableau: .rk4Classic).step(
            CountingVector(value: 1), at: 0, stepSize: 0.1
        ) { _, y in
            inputs.append(y)
            return CountingVector(value: y.value)
        }
        // Stage 1 receives y_n untouched; stages 2–4 one combination with one nonzero a_ij each.
        #expect(inputs.map(\.combinations) == [0, 1, 1, 1])
        #expect(inputs.map(\.termCounts) == [[], [1], [1], [1]])
        // The update uses the four nonzero b_i.
        #expect(y1.termCounts == [4])

        // Bogacki–Shampine: b_4 = 0 and a_31 = 0 are skipped.
        inputs = []
        let z1 = try ExplicitRungeKutta(tableau: .bogackiShampine32).step(
            CountingVector(value: 1), at: 0, stepSize: 0.1
        ) { _, y in
            inputs.append(y)
            return CountingVector(value: y.value)
        }
        #expect(inputs.map(\.termCounts) == [[], [1], [1], [3]])
        #expect(z1.termCounts == [3])
    }

    @Test("function evaluations are exactly s·N", arguments: IntegratorKind.allCases)
    func evaluationCounts(kind: IntegratorKind) throws {
        let integrator = kind.integrator
        for n in [1, 3, 8] {
            var calls = 0
            let result = try integrator.solve([1.0, 0.5], finalTime: 1, stepCount: n) { _, y in
                calls += 1
                return [-y[1], y[0]]
            }
            #expect(calls == integrator.stageCount * n, "\(kind) N = \(n)")
            #expect(result.functionEvaluations == integrator.stageCount * n, "\(kind) N = \(n)")
        }
    }

    @Test("an error thrown by F stops the step at that stage")
    func rightHandSideErrorPropagates() {
        struct Boom: Error, Equatable {}
        var calls = 0
        #expect(throws: Boom()) {
            try ExplicitRungeKutta(tableau: .rk4Classic).step([1.0], at: 0, stepSize: 0.1) { _, y in
                calls += 1
                if calls == 2 { throw Boom() }
                return y
            }
        }
        #expect(calls == 2)
    }

    @Test("F returning another shape is a typed error, not a crash")
    func shapeMismatch() {
        #expect(throws: VectorSpaceError.countMismatch(termIndex: 0, baseCount: 2, termCount: 3)) {
            try ExplicitRungeKutta(tableau: .heun).step([1.0, 2.0], at: 0, stepSize: 0.1) { _, _ in [1, 2, 3] }
        }
    }

    @Test("the catalogue maps names to integrators")
    func kinds() throws {
        #expect(IntegratorKind.allCases.count == 10)
        for kind in IntegratorKind.allCases {
            #expect(kind.integrator.name == kind.rawValue)
            #expect(kind.integrator.order == kind.tableau.order)
            #expect(IntegratorKind(rawValue: kind.rawValue) == kind)
        }
        #expect(IntegratorKind(rawValue: "rk4") == nil)
        let data = try JSONEncoder().encode(IntegratorKind.allCases)
        #expect(String(decoding: data, as: UTF8.self).contains(#""rk4ThreeEighths""#))
        #expect(try JSONDecoder().decode([IntegratorKind].self, from: data) == IntegratorKind.allCases)
    }
}
