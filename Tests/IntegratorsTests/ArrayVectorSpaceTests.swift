import Testing
import Integrators

@Suite("[Double] as a VectorSpace")
struct ArrayVectorSpaceTests {
    @Test("base + Σ w_i t_i element by element")
    func combination() throws {
        let r = try [Double].linearCombination([1, 2, 3], weights: [2, -1], terms: [[1, 1, 1], [0, 4, 8]])
        #expect(r == [3, 0, -3])
        #expect(try [Double].linearCombination([1, 2], weights: [], terms: []) == [1, 2])
    }

    @Test("mismatched counts are typed errors")
    func mismatches() {
        #expect(throws: VectorSpaceError.countMismatch(termIndex: 1, baseCount: 2, termCount: 1)) {
            try [Double].linearCombination([1, 2], weights: [1, 1], terms: [[1, 1], [1]])
        }
        #expect(throws: VectorSpaceError.weightCountMismatch(weightCount: 1, termCount: 2)) {
            try [Double].linearCombination([1, 2], weights: [1], terms: [[1, 1], [1, 1]])
        }
        #expect(throws: VectorSpaceError.weightCountMismatch(weightCount: 2, termCount: 1)) {
            try [Double].linearCombination([1, 2], stepSize: 0.1, coefficients: [1, 0], terms: [[1, 1]])
        }
    }

    @Test("the step helper scales by h, skips zeros and returns base when all coefficients vanish")
    func stepHelper() throws {
        let r = try [Double].linearCombination([1, 1], stepSize: 0.5, coefficients: [0, 2], terms: [[.nan, .nan], [1, -1]])
        #expect(r == [2, 0])
        let same = try [Double].linearCombination([1, 1], stepSize: 0.5, coefficients: [0], terms: [[.infinity, 1]])
        #expect(same == [1, 1])
    }
}
