/// A failed oneDNN call.
///
/// Reference: oneDNN 2.6 C API (`dnnl_status_t`, `dnnl_status2str`).
public struct DNNLError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The C function that failed (e.g. `"dnnl_primitive_desc_create"`).
    public let function: String
    /// The raw `dnnl_status_t` value.
    public let status: Int
    /// The status name from `dnnl_status2str` followed by what was being done.
    public let message: String

    /// Creates an error value.
    ///
    /// - Parameters:
    ///   - function: the failing C function.
    ///   - status: the raw status it returned.
    ///   - message: a description of the status and of what was attempted.
    public init(function: String, status: Int, message: String) {
        self.function = function
        self.status = status
        self.message = message
    }

    /// `"<function> failed with status <status>: <message>"`.
    public var description: String { "\(function) failed with status \(status): \(message)" }
}
