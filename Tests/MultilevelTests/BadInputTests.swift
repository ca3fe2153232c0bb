import Foundation
import Multilevel
import Testing

/// Regression tests for hostile inputs: every one is a typed error, never a trap or a huge allocation.
@Suite struct MultilevelBadInputTests {
    @Test(arguments: [0, 1, -2])
    func coarseningFactorBelowTwoIsNamed(cf: Int) throws {
        #expect(throws: MultilevelError.invalidCoarseningFactor(cf)) {
            try Prolongation.piecewiseConstant.matrix(coarseStepCount: 4, coarseningFactor: cf)
        }
        #expect(throws: MultilevelError.invalidCoarseningFactor(cf)) {
            try Restriction.average.matrix(fineStepCount: 4, coarseningFactor: cf)
        }
        #expect(throws: MultilevelError.invalidCoarseningFactor(cf)) {
            try Hierarchy(coarsestStepCount: 2, coarsestFinalTime: 1, levelCount: 2, coarseningFactor: cf)
        }
        #expect(MultilevelError.invalidCoarseningFactor(cf).description.contains("coarsening factor"))
    }

    @Test func oversizedProductsAreRefusedBeforeAllocating() throws {
        #expect(throws: MultilevelError.sizeOverflow(operation: "prolongation piecewiseConstant",
                                                     factors: [Int.max / 2 + 1, 2])) {
            try Prolongation.piecewiseConstant.matrix(coarseStepCount: Int.max / 2 + 1)
        }
        #expect(throws: MultilevelError.sizeOverflow(operation: "prolongation linear", factors: [2, Int.max / 2 + 1])) {
            try Prolongation.linear.matrix(coarseStepCount: 2, coarseningFactor: Int.max / 2 + 1)
        }
        #expect(throws: MultilevelError.stepCountTooLarge(operation: "prolongation piecewiseConstant",
                                                          stepCount: 1 << 21, limit: Level.maximumStepCount)) {
            try Prolongation.piecewiseConstant.matrix(coarseStepCount: 1 << 20)
        }
        // 2^20 × 2^19 entries: within the step limit, far above the matrix limit.
        #expect(throws: MultilevelError.matrixTooLarge(operation: "prolongation cubicSpline", rowCount: 1 << 20,
                                                       columnCount: 1 << 19, limit: TransferMatrix.maximumEntryCount)) {
            try Prolongation.cubicSpline.matrix(coarseStepCount: 1 << 19)
        }
        #expect(throws: MultilevelError.matrixTooLarge(operation: "restriction fullWeighting", rowCount: 1 << 19,
                                                       columnCount: 1 << 20, limit: TransferMatrix.maximumEntryCount)) {
            try Restriction.fullWeighting.matrix(fineStepCount: 1 << 20)
        }
        #expect(throws: MultilevelError.sizeOverflow(operation: "TransferMatrix.init", factors: [Int.max, 2])) {
            try TransferMatrix(rowCount: Int.max, columnCount: 2, entries: [])
        }
    }

    @Test func stepCountsHaveAnUpperBound() throws {
        #expect(throws: MultilevelError.stepCountTooLarge(operation: "Level", stepCount: 1 << 40,
                                                          limit: Level.maximumStepCount)) {
            try Level(stepCount: 1 << 40, finalTime: 1)
        }
        #expect(try Level(stepCount: Level.maximumStepCount, finalTime: 1).stepCount == 1 << 20)
        // 70 levels from N = 2: the finest N would be 2^70. Reported as too large, not as a bad N.
        #expect(throws: MultilevelError.stepCountTooLarge(operation: "Hierarchy level 49", stepCount: 1 << 21,
                                                          limit: Level.maximumStepCount)) {
            try Hierarchy(coarsestStepCount: 2, coarsestFinalTime: 1, levelCount: 70)
        }
        #expect(throws: MultilevelError.sizeOverflow(operation: "Hierarchy level 0", factors: [2, Int.max])) {
            try Hierarchy(coarsestStepCount: 2, coarsestFinalTime: 1, levelCount: 2, coarseningFactor: Int.max)
        }
    }

    @Test func emptyIdentityAndEmptySequenceAreTypedErrors() throws {
        for n in [0, -1] {
            #expect(throws: MultilevelError.shapeMismatch(operation: "TransferMatrix.identity", left: [n, n], right: [])) {
                try TransferMatrix.identity(n)
            }
        }
        #expect(throws: MultilevelError.sequenceLengthMismatch(operation: "TransferMatrix.apply", expected: 1, got: 0)) {
            try TransferMatrix.identity(1).apply(to: [[Double]]())
        }
    }

    @Test func nonFiniteEntriesAreRefused() throws {
        #expect(throws: MultilevelError.nonFiniteEntry(row: 1, column: 0, value: .infinity)) {
            try TransferMatrix(rowCount: 2, columnCount: 2, entries: [1, 0, .infinity, 1])
        }
        #expect(throws: MultilevelError.self) {
            try TransferMatrix(rowCount: 1, columnCount: 2, entries: [.nan, 1])
        }
    }

    @Test func decodingValidates() throws {
        let decoder = JSONDecoder()
        #expect(throws: MultilevelError.shapeMismatch(operation: "TransferMatrix.init", left: [2, 2], right: [1])) {
            try decoder.decode(TransferMatrix.self, from: Data(#"{"rowCount":2,"columnCount":2,"entries":[1]}"#.utf8))
        }
        #expect(throws: MultilevelError.invalidLevelCount(0)) {
            try decoder.decode(Hierarchy.self, from: Data(#"{"levels":[],"coarseningFactor":2,"rule":"halve"}"#.utf8))
        }
        #expect(throws: MultilevelError.invalidStepCount(0)) {
            try decoder.decode(Level.self, from: Data(#"{"index":0,"stepCount":0,"finalTime":1}"#.utf8))
        }
        // Round trips are exact, and a tampered level is named.
        let hierarchy = try Hierarchy(coarsestStepCount: 2, coarsestFinalTime: 2, levelCount: 3, rule: .keep)
        let data = try JSONEncoder().encode(hierarchy)
        #expect(try decoder.decode(Hierarchy.self, from: data) == hierarchy)
        let matrix = try Prolongation.linear.matrix(coarseStepCount: 3)
        #expect(try decoder.decode(TransferMatrix.self, from: JSONEncoder().encode(matrix)) == matrix)
        let tampered = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        var levels = try #require(tampered?["levels"] as? [[String: Any]])
        levels[1]["stepCount"] = 5
        var object = try #require(tampered)
        object["levels"] = levels
        let bad = try JSONSerialization.data(withJSONObject: object)
        #expect {
            try decoder.decode(Hierarchy.self, from: bad)
        } throws: { error in
            guard case .inconsistentHierarchy(level: 1, _)? = error as? MultilevelError else { return false }
            return true
        }
    }

    @Test func fullWeightingMatchesItsDefinitionAtEverySize() throws {
        // The naive definition: hat weights (cf − |m − cf·i|)/cf², each row renormalised to sum 1.
        for cf in [2, 3] {
            let fine = 6 * cf
            let r = try Restriction.fullWeighting.matrix(fineStepCount: fine, coarseningFactor: cf)
            for i in 0..<(fine / cf) {
                let hat = (0..<fine).map { m in Double(max(cf - abs(m - cf * i), 0)) / Double(cf * cf) }
                let total = hat.reduce(0, +)
                for j in 0..<fine { #expect(abs(r[i, j] - hat[j] / total) < 1e-15, "cf \(cf), [\(i), \(j)]") }
            }
        }
        // A large operator (2 M entries) still has the interior [¼ ½ ¼] and the boundary rule. Its cost
        // (O(n²) since the row normalisation is computed once per row) is not timed here: speed is
        // for benchmarks, not tests.
        let big = try Restriction.fullWeighting.matrix(fineStepCount: 2048)
        #expect(abs(big[1023, 2046] - 0.5) < 1e-15 && abs(big[1023, 2047] - 0.25) < 1e-15 && abs(big[0, 0] - 2.0 / 3) < 1e-15)
    }

    @Test func subscriptOutOfRangeTrapsWithAMessage() async throws {
        await #expect(processExitsWith: .failure) {
            let m = try Prolongation.piecewiseConstant.matrix(coarseStepCount: 2)
            _ = m[0, 3]
        }
    }
}
