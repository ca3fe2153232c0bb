import Foundation
import Multilevel
import ODENet
import Testing

/// A refinement by a prolongation that falls back to a lower degree (`cubicSpline` at `N < 4`)
/// warns once per refinement; a full-degree one stays silent (issue 12, defect 5).
@Suite struct ProlongationWarningTests {
    /// Collects the warnings handed to ``DepthTransfer/warningHandler`` while `body` runs.
    func warnings(_ body: () throws -> Void) rethrows -> [String] {
        final class Lines: @unchecked Sendable {
            let lock = NSLock()
            var values: [String] = []
            func append(_ line: String) { lock.withLock { values.append(line) } }
        }
        let lines = Lines()
        try DepthTransfer.$warningHandler.withValue({ lines.append($0) }) { try body() }
        return lines.lock.withLock { lines.values }
    }

    @Test func cubicSplineBelowFourStepsWarnsOncePerRefinement() throws {
        let two = try ODENetwork(spec: Fixture.spec(stepCount: 2), seed: 4)
        var refined: ODENetwork?
        let caught = try warnings { refined = try two.refined(by: .cubicSpline, rule: .halve) }
        #expect(refined?.spec.stepCount == 4)
        #expect(caught.count == 1)
        #expect(caught.first == Prolongation.cubicSpline.degradationWarning(coarseStepCount: 2))
        #expect(caught.first?.contains("linear") == true)

        // N = 1 → 8 is three refinements: constant, linear, then a real cubic spline (silent).
        let one = try ODENetwork(spec: Fixture.spec(stepCount: 1), seed: 4)
        let chain = try warnings { _ = try one.resampled(toStepCount: 8, prolongation: .cubicSpline) }
        #expect(chain.count == 2)
        #expect(chain.first?.contains("N = 1") == true && chain.last?.contains("N = 2") == true)
    }

    @Test func fullDegreeRefinementsAndRestrictionsAreSilent() throws {
        let four = try ODENetwork(spec: Fixture.spec(stepCount: 4), seed: 4)
        let caught = try warnings {
            _ = try four.refined(by: .cubicSpline, rule: .halve)
            _ = try four.refined(by: .piecewiseConstant, rule: .halve)
            _ = try four.coarsened(by: .average, rule: .halve)
        }
        #expect(caught.isEmpty)
    }
}
