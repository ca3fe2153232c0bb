import Interpolation
import Testing

@Suite struct NotAKnotSplineTests {
    let x: [Double] = [0, 0.4, 1.1, 1.5, 2.3, 3.0, 3.2]

    private func maxError(_ a: InterpolationMatrix, _ f: (Double) -> Double, x: [Double],
                          queries: [Double]) throws -> Double {
        let values = try a.apply(to: x.map(f))
        return zip(values, queries).map { abs($0 - f($1)) }.max() ?? 0
    }

    @Test func reproducesCubicsInsideAndOutsideTheDataRange() throws {
        let cubic = { (t: Double) in 0.5 - 2 * t + 0.75 * t * t - 0.3 * t * t * t }
        let queries = stride(from: -0.5, through: 3.7, by: 0.13).map { $0 }
        let a = try InterpolationMatrix.notAKnotCubicSpline(x: x, queries: queries)
        #expect(try maxError(a, cubic, x: x, queries: queries) < 1e-12)
    }

    @Test func naturalSplineDoesNotReproduceCubics() throws {
        // The reason this matrix exists: GSL's natural spline forces s'' = 0 at the ends.
        let cubic = { (t: Double) in t * t * t }
        let queries = [0.2, 1.3, 3.1]
        let natural = try InterpolationMatrix(method: .cubicSpline, x: x, queries: queries)
        #expect(try maxError(natural, cubic, x: x, queries: queries) > 1e-3)
    }

    @Test func interpolatesTheSamples() throws {
        let a = try InterpolationMatrix.notAKnotCubicSpline(x: x, queries: x)
        for i in 0..<x.count {
            for j in 0..<x.count {
                #expect(abs(a[i, j] - (i == j ? 1 : 0)) < 1e-12, "A[\(i), \(j)] = \(a[i, j])")
            }
        }
    }

    @Test(arguments: [1, 2, 3, 4])
    func smallSizesReproducePolynomialsOfDegreeNMinusOne(n: Int) throws {
        let xs = Array(x.prefix(n))
        let poly = { (t: Double) in (0..<n).reduce(0.0) { $0 * t + Double($1 + 1) } }
        let queries = [-1.0, 0.3, 2.5]
        let a = try InterpolationMatrix.notAKnotCubicSpline(x: xs, queries: queries)
        #expect(try maxError(a, poly, x: xs, queries: queries) < 1e-11)
    }

    @Test func badInputThrows() throws {
        #expect(throws: InterpolationError.tooFewPoints(method: .cubicSpline, given: 0, needed: 1)) {
            try InterpolationMatrix.notAKnotCubicSpline(x: [], queries: [0])
        }
        #expect(throws: InterpolationError.abscissaeNotIncreasing(index: 2, previous: 1, value: 1)) {
            try InterpolationMatrix.notAKnotCubicSpline(x: [0, 1, 1, 2], queries: [0])
        }
        #expect(throws: InterpolationError.nonFiniteQuery(x: .infinity)) {
            try InterpolationMatrix.notAKnotCubicSpline(x: [0, 1, 2, 3, 4], queries: [.infinity])
        }
    }
}
