import Testing
import TensorCore
@testable import Autodiff

@Suite("Parameter")
struct ParameterTests {
    @Test("replacing the value with another shape resets the gradient to zeros of that shape")
    func valueShapeChange() throws {
        let p = Parameter(try Tensor(shape: [2], elements: [1, 2]), name: "p")
        try p.accumulateGradient(try Tensor(shape: [2], elements: [3, 4]))
        // Same shape: the accumulated gradient is kept.
        p.value = try Tensor(shape: [2], elements: [5, 6])
        #expect(p.gradient.elements == [3, 4])
        p.value = try Tensor(shape: [3, 1], repeating: 1)
        #expect(p.gradient.shape == [3, 1])
        #expect(p.gradient.elements == [0, 0, 0])
        // The next accumulation overwrites the fresh zeros and checks the new shape.
        try p.accumulateGradient(try Tensor(shape: [3, 1], elements: [1, 2, 3]))
        #expect(p.gradient.elements == [1, 2, 3])
        #expect(throws: TensorError.self) { try p.accumulateGradient(try Tensor(zeros: [2])) }
    }

    @Test("an in-place update keeps the value's storage (no copy through the observer)")
    func updateInPlace() throws {
        let p = Parameter(try Tensor(shape: [2], elements: [1, 2]), name: "p")
        let before = p.value.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }
        p.update { value, _ in value[0] = 9 }
        #expect(p.value.elements == [9, 2])
        #expect(p.value.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) } == before)
    }
}
