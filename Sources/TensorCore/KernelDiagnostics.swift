/// What oneDNN chose for the kernels run so far in this process, for benchmark reports.
public enum KernelDiagnostics {
    /// One line per cached oneDNN primitive: kind, problem shape and implementation name
    /// (e.g. `"convolution forward input [128, 32, 32, 16] … [brg:avx512_core]"`), sorted.
    ///
    /// - Throws: `DNNLError` when the oneDNN runtime cannot be created.
    public static func primitiveImplementations() throws -> [String] {
        try DNNLRuntime.get().cachedPrimitiveNames
    }
}
