import Statistics
import Testing

/// Finite inputs whose statistic overflows throw ``StatisticsError/nonFiniteResult(function:quantity:value:)``
/// naming the function, instead of returning inf or NaN.
@Suite struct OverflowTests {
    /// The function named by a `nonFiniteResult` error, or nil for any other error.
    static func overflowFunction(_ error: any Error) -> String? {
        guard case let .nonFiniteResult(function, _, value)? = error as? StatisticsError, !value.isFinite else {
            return nil
        }
        return function
    }

    @Test func varianceOfHugeOppositeValuesThrows() {
        let data = [1e308, -1e308]
        #expect(performing: { try data.variance() },
                throws: { Self.overflowFunction($0) == "gsl_stats_variance" })
        #expect(performing: { try data.standardDeviation() },
                throws: { Self.overflowFunction($0) == "gsl_stats_sd" })
        #expect(performing: { try data.meanConfidenceInterval() },
                throws: { Self.overflowFunction($0) == "gsl_stats_sd" })
    }

    @Test func lineThroughHugeAbscissaeThrows() {
        #expect(performing: { try LinearFit(x: [1e200, 2e200, 3e200], y: [1, 2, 3]) },
                throws: { Self.overflowFunction($0) == "gsl_fit_linear" })
    }

    /// GSL returned r = 0 here (S_xx overflows), not the true r ≈ 0.98.
    @Test func correlationOfHugeValuesThrows() {
        #expect(performing: { try [1e200, 2e200, 3e200].correlation(with: [1, 2, 4]) },
                throws: { Self.overflowFunction($0) == "gsl_stats_correlation" })
    }

    /// Large values whose statistics stay representable are still accepted.
    @Test func largeButRepresentableValuesPass() throws {
        #expect(abs(try [1e150, -1e150].variance() / 2e300 - 1) < 1e-12)
        #expect(abs(try [1e150, 2e150, 3e150].correlation(with: [1, 2, 3]) - 1) < 1e-12)
        let fit = try LinearFit(x: [1e100, 2e100, 3e100], y: [1, 2, 3])
        #expect(abs(fit.slope * 1e100 - 1) < 1e-9)
    }

    @Test func descriptionNamesFunctionAndQuantity() {
        let error = StatisticsError.nonFiniteResult(function: "gsl_stats_variance", quantity: "variance",
                                                    value: .infinity)
        #expect(error.description.contains("gsl_stats_variance"))
        #expect(error.description.contains("variance"))
    }
}
