/// Input checks shared by the statistics wrappers (GSL does not make them: it returns NaN).
extension Array where Element == Double {
    /// Throws unless the array has at least `needed` values, all finite.
    ///
    /// - Parameters:
    ///   - function: the GSL function about to be called, for the error.
    ///   - argument: GSL's name for this array (`"data"`, `"x"`, …), for the error.
    ///   - needed: the fewest values the function can use.
    func validate(for function: String, argument: String = "data", needed: Int) throws(StatisticsError) {
        _ = gslErrorHandlerOff
        guard count >= needed else { throw .tooFewValues(function: function, given: count, needed: needed) }
        for (index, value) in enumerated() where !value.isFinite {
            throw .nonFiniteValue(function: function, argument: argument, index: index, value: value)
        }
    }

    /// Whether every value equals the first (true for an empty array).
    var isConstant: Bool {
        allSatisfy { $0 == first }
    }
}
