import Foundation
import Testing
import Integrators

@Suite("Fixed-step solve: validation, trajectory, step times")
struct SolveTests {
    private let rk4 = ExplicitRungeKutta(tableau: .rk4Classic)

    @Test("invalid N, times and step sizes are typed errors, and F is never called")
    func validation() {
        var calls = 0
        let f: (Double, [Double]) throws -> [Double] = { _, y in calls += 1; return y }
        #expect(throws: IntegrationError.invalidStepCount(0)) { try rk4.solve([1.0], finalTime: 1, stepCount: 0, rightHandSide: f) }
        #expect(throws: IntegrationError.invalidStepCount(-3)) { try rk4.solve([1.0], finalTime: 1, stepCount: -3, rightHandSide: f) }
        #expect(throws: IntegrationError.emptyInterval(startTime: 0, finalTime: 0)) {
            try rk4.solve([1.0], finalTime: 0, stepCount: 4, rightHandSide: f)
        }
        #expect(throws: IntegrationError.emptyInterval(startTime: 2, finalTime: 1)) {
            try rk4.solve([1.0], startTime: 2, finalTime: 1, stepCount: 4, rightHandSide: f)
        }
        #expect(throws: IntegrationError.nonFiniteTime(startTime: 0, finalTime: .infinity)) {
            try rk4.solve([1.0], finalTime: .infinity, stepCount: 4, rightHandSide: f)
        }
        #expect(throws: (IntegrationError).self) { try rk4.solve([1.0], finalTime: .nan, stepCount: 4, rightHandSide: f) }
        #expect(throws: (IntegrationError).self) {
            try rk4.solve([1.0], startTime: .nan, finalTime: 1, stepCount: 4, rightHandSide: f)
        }
        // T − t0 overflows to +∞ although both ends are finite.
        #expect(throws: IntegrationError.invalidStepSize(.infinity)) {
            try rk4.solve([1.0], startTime: -1e308, finalTime: 1e308, stepCount: 1, rightHandSide: f)
        }
        // A step too small to represent: (T − t0)/N underflows to 0.
        #expect(throws: IntegrationError.invalidStepSize(0)) {
            try rk4.solve([1.0], startTime: 0, finalTime: .leastNonzeroMagnitude, stepCount: 4, rightHandSide: f)
        }
        #expect(calls == 0)
    }

    @Test("the trajectory holds N+1 states from y0 to the final state, only when asked")
    func trajectory() throws {
        let f: (Double, [Double]) throws -> [Double] = { _, y in [-y[1], y[0]] }
        let recorded = try rk4.solve([1.0, 0.0], startTime: 1, finalTime: 2, stepCount: 5,
                                     recordTrajectory: true, rightHandSide: f)
        let trajectory = try #require(recorded.trajectory)
        #expect(trajectory.count == 6)
        #expect(trajectory.first == [1, 0])
        #expect(trajectory.last == recorded.finalState)
        #expect(recorded.stepSize == 0.2 && recorded.stepCount == 5)
        #expect(recorded.startTime == 1 && recorded.finalTime == 2)
        #expect(recorded.times.count == 6 && recorded.times.first == 1 && recorded.times.last == 2)
        // Each recorded state is one step from the previous one.
        let second = try rk4.step(trajectory[1], at: 1.2, stepSize: 0.2, rightHandSide: f)
        #expect(second == trajectory[2])

        let plain = try rk4.solve([1.0, 0.0], startTime: 1, finalTime: 2, stepCount: 5, rightHandSide: f)
        #expect(plain.trajectory == nil)
        #expect(plain.finalState == recorded.finalState)
    }

    @Test("step n is evaluated at t_n = t0 + n h")
    func stepTimes() throws {
        var firstStageTimes: [Double] = []
        _ = try ForwardEuler().solve([0.0], startTime: 0.5, finalTime: 1.5, stepCount: 4) { t, y in
            firstStageTimes.append(t)
            return y
        }
        #expect(firstStageTimes == [0.5, 0.75, 1.0, 1.25])
    }

    @Test("rotation by rk4Classic stays on the unit circle to O(h⁴)")
    func rotationNorm() throws {
        let result = try rk4.solve([1.0, 0.0], finalTime: 2 * Double.pi, stepCount: 64) { _, y in [-y[1], y[0]] }
        let norm = (result.finalState[0] * result.finalState[0] + result.finalState[1] * result.finalState[1]).squareRoot()
        #expect(abs(norm - 1) < 1e-5)
        #expect(abs(result.finalState[0] - 1) < 1e-5)
    }
}
