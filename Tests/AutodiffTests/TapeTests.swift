import Testing
#if canImport(Glibc)
import Glibc
#endif
import Integrators
import TensorCore
@testable import Autodiff

/// Heun's method written only against `VectorSpace`, as the integrators are.
func heunStep<V: VectorSpace>(_ y: V, h: Double, _ f: (V) throws -> V) throws -> V {
    let k1 = try f(y)
    let stage = try V.linearCombination(y, weights: [h], terms: [k1])
    let k2 = try f(stage)
    return try V.linearCombination(y, weights: [h / 2, h / 2], terms: [k1, k2])
}

@Suite("Tape")
struct TapeTests {
    @Test("backprop flows through every Runge–Kutta stage of a generic integrator step")
    func integratorStep() throws {
        let x = try randomTensor([2, 4, 4, 8], seed: 40)
        let w = Parameter(try randomTensor([8, 8, 3, 3], seed: 41, standardDeviation: 0.2), name: "w")
        let gamma = Parameter(try Tensor(shape: [8], repeating: 1), name: "gamma")
        let beta = Parameter(try Tensor(zeros: [8]), name: "beta")
        // F(Y) = conv(BN(Y)): smooth, so central differences apply; two stages, one θ.
        func f(_ y: Variable) throws -> Variable {
            try y.batchNorm(scale: gamma, shift: beta).output.conv2d(weight: w, padding: 1)
        }
        try GradientCheck().check(input: x, parameters: [w, gamma, beta]) { y in
            try heunStep(heunStep(y, h: 0.5, f), h: 0.5, f)
        }
        // One node per combination plus the ops of F: 2 steps × (2 F calls × 2 ops + 2 combinations).
        let tape = Tape()
        _ = try heunStep(heunStep(tape.input(x, requiresGradient: true), h: 0.5, f), h: 0.5, f)
        #expect(tape.nodeCount == 1 + 2 * (2 * 2 + 2))
    }

    @Test("a variable used twice accumulates both gradients; parameters accumulate across uses")
    func accumulation() throws {
        let tape = Tape()
        let x = tape.input(try Tensor(shape: [3], elements: [1, 2, 3]), requiresGradient: true)
        let y = try Variable.linearCombination(x, weights: [2, 3], terms: [x, x])   // y = 6x
        try tape.backward(from: y)
        #expect(x.gradient?.elements == [6, 6, 6])
        let w = Parameter(try Tensor(shape: [1, 3], elements: [1, 1, 1]), name: "w")
        let z = try x.reshaped(to: [1, 3]).linear(weight: w, bias: nil)
        let zz = try Variable.linearCombination(z, weights: [1], terms: [try x.reshaped(to: [1, 3]).linear(weight: w, bias: nil)])
        try tape.backward(from: zz)
        #expect(w.gradient.elements == [2, 4, 6])
        w.zeroGradient()
        #expect(w.gradient.elements == [0, 0, 0])
    }

    @Test("misuse throws typed errors: stale variables, foreign tapes, constants, bad labels")
    func errors() throws {
        let tape = Tape()
        let other = Tape()
        let x = tape.input(try Tensor(zeros: [2, 3]), requiresGradient: true)
        tape.reset()
        #expect(throws: AutodiffError.staleVariable(operation: "relu")) { try x.relu() }
        let a = tape.input(try Tensor(zeros: [2, 3]), requiresGradient: true)
        let b = other.input(try Tensor(zeros: [2, 3]), requiresGradient: true)
        #expect(throws: AutodiffError.differentTapes(operation: "linearCombination")) { try a + b }
        let c = tape.input(try Tensor(zeros: [2, 3]))
        #expect(throws: AutodiffError.notDifferentiable(operation: "backward")) { try c.backward() }
        #expect(throws: AutodiffError.self) { try a.softmaxCrossEntropy(labels: [0, 3]) }
        #expect(throws: AutodiffError.self) { try a.softmaxCrossEntropy(labels: [0]) }
        #expect(throws: TensorError.self) { try a + (try tape.input(try Tensor(zeros: [3, 2]), requiresGradient: true)) }
    }

    @Test("cross-entropy value and accuracy match a direct computation")
    func crossEntropyValue() throws {
        let tape = Tape()
        let logits = tape.input(try Tensor(shape: [2, 3], elements: [1, 2, 3, 5, 1, 0]))
        let (loss, accuracy) = try logits.softmaxCrossEntropy(labels: [2, 1])
        let l0 = -(3.0 - log(exp(1.0) + exp(2.0) + exp(3.0)))
        let l1 = -(1.0 - log(exp(5.0) + exp(1.0) + exp(0.0)))
        #expect(abs(Double(loss.value.elements[0]) - (l0 + l1) / 2) < 1e-5)
        #expect(accuracy == 0.5)
        // Large logits stay finite (log-sum-exp).
        let big = tape.input(try Tensor(shape: [1, 2], elements: [1000, -1000]))
        #expect(try big.softmaxCrossEntropy(labels: [1]).loss.value.elements[0].isFinite)
    }

    @Test("a non-recording tape keeps no nodes; reset empties the tape")
    func recording() throws {
        let w = Parameter(try randomTensor([8, 8, 1, 1], seed: 42), name: "w")
        let evaluation = Tape(recording: false)
        let y = try evaluation.input(try randomTensor([1, 2, 2, 8], seed: 43), requiresGradient: true).conv2d(weight: w)
        #expect(evaluation.nodeCount == 0)
        #expect(!y.requiresGradient)
        let tape = Tape()
        _ = try tape.input(try randomTensor([1, 2, 2, 8], seed: 43)).conv2d(weight: w).relu()
        #expect(tape.nodeCount == 2)
        #expect(tape.parameters.count == 1 && tape.parameters[0] === w)
        tape.reset()
        #expect(tape.parameters.isEmpty)
        #expect(tape.nodeCount == 0)
        #expect(tape.generation == 1)
    }
}
