import Multilevel
import Testing

/// The effective method of a prolongation at small `N` names what its matrix really computes
/// (issue 12, defect 5: `cubicSpline` on `N < 4` silently became a lower-degree polynomial).
@Suite struct EffectiveProlongationTests {
    @Test func tableOfEffectiveMethods() throws {
        let cubic = (1...6).map { Prolongation.cubicSpline.effectiveMethod(coarseStepCount: $0) }
        #expect(cubic == [.constant, .linear, .quadratic, .cubicSpline, .cubicSpline, .cubicSpline])
        let linear = (1...3).map { Prolongation.linear.effectiveMethod(coarseStepCount: $0) }
        #expect(linear == [.constant, .linear, .linear])
        #expect((1...3).allSatisfy { Prolongation.piecewiseConstant.effectiveMethod(coarseStepCount: $0) == .piecewiseConstant })
        #expect((1...3).allSatisfy { Prolongation.cubicSpline.isDegraded(coarseStepCount: $0) })
        #expect(!Prolongation.cubicSpline.isDegraded(coarseStepCount: 4))
        #expect(Prolongation.linear.isDegraded(coarseStepCount: 1) && !Prolongation.linear.isDegraded(coarseStepCount: 2))
        #expect(Prolongation.cubicSpline.degradationWarning(coarseStepCount: 4) == nil)
        let warning = try #require(Prolongation.cubicSpline.degradationWarning(coarseStepCount: 2))
        #expect(warning.contains("cubicSpline") && warning.contains("N = 2") && warning.contains("linear")
                && warning.contains("N ≥ 4"))
    }

    /// The name matches the matrix: at `N = 1` and `N = 2` the spline's matrix equals the
    /// constant (piecewise-constant) and the linear one; at `N = 3` it reproduces a parabola but
    /// not a cubic; at `N = 4` it reproduces a cubic.
    @Test(arguments: [StepGrid.cellCentred, .vertex])
    func effectiveMethodIsWhatTheMatrixComputes(grid: StepGrid) throws {
        let one = try Prolongation.cubicSpline.matrix(coarseStepCount: 1, grid: grid)
        #expect(one.maxAbsoluteDifference(from: try Prolongation.piecewiseConstant.matrix(coarseStepCount: 1)) < 1e-12)
        let two = try Prolongation.cubicSpline.matrix(coarseStepCount: 2, grid: grid)
        #expect(two.maxAbsoluteDifference(from: try Prolongation.linear.matrix(coarseStepCount: 2, grid: grid)) < 1e-12)
        func reproduces(_ n: Int, degree: Int) throws -> Bool {
            let p = try Prolongation.cubicSpline.matrix(coarseStepCount: n, grid: grid)
            let coarse = grid.positions(count: n, stepSize: 1)
            let fine = grid.positions(count: 2 * n, stepSize: 0.5)
            let f = { (x: Double) in (0...degree).reversed().reduce(0.0) { $0 * x + Double($1 + 1) } }
            let values = coarse.map(f)
            return (0..<2 * n).allSatisfy { i in
                abs((0..<n).reduce(0.0) { $0 + p[i, $1] * values[$1] } - f(fine[i])) < 1e-9
            }
        }
        #expect(try reproduces(3, degree: 2) && !(try reproduces(3, degree: 3)))
        #expect(try reproduces(4, degree: 3))
        #expect(Prolongation.cubicSpline.effectiveMethod(coarseStepCount: 3).degree == 2)
    }

    @Test func methodsOfAChainOfRefinements() {
        #expect(Prolongation.cubicSpline.effectiveMethods(fromStepCount: 1, toStepCount: 8) == [.constant, .linear, .cubicSpline])
        #expect(Prolongation.cubicSpline.effectiveMethods(fromStepCount: 3, toStepCount: 12) == [.quadratic, .cubicSpline])
        #expect(Prolongation.linear.effectiveMethods(fromStepCount: 2, toStepCount: 2) == [])
        #expect(Prolongation.linear.effectiveMethods(fromStepCount: 2, toStepCount: 6) == nil)
        #expect(Prolongation.linear.effectiveMethods(fromStepCount: 4, toStepCount: 2) == nil)
    }
}
