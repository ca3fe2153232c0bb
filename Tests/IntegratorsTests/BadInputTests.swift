import Foundation
import Testing
@testable import Integrators

@Suite("Integrators: claimed orders and oversized trajectories are refused")
struct IntegratorsBadInputTests {
    @Test("every catalogue tableau reaches its claimed orders", arguments: IntegratorKind.allCases)
    func catalogueMeetsItsClaims(kind: IntegratorKind) throws {
        // The catalogue is built unvalidated: check the new order check on every entry explicitly.
        try kind.tableau.validateClaimedOrders()
    }

    @Test("a claimed order the conditions do not support is a typed error")
    func falseOrderClaims() throws {
        let euler = ButcherTableau.forwardEuler
        #expect(throws: ButcherTableauError.orderConditionViolated(field: "order", order: 99,
                                                                   condition: "Σ b_i c_i = 1/2", residual: -0.5)) {
            try ButcherTableau(name: "euler99", a: euler.a, b: euler.b, c: euler.c, order: 99)
        }
        let heun = ButcherTableau.heun
        #expect(throws: ButcherTableauError.orderConditionViolated(field: "embeddedOrder", order: 2,
                                                                   condition: "Σ b_i c_i = 1/2", residual: -0.5)) {
            try ButcherTableau(name: "heunPair", a: heun.a, b: heun.b, c: heun.c, order: 2,
                               bHat: [1, 0], embeddedOrder: 2)
        }
        // Order 5 is checked up to 4: Dormand–Prince passes, classic RK4 claiming 5 passes too
        // (documented limit), Heun claiming 5 fails at order 3.
        #expect(throws: Never.self) {
            let t = ButcherTableau.rk4Classic
            try ButcherTableau(name: "rk4", a: t.a, b: t.b, c: t.c, order: 5)
        }
        #expect(throws: ButcherTableauError.self) {
            try ButcherTableau(name: "heun5", a: heun.a, b: heun.b, c: heun.c, order: 5)
        }
        let json = #"{"name":"liar","a":[[0]],"b":[1],"c":[0],"order":2}"#
        #expect(throws: ButcherTableauError.self) {
            try JSONDecoder().decode(ButcherTableau.self, from: Data(json.utf8))
        }
    }

    @Test("recording a trajectory of Int.max steps is refused before any evaluation")
    func hugeTrajectory() {
        var calls = 0
        let f: (Double, [Double]) throws -> [Double] = { _, y in calls += 1; return y }
        #expect(throws: IntegrationError.trajectoryTooLong(stepCount: Int.max, limit: 1 << 24)) {
            try ForwardEuler().solve([1.0], finalTime: 1, stepCount: Int.max, recordTrajectory: true, rightHandSide: f)
        }
        #expect(throws: IntegrationError.trajectoryTooLong(stepCount: (1 << 24) + 1, limit: 1 << 24)) {
            try ExplicitRungeKutta(tableau: .rk4Classic).solve([1.0], finalTime: 1, stepCount: (1 << 24) + 1,
                                                               recordTrajectory: true, rightHandSide: f)
        }
        #expect(calls == 0)
    }
}
