import Datasets  // SplitMix64, the project's seeded generator
import Multilevel
import Testing

/// Checks of the transfer operators against their definitions and stated invariants.
@Suite struct TransferOperatorTests {
    static let coarseCounts = [1, 2, 3, 4, 7]

    @Test(arguments: coarseCounts)
    func exactPairsAreLeftInverses(n: Int) throws {
        let identity = try TransferMatrix.identity(n)
        let pConst = try Prolongation.piecewiseConstant.matrix(coarseStepCount: n)
        let pLinearVertex = try Prolongation.linear.matrix(coarseStepCount: n, grid: .vertex)
        let average = try Restriction.average.matrix(fineStepCount: 2 * n)
        let injection = try Restriction.injection.matrix(fineStepCount: 2 * n)
        #expect(try average.multiplied(by: pConst) == identity)
        #expect(try injection.multiplied(by: pConst) == identity)
        #expect(try injection.multiplied(by: pLinearVertex) == identity)
    }

    @Test func cellCentredLinearIsNotInvertedByInjection() throws {
        // The documented table says injection inverts linear only on the vertex grid: check that the
        // cell-centred pair really is not exact (so the test above can tell the grids apart).
        let p = try Prolongation.linear.matrix(coarseStepCount: 4, grid: .cellCentred)
        let r = try Restriction.injection.matrix(fineStepCount: 8)
        #expect(try r.multiplied(by: p).maxAbsoluteDifference(from: try .identity(4)) > 0.1)
    }

    @Test(arguments: coarseCounts)
    func averageIsHalfTheTransposeOfPiecewiseConstant(n: Int) throws {
        let p = try Prolongation.piecewiseConstant.matrix(coarseStepCount: n)
        #expect(try Restriction.average.matrix(fineStepCount: 2 * n) == p.transposed.scaled(by: 0.5))
    }

    @Test func fullWeightingIsHalfTheTransposeOfVertexLinearInTheInterior() throws {
        let n = 6
        let r = try Restriction.fullWeighting.matrix(fineStepCount: 2 * n)
        let half = try Prolongation.linear.matrix(coarseStepCount: n, grid: .vertex).transposed.scaled(by: 0.5)
        // Interior coarse rows 1 … N−3 are untouched by either boundary rule (row N−2 meets the
        // last fine step, which linear P extrapolates from θ_{N−2} and θ_{N−1}).
        for i in 1..<(n - 2) {
            for j in 0..<(2 * n) { #expect(r[i, j] == half[i, j], "row \(i), column \(j)") }
        }
        #expect(r[1, 1] == 0.25 && r[1, 2] == 0.5 && r[1, 3] == 0.25)
        // Boundary rule: hat weights [½ ¼] on fine 0, 1 renormalised to [⅔ ⅓].
        #expect(abs(r[0, 0] - 2.0 / 3) < 1e-15 && abs(r[0, 1] - 1.0 / 3) < 1e-15)
    }

    @Test(arguments: Restriction.allCases)
    func restrictionRowsSumToOne(r: Restriction) throws {
        let m = try r.matrix(fineStepCount: 10)
        for i in 0..<m.rowCount {
            let sum = (0..<m.columnCount).reduce(0.0) { $0 + m[i, $1] }
            #expect(abs(sum - 1) < 1e-14, "\(r) row \(i) sums to \(sum)")
        }
    }

    /// `P` applied to samples of `f` at the coarse positions, minus `f` at the fine positions.
    private func prolongationError(_ p: Prolongation, grid: StepGrid, n: Int,
                                   _ f: (Double) -> Double) throws -> Double {
        let coarse = grid.positions(count: n, stepSize: 1).map { [f($0)] }
        let fine = grid.positions(count: 2 * n, stepSize: 0.5).map { f($0) }
        let result = try p.matrix(coarseStepCount: n, grid: grid).apply(to: coarse)
        return zip(result, fine).map { abs($0[0] - $1) }.max() ?? 0
    }

    @Test(arguments: Prolongation.allCases, StepGrid.allCases)
    func reproducesConstants(p: Prolongation, grid: StepGrid) throws {
        // Copies and two-point weights summing to 1 are exact; the spline's B-spline solve rounds.
        let tolerance = p == .cubicSpline ? 1e-12 : 0
        for n in Self.coarseCounts {
            #expect(try prolongationError(p, grid: grid, n: n) { _ in 3.25 } <= tolerance)
        }
    }

    @Test(arguments: StepGrid.allCases)
    func linearReproducesLinearSequencesIncludingTheEnds(grid: StepGrid) throws {
        for n in [2, 3, 5, 8] {
            let error = try prolongationError(.linear, grid: grid, n: n) { 0.75 - 1.5 * $0 }
            #expect(error < 1e-13, "N = \(n): \(error)")
        }
    }

    @Test(arguments: StepGrid.allCases)
    func cubicSplineReproducesCubicSequences(grid: StepGrid) throws {
        for n in [4, 5, 9] {
            let error = try prolongationError(.cubicSpline, grid: grid, n: n) { 1 - $0 + 0.5 * $0 * $0 - 0.2 * $0 * $0 * $0 }
            #expect(error < 1e-11, "N = \(n): \(error)")
        }
        // Linear P cannot: the test tells the methods apart.
        #expect(try prolongationError(.linear, grid: grid, n: 5) { $0 * $0 * $0 } > 0.01)
    }

    @Test func piecewiseConstantDoesNotReproduceLinearSequences() throws {
        // Order 1: a slope shows up as an O(h) error (here h/4 · slope on the cell-centred grid).
        let error = try prolongationError(.piecewiseConstant, grid: .cellCentred, n: 4) { 2 * $0 }
        #expect(abs(error - 0.5) < 1e-14)
    }

    @Test func refineThenCoarsenIsBitExact() throws {
        var rng = SplitMix64(seed: 7)
        let n = 5
        let theta: [[Float]] = (0..<n).map { _ in (0..<33).map { _ in Float.random(in: -1e3...1e3, using: &rng) } }
        let p = try Prolongation.piecewiseConstant.matrix(coarseStepCount: n)
        for r in [Restriction.average, .injection] {
            let back = try r.matrix(fineStepCount: 2 * n).apply(to: try p.apply(to: theta))
            #expect(back == theta, "\(r)")
        }
    }

    @Test func errorsNameWhatIsWrong() throws {
        #expect(throws: MultilevelError.invalidStepCount(0)) {
            try Prolongation.linear.matrix(coarseStepCount: 0)
        }
        #expect(throws: MultilevelError.stepCountNotDivisible(stepCount: 5, coarseningFactor: 2,
                                                              operation: "restriction average")) {
            try Restriction.average.matrix(fineStepCount: 5)
        }
        let p = try Prolongation.piecewiseConstant.matrix(coarseStepCount: 3)
        #expect(throws: MultilevelError.sequenceLengthMismatch(operation: "TransferMatrix.apply",
                                                               expected: 3, got: 2)) {
            try p.apply(to: [[1.0], [2.0]])
        }
        #expect(throws: MultilevelError.elementCountMismatch(operation: "TransferMatrix.apply",
                                                             step: 2, expected: 2, got: 1)) {
            try p.apply(to: [[1.0, 2], [2.0, 3], [4.0]])
        }
    }
}
