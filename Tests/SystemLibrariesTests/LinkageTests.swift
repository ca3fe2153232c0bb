import COpenBLAS
import CGSL
import Foundation
import Testing

/// The process must resolve CBLAS to OpenBLAS: GSL's libgsl.so pulls in libgslcblas as a
/// dependency, and a wrong link order would silently route every GEMM to GSL's reference CBLAS.
@Suite struct LinkageTests {
    /// The shared object that defines `symbol` in this process's global lookup scope: the
    /// mapping of `/proc/self/maps` that contains the address `dlsym(RTLD_DEFAULT, symbol)`.
    /// (glibc hides `dladdr` without `_GNU_SOURCE`, which Swift does not define.)
    private func definingLibrary(of symbol: String) throws -> String {
        let handle = try #require(dlopen(nil, RTLD_NOW))
        let address = UInt(bitPattern: dlsym(handle, symbol))
        try #require(address != 0, "\(symbol) is not resolvable")
        // /proc files report size 0: read to the end rather than trusting the size.
        let file = try #require(FileHandle(forReadingAtPath: "/proc/self/maps"))
        let maps = String(decoding: try #require(try file.readToEnd()), as: UTF8.self)
        for line in maps.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            let range = fields[0].split(separator: "-")
            guard fields.count >= 6, range.count == 2,
                  let start = UInt(range[0], radix: 16), let end = UInt(range[1], radix: 16),
                  start <= address, address < end else { continue }
            return String(fields[5])
        }
        Issue.record("no mapping holds \(symbol) at \(String(address, radix: 16)); maps: \(maps.count) chars")
        return ""
    }

    @Test func cblasSgemmResolvesToOpenBLAS() throws {
        // Reference the symbol so the test binary really links it.
        var c: Float = 0
        var a: Float = 2
        var b: Float = 3
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, 1, 1, 1, 1, &a, 1, &b, 1, 0, &c, 1)
        #expect(c == 6)
        let library = try definingLibrary(of: "cblas_sgemm")
        #expect(library.contains("openblas"), "cblas_sgemm comes from \(library)")
        #expect(!library.contains("gslcblas"), "cblas_sgemm comes from \(library)")
    }

    @Test func gslUsesTheSameCBLAS() throws {
        // cblas_dgemm is what GSL's own BLAS wrappers call; it must come from OpenBLAS as well.
        let library = try definingLibrary(of: "cblas_dgemm")
        #expect(library.contains("openblas"), "cblas_dgemm comes from \(library)")
        #expect(String(cString: mlr_gsl_version()).hasPrefix("2."))
    }
}
