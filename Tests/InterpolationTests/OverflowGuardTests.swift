import Interpolation
import Testing

/// Regression tests for inputs that used to give silently wrong results or read the wrong entry.
@Suite struct OverflowGuardTests {
    /// `1e308 − (−1e308)` overflows to infinity: GSL then interpolated 0 instead of 0.5.
    @Test func abscissaRangeThatOverflowsIsRejected() {
        #expect(throws: InterpolationError.abscissaRangeOverflow(first: -1e308, last: 1e308)) {
            try Interpolator(x: [-1e308, 1e308], y: [0, 1], method: .linear)
        }
        #expect(throws: InterpolationError.abscissaRangeOverflow(first: -1e308, last: 1e308)) {
            try InterpolationMatrix(method: .linear, x: [-1e308, 0, 1e308], queries: [0])
        }
        #expect(throws: InterpolationError.abscissaRangeOverflow(first: -1e308, last: 1e308)) {
            try InterpolationMatrix.notAKnotCubicSpline(x: [-1e308, 0, 1e308], queries: [0])
        }
    }

    /// A wide but representable range still works.
    @Test func wideRepresentableRangeInterpolates() throws {
        let s = try Interpolator(x: [-1e307, 1e307], y: [0, 1], method: .linear)
        #expect(abs(try s.value(at: 0) - 0.5) < 1e-12)
    }

    /// Column `columnCount` of row 0 used to read entry `[1, 0]`; it now traps with a message.
    @Test func subscriptOutOfBoundsTraps() async {
        await #expect(processExitsWith: .failure) {
            let a = try InterpolationMatrix(method: .linear, x: [0, 1], queries: [0, 1])
            _ = a[0, 2]
        }
    }

    @Test func subscriptInBoundsReadsTheEntry() throws {
        let a = try InterpolationMatrix(method: .linear, x: [0, 1], queries: [0.25])
        #expect(abs(a[0, 0] - 0.75) < 1e-12)
        #expect(abs(a[0, 1] - 0.25) < 1e-12)
    }
}
