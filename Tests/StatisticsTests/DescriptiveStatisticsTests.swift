import Statistics
import Testing

/// Sample statistics against values computed by hand in each test.
@Suite struct DescriptiveStatisticsTests {
    /// The textbook sample 2, 4, 4, 4, 5, 5, 7, 9, deliberately unsorted.
    private let data: [Double] = [9, 4, 5, 2, 4, 7, 4, 5]

    @Test func meanVarianceAndStandardDeviationMatchHandComputation() throws {
        // Σx = 40, n = 8 → x̄ = 5.
        #expect(try data.mean() == 5)
        // Squared deviations 16, 1, 0, 9, 1, 4, 1, 0 sum to 32; divisor n − 1 = 7.
        #expect(abs(try data.variance() - 32.0 / 7) <= 1e-14)
        #expect(abs(try data.standardDeviation() - (32.0 / 7).squareRoot()) <= 1e-14)
    }

    @Test func minimumMaximumAndMedianMatchHandComputation() throws {
        #expect(try data.minimum() == 2)
        #expect(try data.maximum() == 9)
        // Sorted: 2 4 4 4 | 5 5 7 9 → median (4 + 5)/2.
        #expect(try data.median() == 4.5)
        // Odd count: the middle value.
        #expect(try [3.0, -1, 10].median() == 3)
        // The receiver is not reordered.
        #expect(data == [9, 4, 5, 2, 4, 7, 4, 5])
    }

    /// GSL's convention: h = p (n − 1), interpolate between the order statistics ⌊h⌋ and ⌊h⌋ + 1.
    @Test func quantilesInterpolateBetweenOrderStatistics() throws {
        // Sorted: x_(0..7) = 2 4 4 4 5 5 7 9.
        #expect(try data.quantile(0) == 2)
        #expect(try data.quantile(1) == 9)
        #expect(try data.quantile(0.5) == 4.5)
        // p = 0.25: h = 1.75 → x_(1) + 0.75 (x_(2) − x_(1)) = 4.
        #expect(try data.quantile(0.25) == 4)
        // p = 0.9: h = 6.3 → x_(6) + 0.3 (x_(7) − x_(6)) = 7 + 0.6.
        #expect(abs(try data.quantile(0.9) - 7.6) <= 1e-14)
        // p = 0.6: h = 4.2 → x_(4) + 0.2 (x_(5) − x_(4)) = 5.
        #expect(try data.quantile(0.6) == 5)
        // p = 0.8: h = 5.6 → 5 + 0.6 (7 − 5) = 6.2.
        #expect(abs(try data.quantile(0.8) - 6.2) <= 1e-14)
    }

    @Test func correlationMatchesHandComputation() throws {
        let x: [Double] = [1, 2, 3, 4, 5]
        let y: [Double] = [2, 4, 5, 4, 5]
        // x̄ = 3, ȳ = 4; dx = −2 −1 0 1 2, dy = −2 0 1 0 1 → Sxy = 6, Sxx = 10, Syy = 6.
        #expect(abs(try x.correlation(with: y) - 6 / (10.0 * 6).squareRoot()) <= 1e-14)
        #expect(abs(try x.correlation(with: x.map { 3 * $0 + 1 }) - 1) <= 1e-14)
        #expect(abs(try x.correlation(with: x.map { -0.5 * $0 }) + 1) <= 1e-14)
        // Symmetric.
        #expect(abs(try y.correlation(with: x) - (try x.correlation(with: y))) <= 1e-15)
    }

    @Test func tooFewValuesAreRefusedInsteadOfNaN() throws {
        let empty: [Double] = []
        #expect(throws: StatisticsError.tooFewValues(function: "gsl_stats_mean", given: 0, needed: 1)) { try empty.mean() }
        #expect(throws: StatisticsError.tooFewValues(function: "gsl_stats_min", given: 0, needed: 1)) { try empty.minimum() }
        #expect(throws: StatisticsError.tooFewValues(function: "gsl_stats_max", given: 0, needed: 1)) { try empty.maximum() }
        #expect(throws: StatisticsError.tooFewValues(function: "gsl_stats_median_from_sorted_data", given: 0, needed: 1)) {
            try empty.median()
        }
        #expect(throws: StatisticsError.tooFewValues(function: "gsl_stats_quantile_from_sorted_data", given: 0, needed: 1)) {
            try empty.quantile(0.5)
        }
        // GSL returns NaN for the spread of one value.
        #expect(throws: StatisticsError.tooFewValues(function: "gsl_stats_variance", given: 1, needed: 2)) { try [3.0].variance() }
        #expect(throws: StatisticsError.tooFewValues(function: "gsl_stats_sd", given: 1, needed: 2)) { try [3.0].standardDeviation() }
        #expect(throws: StatisticsError.tooFewValues(function: "gsl_stats_correlation", given: 1, needed: 2)) {
            try [1.0].correlation(with: [2])
        }
        // One value is enough for the statistics that need one.
        #expect(try [3.0].mean() == 3)
        #expect(try [3.0].median() == 3)
    }

    @Test func nonFiniteValuesNameTheirIndex() {
        #expect(throws: StatisticsError.nonFiniteValue(function: "gsl_stats_mean", argument: "data", index: 2, value: .infinity)) {
            try [1.0, 2, .infinity].mean()
        }
        let error = #expect(throws: StatisticsError.self) { try [1.0, .nan, 3].standardDeviation() }
        guard case .nonFiniteValue("gsl_stats_sd", "data", 1, let value)? = error, value.isNaN else {
            Issue.record("expected nonFiniteValue at index 1, got \(String(describing: error))")
            return
        }
        #expect(throws: StatisticsError.nonFiniteValue(function: "gsl_stats_correlation", argument: "data2", index: 0, value: -.infinity)) {
            try [1.0, 2].correlation(with: [-.infinity, 1])
        }
    }

    @Test func correlationRefusesMismatchedAndConstantData() {
        #expect(throws: StatisticsError.countMismatch(function: "gsl_stats_correlation", firstCount: 3, secondCount: 2)) {
            try [1.0, 2, 3].correlation(with: [1, 2])
        }
        #expect(throws: StatisticsError.zeroVariance(function: "gsl_stats_correlation", argument: "data1")) {
            try [1.0, 1, 1].correlation(with: [1, 2, 3])
        }
        #expect(throws: StatisticsError.zeroVariance(function: "gsl_stats_correlation", argument: "data2")) {
            try [1.0, 2, 3].correlation(with: [4, 4, 4])
        }
    }

    @Test(arguments: [-0.1, 1.1, Double.nan, -.infinity])
    func quantileRefusesProbabilitiesOutsideTheUnitInterval(p: Double) {
        let error = #expect(throws: StatisticsError.self) { try [1.0, 2, 3].quantile(p) }
        guard case .probabilityOutOfRange("gsl_stats_quantile_from_sorted_data", let value)? = error,
              value == p || (value.isNaN && p.isNaN) else {
            Issue.record("expected probabilityOutOfRange(\(p)), got \(String(describing: error))")
            return
        }
    }

    @Test func descriptionsNameTheFunction() {
        let error = StatisticsError.gsl(function: "gsl_fit_linear", status: 1, message: "input domain error")
        #expect(error.description.contains("gsl_fit_linear") && error.description.contains("input domain error"))
        let tooFew = StatisticsError.tooFewValues(function: "gsl_stats_sd", given: 1, needed: 2)
        #expect(tooFew.description.contains("gsl_stats_sd") && tooFew.description.contains("1")
            && tooFew.description.contains("2"))
    }
}
