import Statistics
import Testing

/// Student-t intervals of the mean against t-table values.
@Suite struct ConfidenceIntervalTests {
    private let data: [Double] = [2, 4, 4, 4, 5, 5, 7, 9]

    /// x̄ = 5, s = √(32/7), n = 8 → s/√n = √(4/7); t-table (ν = 7): t_0.975 = 2.365, t_0.995 = 3.499.
    @Test(arguments: [(0.95, 2.365), (0.99, 3.499), (0.90, 1.895)])
    func halfWidthIsTTimesStandardError(level: Double, tableT: Double) throws {
        let interval = try data.meanConfidenceInterval(level: level)
        let standardError = (4.0 / 7).squareRoot()
        #expect(interval.estimate == 5)
        #expect(interval.level == level)
        // The table gives t to 3 decimals: |t − table| ≤ 5e−4.
        #expect(abs(interval.halfWidth / standardError - tableT) <= 5e-4)
        #expect(abs(interval.lowerBound - (5 - interval.halfWidth)) <= 1e-15)
        #expect(interval.contains(5) && interval.contains(interval.upperBound))
        #expect(!interval.contains(interval.upperBound.nextUp))
    }

    @Test func higherLevelsGiveWiderIntervalsAndTheDefaultIs95Percent() throws {
        let i90 = try data.meanConfidenceInterval(level: 0.90)
        let i95 = try data.meanConfidenceInterval()
        let i99 = try data.meanConfidenceInterval(level: 0.99)
        #expect(i95.level == 0.95)
        #expect(i90.halfWidth < i95.halfWidth && i95.halfWidth < i99.halfWidth)
        // Constant data: zero width.
        #expect(try [3.0, 3, 3].meanConfidenceInterval().halfWidth == 0)
    }

    @Test func errorsAreTyped() {
        #expect(throws: StatisticsError.tooFewValues(function: "gsl_cdf_tdist_Pinv", given: 1, needed: 2)) {
            try [1.0].meanConfidenceInterval()
        }
        for level in [0.0, 1.0, -0.5, 95] {
            #expect(throws: StatisticsError.probabilityOutOfRange(function: "gsl_cdf_tdist_Pinv", value: level)) {
                try data.meanConfidenceInterval(level: level)
            }
        }
        #expect(throws: StatisticsError.nonFiniteValue(function: "gsl_cdf_tdist_Pinv", argument: "data", index: 1, value: .infinity)) {
            try [1.0, .infinity].meanConfidenceInterval()
        }
    }
}
