extension Int {
    /// `Π factors`, or `nil` when the product overflows `Int`: the one overflow-checked size
    /// computation of the dataset code (image sizes, buffer lengths), so that hostile geometry
    /// throws instead of trapping.
    ///
    /// - Parameter factors: non-negative factors (an empty list gives 1).
    /// - Returns: the product, or `nil` on overflow.
    static func checkedProduct(_ factors: Int...) -> Int? {
        var product = 1
        for factor in factors {
            let (next, overflow) = product.multipliedReportingOverflow(by: factor)
            guard !overflow else { return nil }
            product = next
        }
        return product
    }
}
