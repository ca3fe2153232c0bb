import Foundation
import Testing
@testable import Integrators

@Suite("ButcherTableau: construction, validation, catalogue")
struct ButcherTableauTests {
    /// A valid two-stage tableau (Heun) that the invalid cases below perturb one field at a time.
    private let a: [[Double]] = [[0, 0], [1, 0]]
    private let b: [Double] = [0.5, 0.5]
    private let c: [Double] = [0, 1]

    private func make(
        a: [[Double]]? = nil, b: [Double]? = nil, c: [Double]? = nil, order: Int = 2,
        bHat: [Double]? = nil, embeddedOrder: Int? = nil
    ) throws -> ButcherTableau {
        try ButcherTableau(name: "test", a: a ?? self.a, b: b ?? self.b, c: c ?? self.c, order: order,
                           bHat: bHat, embeddedOrder: embeddedOrder)
    }

    @Test("every catalogue tableau passes the validating initializer unchanged", arguments: IntegratorKind.allCases)
    func catalogueValidates(kind: IntegratorKind) throws {
        let t = kind.tableau
        let rebuilt = try ButcherTableau(name: t.name, a: t.a, b: t.b, c: t.c, order: t.order,
                                         bHat: t.bHat, embeddedOrder: t.embeddedOrder)
        #expect(rebuilt == t)
        #expect(t.name == kind.rawValue)
        #expect(t.a.count == t.stageCount && t.c.count == t.stageCount)
    }

    @Test("stage counts and orders of the catalogue")
    func catalogueShape() {
        let expected: [IntegratorKind: (s: Int, p: Int)] = [
            .forwardEuler: (1, 1), .explicitMidpoint: (2, 2), .heun: (2, 2), .ralston: (2, 2),
            .kutta3: (3, 3), .ssprk3: (3, 3), .rk4Classic: (4, 4), .rk4ThreeEighths: (4, 4),
            .bogackiShampine32: (4, 3), .dormandPrince54: (7, 5),
        ]
        for kind in IntegratorKind.allCases {
            #expect(kind.tableau.stageCount == expected[kind]?.s, "\(kind)")
            #expect(kind.tableau.order == expected[kind]?.p, "\(kind)")
        }
        #expect(ButcherTableau.bogackiShampine32.embeddedOrder == 2)
        #expect(ButcherTableau.dormandPrince54.embeddedOrder == 4)
        #expect(ButcherTableau.rk4Classic.bHat == nil)
    }

    @Test("rk4Classic is the classical method, not the 3/8 rule")
    func rk4IsClassic() {
        let sixth: Double = 1.0 / 6, third: Double = 1.0 / 3
        let classicB: [Double] = [sixth, third, third, sixth]
        #expect(ButcherTableau.rk4Classic.b == classicB)
        #expect(ButcherTableau.rk4Classic.c == [0, 0.5, 0.5, 1])
        #expect(ButcherTableau.rk4ThreeEighths.b == [0.125, 0.375, 0.375, 0.125])
        #expect(ButcherTableau.rk4Classic != ButcherTableau.rk4ThreeEighths)
    }

    @Test("FSAL is detected for Bogacki–Shampine and Dormand–Prince only")
    func firstSameAsLast() {
        for kind in IntegratorKind.allCases {
            let fsal = kind == .bogackiShampine32 || kind == .dormandPrince54
            #expect(kind.tableau.isFirstSameAsLast == fsal, "\(kind)")
        }
    }

    @Test("exact ratios reduce and convert once")
    func exactRatio() {
        let r: ExactRatio = 19372/6561
        #expect(r == ExactRatio(19372, 6561))
        #expect((6/4 as ExactRatio) == ExactRatio(3, 2))
        #expect((-56/15 as ExactRatio).value == -56.0 / 15.0)
        #expect(ExactRatio(1, -3) == ExactRatio(-1, 3))
    }

    @Test("no stages") func noStages() {
        #expect(throws: ButcherTableauError.noStages) { try make(a: [], b: [], c: []) }
    }

