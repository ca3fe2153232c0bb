import Foundation
import Interpolation
import Testing

/// ``InterpolationMatrix`` equals pointwise evaluation, and ``Extrapolation`` rules behave as documented.
@Suite struct InterpolationMatrixTests {
    /// Irregular abscissae and a seeded, reproducible set of sample vectors.
    private let x = [0.0, 0.3, 1.1, 1.5, 2.6, 3.0, 3.2]
    private let queries = [0.0, 0.05, 0.7, 1.1, 1.49, 2.0, 2.95, 3.2]

    /// `n` values from a linear congruential generator with the given seed, in [−1, 1].
    private func seededValues(_ n: Int, seed: UInt64) -> [Double] {
        var state = seed
        return (0..<n).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53) * 2 - 1
        }
    }

    @Test(arguments: InterpolationMethod.allCases.filter(\.isLinearInSamples))
    func matrixTimesSamplesEqualsPointwiseEvaluation(method: InterpolationMethod) throws {
        let a = try InterpolationMatrix(method: method, x: x, queries: queries)
        #expect(a.rowCount == queries.count && a.columnCount == x.count)
        #expect(a.entries.count == queries.count * x.count)
        for i in 0..<a.rowCount {
            #expect(abs((0..<a.columnCount).reduce(0.0) { $0 + a[i, $1] } - 1) <= 1e-12, "\(method), row \(i)")
        }
        for seed: UInt64 in 1...3 {
            var y = seededValues(x.count, seed: seed)
            if method.isPeriodic { y[y.count - 1] = y[0] }
            let expected = try Interpolator(x: x, y: y, method: method).values(at: queries)
            let product = try a.apply(to: y)
            for (p, e) in zip(product, expected) {
                #expect(abs(p - e) <= 1e-12 * max(1, abs(e)), "\(method), seed \(seed)")
            }
        }
    }

    @Test(arguments: InterpolationMethod.allCases.filter(\.isLinearInSamples), Extrapolation.allCases.filter { $0 != .error })
    func matrixWithExtrapolationEqualsPointwiseEvaluation(method: InterpolationMethod, rule: Extrapolation) throws {
        let outside = [-0.5, 0.1, 3.1, 4.0]
        let a = try InterpolationMatrix(method: method, x: x, queries: outside, extrapolation: rule)
        var y = seededValues(x.count, seed: 7)
        if method.isPeriodic { y[y.count - 1] = y[0] }
        let expected = try Interpolator(x: x, y: y, method: method).values(at: outside, extrapolation: rule)
        for (p, e) in zip(try a.apply(to: y), expected) {
            #expect(abs(p - e) <= 1e-12 * max(1, abs(e)), "\(method), \(rule)")
        }
        // Constants are reproduced: every row sums to 1.
        for i in 0..<a.rowCount {
            let rowSum = (0..<a.columnCount).reduce(0.0) { $0 + a[i, $1] }
            #expect(abs(rowSum - 1) <= 1e-12, "\(method), \(rule), row \(i)")
        }
    }

    /// Akima and Steffen are not linear in y (superposition fails), so they have no matrix.
    @Test(arguments: InterpolationMethod.allCases.filter { !$0.isLinearInSamples })
    func nonlinearMethodsHaveNoMatrix(method: InterpolationMethod) throws {
        #expect(throws: InterpolationError.nonlinearMethod(method)) {
            try InterpolationMatrix(method: method, x: x, queries: queries)
        }
        var u = seededValues(x.count, seed: 11), v = seededValues(x.count, seed: 12)
        if method.isPeriodic { u[u.count - 1] = u[0]; v[v.count - 1] = v[0] }
        let sum = zip(u, v).map { $0 + $1 }
        let su = try Interpolator(x: x, y: u, method: method)
        let sv = try Interpolator(x: x, y: v, method: method)
        let ss = try Interpolator(x: x, y: sum, method: method)
        let defects = try queries.map { try ss.value(at: $0) - su.value(at: $0) - sv.value(at: $0) }
        #expect(defects.contains { abs($0) > 1e-6 }, "\(method) looks linear after all")
    }

    /// Cell-centred prolongation from N = 2 to 4 steps on [0, 1] with linear interpolation and
    /// linear extrapolation: coarse centres 1/4, 3/4; fine centres 1/8, 3/8, 5/8, 7/8. By hand:
    /// interior fine points weigh their neighbours 3/4 and 1/4; the end points continue the line
    /// through both coarse samples, 5/4 and −1/4.
    @Test func cellCentredLinearProlongationHasTheHandComputedWeights() throws {
        let a = try InterpolationMatrix(method: .linear, x: [0.25, 0.75], queries: [0.125, 0.375, 0.625, 0.875],
                                        extrapolation: .linear)
        let expected: [Double] = [1.25, -0.25,
                                  0.75, 0.25,
                                  0.25, 0.75,
                                  -0.25, 1.25]
        for (entry, hand) in zip(a.entries, expected) { #expect(abs(entry - hand) <= 1e-15) }
        // Holding the end value instead copies the end samples.
        let held = try InterpolationMatrix(method: .linear, x: [0.25, 0.75], queries: [0.125, 0.875],
                                           extrapolation: .holdEndValue)
        #expect(held.entries == [1, 0, 0, 1])
    }

    @Test func extrapolationRulesExtendAsDocumented() throws {
        let x = [0.0, 1, 2, 3]
        let square = try Interpolator(x: x, y: x.map { $0 * $0 }, method: .linear)
        #expect(try square.value(at: -0.5, extrapolation: .holdEndValue) == 0)
        #expect(try square.value(at: 3.5, extrapolation: .holdEndValue) == 9)
        // Linear interpolation: the end segments have slopes 1 and 5.
        #expect(try square.value(at: -0.5, extrapolation: .linear) == -0.5)
        #expect(try square.value(at: 3.5, extrapolation: .linear) == 11.5)
        #expect(throws: InterpolationError.outOfRange(x: 3.5, range: 0...3)) { try square.value(at: 3.5) }

        // A natural cubic spline reproduces a line, so its tangent extension is the line itself.
        let line = try Interpolator(x: x, y: x.map { 1 + 2 * $0 }, method: .cubicSpline)
        for t in [-2.0, -0.1, 3.1, 10] {
            #expect(abs(try line.value(at: t, extrapolation: .linear) - (1 + 2 * t)) <= 1e-12)
        }

        // The tangent extension is C¹: its slope just outside equals the spline's slope at the end.
        let curve = try Interpolator(x: x, y: [0, 1, 0, 2], method: .cubicSpline)
        let h = 1e-6
        let outsideSlope = (try curve.value(at: 3 + h, extrapolation: .linear) - (try curve.value(at: 3))) / h
        let insideSlope = (try curve.value(at: 3) - (try curve.value(at: 3 - h))) / h
        #expect(abs(outsideSlope - insideSlope) <= 1e-4)
        // ... and it is continuous: the value at the end is the end sample.
        #expect(abs(try curve.value(at: 3 + 1e-12, extrapolation: .linear) - 2) <= 1e-10)
    }

    @Test func matrixErrorsAreReported() throws {
        #expect(throws: InterpolationError.outOfRange(x: 3.5, range: 0...3.2)) {
            try InterpolationMatrix(method: .linear, x: x, queries: [1, 3.5])
        }
        #expect(throws: InterpolationError.tooFewPoints(method: .cubicSpline, given: 0, needed: 3)) {
            try InterpolationMatrix(method: .cubicSpline, x: [], queries: [1])
        }
        #expect(throws: InterpolationError.tooFewPoints(method: .cubicSpline, given: 2, needed: 3)) {
            try InterpolationMatrix(method: .cubicSpline, x: [0, 1], queries: [0.5])
        }
        #expect(throws: InterpolationError.abscissaeNotIncreasing(index: 1, previous: 1, value: 0)) {
            try InterpolationMatrix(method: .linear, x: [1, 0], queries: [0.5])
        }
        let a = try InterpolationMatrix(method: .linear, x: x, queries: queries)
        #expect(throws: InterpolationError.countMismatch(xCount: x.count, yCount: 2)) { try a.apply(to: [1, 2]) }
    }
}
