import Foundation
import Testing
import Integrators

@Suite("ForwardEuler equals the tableau version")
struct ForwardEulerTests {
    @Test("bitwise equal to ExplicitRungeKutta(.forwardEuler) on a nonlinear 3-D problem")
    func bitwiseEqual() throws {
        var rng = SeededGenerator(seed: 20_180_430)
        let f: (Double, [Double]) throws -> [Double] = { t, y in
            [sin(y[1]) - t * y[0], y[0] * y[2] + 0.1, cos(t + y[0]) - y[2] * y[2]]
        }
        for _ in 0..<5 {
            let y0 = rng.vector(count: 3)
            let n = Int.random(in: 1...20, using: &rng)
            let fast = try ForwardEuler().solve(y0, startTime: 0.3, finalTime: 1.7, stepCount: n,
                                                recordTrajectory: true, rightHandSide: f)
            let reference = try ExplicitRungeKutta(tableau: .forwardEuler).solve(
                y0, startTime: 0.3, finalTime: 1.7, stepCount: n, recordTrajectory: true, rightHandSide: f)
            let fastBits = fast.trajectory?.map { $0.map(\.bitPattern) }
            let referenceBits = reference.trajectory?.map { $0.map(\.bitPattern) }
            #expect(fastBits != nil && fastBits == referenceBits)
            #expect(fast.functionEvaluations == n)
        }
    }

    @Test("one step is y + h F(t, y)")
    func oneStep() throws {
        let y1 = try ForwardEuler().step([1.0, -2.0], at: 0.5, stepSize: 0.25) { t, y in [t, y[0] * y[1]] }
        #expect(y1 == [1 + 0.25 * 0.5, -2 + 0.25 * -2])
        #expect(ForwardEuler().name == "forwardEuler" && ForwardEuler().stageCount == 1)
    }
}
