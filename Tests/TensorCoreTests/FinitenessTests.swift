import Testing
import TensorCore

@Suite struct FinitenessTests {
    @Test func countsAndLocatesNaNAndInfinities() throws {
        // More than one 4096-element block, with the non-finite values in the second.
        var elements = [Float](repeating: 1, count: 5000)
        #expect(try Tensor(shape: [5000], elements: elements).nonFiniteCount() == 0)
        #expect(try Tensor(shape: [5000], elements: elements).firstNonFiniteIndex() == nil)
        elements[4100] = .nan
        elements[4200] = -.infinity
        elements[4300] = .greatestFiniteMagnitude
        elements[4400] = .leastNonzeroMagnitude
        let tensor = try Tensor(shape: [5000], elements: elements)
        #expect(tensor.nonFiniteCount() == 2)
        #expect(tensor.firstNonFiniteIndex() == 4100)
        elements.withUnsafeBufferPointer { #expect(Tensor.nonFiniteCount(in: $0) == 2) }
    }
}
