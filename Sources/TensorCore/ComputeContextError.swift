/// A compute context that cannot be built.
public enum ComputeContextError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The kernel thread count is outside `1...ThreadControl.maximumThreadCount`.
    ///
    /// - `field`: the field that held it (`"threadCount"`, or a decoded file's key path).
    /// - `requested`: the count given.
    /// - `allowed`: the counts accepted on this machine (4 × the online cores, at most 1024).
    case threadCountOutOfRange(field: String, requested: Int, allowed: ClosedRange<Int>)

    /// A message naming the field, the count and the allowed range.
    public var description: String {
        switch self {
        case let .threadCountOutOfRange(field, requested, allowed):
            return "\(field): kernel thread count must be in \(allowed.lowerBound)...\(allowed.upperBound) "
                + "(4 × cores, at most 1024), got \(requested)"
        }
    }
}
