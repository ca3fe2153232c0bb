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

    /// Returns `value` when it is finite, else throws ``StatisticsError/nonFiniteResult(function:quantity:value:)``:
    /// the shared guard for results of finite inputs that overflowed.
    ///
    /// - Parameters:
    ///   - value: the computed result.
    ///   - function: the GSL function that produced it, for the error.
    ///   - quantity: what `value` is (`"variance"`, `"slope"`, …), for the error.
    static func finiteResult(_ value: Double, of function: String, quantity: String) throws(StatisticsError) -> Double {
        guard value.isFinite else { throw .nonFiniteResult(function: function, quantity: quantity, value: value) }
        return value
    }
}
