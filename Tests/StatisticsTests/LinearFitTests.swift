import Statistics
import Testing

/// `LinearFit` against exact lines and the textbook least-squares formulas.
@Suite struct LinearFitTests {
    @Test func recoversAnExactLine() throws {
        let x: [Double] = [0, 1, 2, 3, 4, 5.5]
        let fit = try LinearFit(x: x, y: x.map { 2 - 3 * $0 })
        #expect(abs(fit.slope - -3) <= 1e-13)
        #expect(abs(fit.intercept - 2) <= 1e-13)
        #expect(fit.sumOfSquaredResiduals <= 1e-24)
        #expect(try #require(fit.slopeStandardError) <= 1e-12)
        #expect(fit.count == 6 && fit.degreesOfFreedom == 4)
        #expect(abs(fit.value(at: 10) - -28) <= 1e-12)
    }

    /// A small noisy example, checked against the textbook formulas computed here:
    /// ```
    /// c1 = Sxy/Sxx, c0 = ȳ − c1 x̄, s² = SSR/(n−2),
    /// se(c1) = s/√Sxx, se(c0) = s √(1/n + x̄²/Sxx), cov01 = −x̄ s²/Sxx
    /// ```
    @Test func givesTextbookStandardErrors() throws {
        let x: [Double] = [1, 2, 3, 4, 5]
        let y: [Double] = [2.1, 3.9, 6.2, 7.8, 10.1]
        let n = Double(x.count)
        let xBar = x.reduce(0, +) / n, yBar = y.reduce(0, +) / n
        let sxx = x.reduce(0) { $0 + ($1 - xBar) * ($1 - xBar) }
        let sxy = zip(x, y).reduce(0) { $0 + ($1.0 - xBar) * ($1.1 - yBar) }
        let slope = sxy / sxx, intercept = yBar - slope * xBar
        let ssr = zip(x, y).reduce(0) { $0 + ($1.1 - intercept - slope * $1.0) * ($1.1 - intercept - slope * $1.0) }
        let s2 = ssr / (n - 2)
        // By hand: x̄ = 3, ȳ = 6.02, Sxx = 10, Sxy = 19.9 → slope 1.99.
        #expect(abs(slope - 1.99) <= 1e-12)

        let fit = try LinearFit(x: x, y: y)
        #expect(abs(fit.slope - slope) <= 1e-12)
        #expect(abs(fit.intercept - intercept) <= 1e-12)
        #expect(abs(fit.sumOfSquaredResiduals - ssr) <= 1e-12)
        #expect(abs(try #require(fit.slopeStandardError) - (s2 / sxx).squareRoot()) <= 1e-12)
        #expect(abs(try #require(fit.interceptStandardError) - (s2 * (1 / n + xBar * xBar / sxx)).squareRoot()) <= 1e-12)
        #expect(abs(try #require(fit.interceptSlopeCovariance) - -xBar * s2 / sxx) <= 1e-12)
    }

    /// Two points determine the line exactly; GSL reports NaN covariances, the fit reports none.
    @Test func twoPointsGiveTheLineWithoutStandardErrors() throws {
        let fit = try LinearFit(x: [1, 3], y: [5, 1])
        #expect(abs(fit.slope - -2) <= 1e-14)
        #expect(abs(fit.intercept - 7) <= 1e-14)
        #expect(fit.slopeStandardError == nil)
        #expect(fit.interceptStandardError == nil)
        #expect(fit.interceptSlopeCovariance == nil)
        #expect(fit.degreesOfFreedom == 0)
    }

    @Test func errorsAreTyped() {
        let function = "gsl_fit_linear"
        #expect(throws: StatisticsError.tooFewValues(function: function, given: 1, needed: 2)) {
            try LinearFit(x: [1], y: [2])
        }
        #expect(throws: StatisticsError.tooFewValues(function: function, given: 0, needed: 2)) {
            try LinearFit(x: [], y: [])
        }
        #expect(throws: StatisticsError.countMismatch(function: function, firstCount: 3, secondCount: 2)) {
            try LinearFit(x: [1, 2, 3], y: [1, 2])
        }
        #expect(throws: StatisticsError.zeroVariance(function: function, argument: "x")) {
            try LinearFit(x: [2, 2, 2], y: [1, 2, 3])
        }
        #expect(throws: StatisticsError.nonFiniteValue(function: function, argument: "x", index: 1, value: .infinity)) {
            try LinearFit(x: [1, .infinity, 3], y: [1, 2, 3])
        }
        #expect(throws: StatisticsError.nonFiniteValue(function: function, argument: "y", index: 2, value: -.infinity)) {
            try LinearFit(x: [1, 2, 3], y: [1, 2, -.infinity])
        }
    }
}
