import Testing
import Integrators

@Suite("Order conditions up to order 4")
struct OrderConditionTests {
    @Test("each method satisfies the conditions up to its order and fails the next ones",
          arguments: IntegratorKind.allCases)
    func conditionsMatchNominalOrder(kind: IntegratorKind) throws {
        let t = kind.tableau
        let p = min(t.order, OrderCondition.highestOrder)
        #expect(try t.satisfiesOrderConditions(upTo: p))
        if t.order < OrderCondition.highestOrder {
            #expect(try !t.satisfiesOrderConditions(upTo: t.order + 1))
        }
        #expect(t.measuredAlgebraicOrder == p)
    }

    @Test("heun fails the third-order conditions") func heun() throws {
        let residuals = try ButcherTableau.heun.orderConditionResiduals(upTo: 3)
        #expect(residuals.count == 4)
        // Σ b c² = 1/2 for Heun, not 1/3; Σ b a c = 0, not 1/6.
        #expect(abs(residuals[2].residual - (0.5 - 1.0 / 3)) < 1e-15)
        #expect(abs(residuals[3].residual + 1.0 / 6) < 1e-15)
        #expect(ButcherTableau.heun.measuredAlgebraicOrder == 2)
    }

    @Test("rk4Classic and the 3/8 rule satisfy all eight conditions") func rk4() throws {
        for t in [ButcherTableau.rk4Classic, .rk4ThreeEighths] {
            let residuals = try t.orderConditionResiduals(upTo: 4)
            #expect(residuals.count == 8)
            #expect(residuals.allSatisfy { abs($0.residual) <= 4 * Double.ulpOfOne }, "\(t.name)")
        }
    }

    @Test("ssprk3 fails order 4") func ssprk3() throws {
        #expect(try ButcherTableau.ssprk3.satisfiesOrderConditions(upTo: 3))
        #expect(try !ButcherTableau.ssprk3.satisfiesOrderConditions(upTo: 4))
    }

    @Test("a perturbed weight breaks the order") func perturbed() throws {
        let t = ButcherTableau.rk4Classic
        // Swap b_3 and b_4: still consistent (Σ b = 1), no longer second order.
        let swappedB = [1.0 / 6, 1.0 / 3, 1.0 / 6, 1.0 / 3]
        let swapped = try ButcherTableau(name: "swapped", a: t.a, b: swappedB, c: t.c, order: 1)
        #expect(swapped.measuredAlgebraicOrder == 1)
        // Claiming the original order 4 is refused at construction, naming the first failing condition.
        #expect(throws: ButcherTableauError.self) {
            try ButcherTableau(name: "swapped", a: t.a, b: swappedB, c: t.c, order: 4)
        }
    }

    @Test("embedded weights: Bogacki–Shampine order 2, Dormand–Prince order 4") func embedded() throws {
        #expect(ButcherTableau.bogackiShampine32.embeddedMeasuredAlgebraicOrder == 2)
        #expect(try !ButcherTableau.bogackiShampine32.satisfiesOrderConditions(upTo: 3, weights: .embedded))
        #expect(ButcherTableau.dormandPrince54.embeddedMeasuredAlgebraicOrder == 4)
        #expect(ButcherTableau.rk4Classic.embeddedMeasuredAlgebraicOrder == nil)
        #expect(throws: OrderConditionError.noEmbeddedWeights(tableau: "rk4Classic")) {
            try ButcherTableau.rk4Classic.satisfiesOrderConditions(upTo: 2, weights: .embedded)
        }
    }

    @Test("orders outside 1…4 are refused") func unsupported() {
        #expect(throws: OrderConditionError.unsupportedOrder(requested: 5, highest: 4)) {
            try ButcherTableau.dormandPrince54.satisfiesOrderConditions(upTo: 5)
        }
        #expect(throws: OrderConditionError.unsupportedOrder(requested: 0, highest: 4)) {
            try ButcherTableau.heun.orderConditionResiduals(upTo: 0)
        }
    }

    @Test("the eight conditions: counts per order and right-hand sides 1/γ") func catalogue() {
        #expect(OrderCondition.all.map(\.order) == [1, 2, 3, 3, 4, 4, 4, 4])
        let densities: [Double] = [1, 2, 3, 6, 4, 8, 12, 24]
        #expect(OrderCondition.all.map(\.expected) == densities.map { 1 / $0 })
    }
}