    @Test("non-square a names the row") func nonSquare() {
        #expect(throws: ButcherTableauError.aNotSquare(row: 1, count: 1, stageCount: 2)) {
            try make(a: [[0, 0], [1]])
        }
        #expect(throws: ButcherTableauError.aNotSquare(row: 0, count: 3, stageCount: 2)) {
            try make(a: [[0, 0, 0], [1, 0, 0]])
        }
    }

    @Test("wrong b, c, bHat lengths") func wrongLengths() {
        #expect(throws: ButcherTableauError.bCountMismatch(count: 3, stageCount: 2)) {
            try make(b: [0.5, 0.5, 0])
        }
        #expect(throws: ButcherTableauError.cCountMismatch(count: 1, stageCount: 2)) { try make(c: [0]) }
        #expect(throws: ButcherTableauError.bHatCountMismatch(count: 1, stageCount: 2)) {
            try make(bHat: [1], embeddedOrder: 1)
        }
    }

    @Test("entries on or above the diagonal make a method implicit") func implicitEntries() {
        #expect(throws: ButcherTableauError.notExplicit(row: 1, column: 1, value: 0.5)) {
            try make(a: [[0, 0], [0.5, 0.5]])
        }
        #expect(throws: ButcherTableauError.notExplicit(row: 0, column: 1, value: 0.25)) {
            try make(a: [[0, 0.25], [1, 0]], c: [0.25, 1])
        }
    }

    @Test("non-finite coefficients are named") func nonFinite() {
        #expect(throws: ButcherTableauError.nonFiniteCoefficient(coefficient: "a[1][0]", value: .infinity)) {
            try make(a: [[0, 0], [.infinity, 0]])
        }
        #expect(throws: (any Error).self) { try make(b: [.nan, 0.5]) }
    }

    @Test("c must equal the row sums of a") func rowSums() {
        #expect(throws: ButcherTableauError.rowSumMismatch(row: 1, c: 0.9, rowSum: 1)) {
            try make(c: [0, 0.9])
        }
        // One part in 1e12 is far outside a few ulps.
        #expect(throws: ButcherTableauError.rowSumMismatch(row: 1, c: 1 + 1e-12, rowSum: 1)) {
            try make(c: [0, 1 + 1e-12])
        }
        // A one-ulp difference is rounding, and accepted.
        #expect(throws: Never.self) { try make(c: [0, 1.0.nextUp]) }
    }

    @Test("weights must sum to one") func weightSums() {
        #expect(throws: ButcherTableauError.weightsDoNotSumToOne(sum: 0.9)) { try make(b: [0.5, 0.4]) }
        #expect(throws: ButcherTableauError.embeddedWeightsDoNotSumToOne(sum: 1.25)) {
            try make(bHat: [0.5, 0.75], embeddedOrder: 1)
        }
    }

    @Test("orders and the embedded pair") func orders() {
        #expect(throws: ButcherTableauError.invalidOrder(field: "order", value: 0)) { try make(order: 0) }
        #expect(throws: ButcherTableauError.invalidOrder(field: "embeddedOrder", value: 0)) {
            try make(bHat: [1, 0], embeddedOrder: 0)
        }
        #expect(throws: ButcherTableauError.incompleteEmbeddedPair(missing: "embeddedOrder")) {
            try make(bHat: [1, 0])
        }
        #expect(throws: ButcherTableauError.incompleteEmbeddedPair(missing: "bHat")) {
            try make(embeddedOrder: 1)
        }
        #expect(throws: Never.self) { try make(bHat: [1, 0], embeddedOrder: 1) }
    }

    @Test("JSON round trip, and decoding validates") func codable() throws {
        let data = try JSONEncoder().encode(ButcherTableau.dormandPrince54)
        let decoded = try JSONDecoder().decode(ButcherTableau.self, from: data)
        #expect(decoded == .dormandPrince54)
        let bad = #"{"name":"bad","a":[[0,0],[1,0]],"b":[0.5,0.6],"c":[0,1],"order":2}"#
        #expect(throws: ButcherTableauError.weightsDoNotSumToOne(sum: 1.1)) {
            try JSONDecoder().decode(ButcherTableau.self, from: Data(bad.utf8))
        }
    }
}
