import Interpolation
import Testing

/// Every documented failure of ``Interpolator`` throws its own ``InterpolationError`` case.
@Suite struct InterpolationErrorTests {
    /// The minimum sizes, written out independently of the code: GSL 2.7's `min_size` of each type,
    /// except the periodic cubic spline, which GSL declares usable with 2 points although
    /// `gsl_spline_init` then fails with GSL_EBADLEN (measured), so 3 are required.
    @Test func minimumPointCountsMatchGSL() {
        let documented: [InterpolationMethod: Int] = [
            .linear: 2, .polynomial: 3, .cubicSpline: 3, .periodicCubicSpline: 3,
            .akima: 5, .periodicAkima: 5, .steffen: 3,
        ]
        for method in InterpolationMethod.allCases {
            #expect(method.minimumPointCount == documented[method], "\(method)")
        }
    }

    @Test(arguments: InterpolationMethod.allCases)
    func tooFewPointsSaysHowManyWereGivenAndNeeded(method: InterpolationMethod) throws {
        let n = method.minimumPointCount - 1
        let x = (0..<n).map(Double.init)
        let y = [Double](repeating: 1, count: n)
        #expect(throws: InterpolationError.tooFewPoints(method: method, given: n, needed: n + 1)) {
            try Interpolator(x: x, y: y, method: method)
        }
        // One more point is enough (constant data is periodic too).
        _ = try Interpolator(x: x + [Double(n)], y: y + [1], method: method)
    }

    @Test func countMismatchReportsBothCounts() {
        #expect(throws: InterpolationError.countMismatch(xCount: 4, yCount: 3)) {
            try Interpolator(x: [0, 1, 2, 3], y: [0, 1, 2], method: .linear)
        }
    }

    @Test func repeatedOrDecreasingAbscissaeNameTheIndex() {
        #expect(throws: InterpolationError.abscissaeNotIncreasing(index: 2, previous: 1, value: 1)) {
            try Interpolator(x: [0, 1, 1, 2], y: [0, 1, 2, 3], method: .linear)
        }
        #expect(throws: InterpolationError.abscissaeNotIncreasing(index: 3, previous: 2, value: 1.5)) {
            try Interpolator(x: [0, 1, 2, 1.5], y: [0, 1, 2, 3], method: .cubicSpline)
        }
    }

    @Test func nonFiniteSamplesNameTheIndex() {
        let badX = #expect(throws: InterpolationError.self) {
            try Interpolator(x: [0, 1, .nan, 3], y: [0, 1, 2, 3], method: .linear)
        }
        guard case .nonFiniteAbscissa(index: 2, let value)? = badX, value.isNaN else {
            Issue.record("expected nonFiniteAbscissa at index 2, got \(String(describing: badX))")
            return
        }
        #expect(throws: InterpolationError.nonFiniteAbscissa(index: 3, value: .infinity)) {
            try Interpolator(x: [0, 1, 2, .infinity], y: [0, 1, 2, 3], method: .linear)
        }
        #expect(throws: InterpolationError.nonFiniteValue(index: 1, value: -.infinity)) {
            try Interpolator(x: [0, 1, 2, 3], y: [0, -.infinity, 2, 3], method: .cubicSpline)
        }
    }

    /// GSL accepts y_0 ≠ y_{N−1} for periodic types and silently builds a jump; the wrapper refuses.
    @Test(arguments: [InterpolationMethod.periodicCubicSpline, .periodicAkima])
    func periodicMethodsRefuseNonPeriodicData(method: InterpolationMethod) throws {
        let x = [0.0, 1, 2, 3, 4, 5]
        #expect(throws: InterpolationError.notPeriodic(first: 0, last: 0.5)) {
            try Interpolator(x: x, y: [0, 1, 0, -1, 0, 0.5], method: method)
        }
        _ = try Interpolator(x: x, y: [0, 1, 0, -1, 0, 0], method: method)
    }

    /// GSL answers one ulp outside the range with GSL_EDOM and NaN; the wrapper names the range.
    @Test func queriesOutsideTheDataRangeThrow() throws {
        let s = try Interpolator(x: [1, 2, 3, 4], y: [1, 4, 9, 16], method: .cubicSpline)
        // The ends themselves are inside.
        #expect(abs(try s.value(at: 1) - 1) <= 1e-14)
        #expect(abs(try s.value(at: 4) - 16) <= 1e-13)
        let justAbove = 4.0.nextUp, justBelow = 1.0.nextDown
        #expect(throws: InterpolationError.outOfRange(x: justAbove, range: 1...4)) { try s.value(at: justAbove) }
        #expect(throws: InterpolationError.outOfRange(x: justBelow, range: 1...4)) { try s.derivative(at: justBelow) }
        #expect(throws: InterpolationError.outOfRange(x: 5, range: 1...4)) { try s.secondDerivative(at: 5) }
        #expect(throws: InterpolationError.outOfRange(x: 0, range: 1...4)) { try s.integral(from: 0, to: 2) }
        #expect(throws: InterpolationError.outOfRange(x: 4.5, range: 1...4)) { try s.integral(from: 2, to: 4.5) }
        #expect(throws: InterpolationError.outOfRange(x: 0, range: 1...4)) { try s.values(at: [2, 0, 3]) }
    }

    @Test func nonFiniteQueriesThrowWhateverTheExtrapolation() throws {
        let s = try Interpolator(x: [1, 2, 3], y: [1, 4, 9], method: .linear)
        for rule in Extrapolation.allCases {
            #expect(throws: InterpolationError.nonFiniteQuery(x: .infinity)) {
                try s.value(at: .infinity, extrapolation: rule)
            }
            let error = #expect(throws: InterpolationError.self) { try s.value(at: .nan, extrapolation: rule) }
            guard case .nonFiniteQuery(let x)? = error, x.isNaN else {
                Issue.record("expected nonFiniteQuery(nan), got \(String(describing: error))")
                continue
            }
        }
        #expect(throws: InterpolationError.nonFiniteQuery(x: -.infinity)) { try s.derivative(at: -.infinity) }
    }

    @Test func descriptionsNameTheFailure() {
        let gsl = InterpolationError.gsl(function: "gsl_spline_init", status: 4, message: "invalid argument supplied by user")
        #expect(gsl.description.contains("gsl_spline_init"))
        #expect(gsl.description.contains("4"))
        let tooFew = InterpolationError.tooFewPoints(method: .akima, given: 3, needed: 5)
        #expect(tooFew.description.contains("akima") && tooFew.description.contains("3")
            && tooFew.description.contains("5"))
        #expect(InterpolationError.allocationFailed(function: "gsl_spline_alloc").description.contains("gsl_spline_alloc"))
    }
}
