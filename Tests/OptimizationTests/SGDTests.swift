import Autodiff
import Optimization
import TensorCore
import Testing

@Suite struct SGDTests {
    /// A parameter `[1, n]` whose gradient is `gradient`, accumulated by a real backward pass:
    /// `y = x pᵀ` with `x = gradient` gives `∂y/∂p = x`.
    private func parameter(_ values: [Float], gradient: [Float], name: String = "stem.weight") throws -> Parameter {
        let p = Parameter(try Tensor(shape: [1, values.count], elements: values), path: try ParameterPath(name: name))
        let tape = Tape()
        let x = tape.input(try Tensor(shape: [1, gradient.count], elements: gradient))
        try x.linear(weight: p, bias: nil).backward()
        #expect(p.gradient.elements == gradient)
        return p
    }

    @Test func matchesTheHandComputedMomentumRecurrence() throws {
        var sgd = try SGD(momentum: 0.9, weightDecay: 0.1)
        let p = try parameter([1, -2], gradient: [0.5, 0.25])
        // Step 1: d = g + λθ = [0.6, 0.05]; v = d; θ = θ − η v with η = 0.1.
        try sgd.step([p], learningRate: 0.1)
        let theta1: [Float] = [1 - 0.1 * 0.6, -2 - 0.1 * 0.05]
        #expect(zip(p.value.elements, theta1).allSatisfy { abs($0 - $1) < 1e-6 })
        #expect(p.gradient.elements == [0, 0])  // zeroed for the next pass
        // Step 2 with gradient 0: d = λθ1; v = 0.9 v1 + d.
        try sgd.step([p], learningRate: 0.1)
        let v2 = zip([Float(0.6), 0.05], theta1).map { 0.9 * $0 + 0.1 * $1 }
        let theta2 = zip(theta1, v2).map { $0 - 0.1 * $1 }
        #expect(zip(p.value.elements, theta2).allSatisfy { abs($0 - $1) < 1e-6 })
    }

    @Test func nesterovLooksAhead() throws {
        var sgd = try SGD(momentum: 0.5, weightDecay: 0, nesterov: true)
        let p = try parameter([0], gradient: [1])
        try sgd.step([p], learningRate: 1)  // v = 1; d = 1 + 0.5 · 1
        #expect(p.value.elements == [-1.5])
    }

    @Test func badInputThrows() throws {
        #expect(throws: OptimizationError.self) { try SGD(momentum: 1) }
        #expect(throws: OptimizationError.self) { try SGD(weightDecay: -1) }
        #expect(throws: OptimizationError.self) { try SGD(momentum: 0, nesterov: true) }
        var sgd = try SGD()
        let a = try parameter([1], gradient: [1], name: "stem.weight")
        let b = try parameter([2], gradient: [1], name: "stem.weight")
        #expect(throws: OptimizationError.duplicateParameterName("stem.weight")) { try sgd.step([a, b], learningRate: 0.1) }
        #expect(throws: OptimizationError.self) { try sgd.step([a], learningRate: 0) }
        #expect(throws: OptimizationError.self) { try sgd.step([a], learningRate: .nan) }
        sgd.setState([try ParameterPath(.stem, .weight): try Tensor(zeros: [3])], depth: nil)
        #expect(throws: OptimizationError.stateShapeMismatch(name: "stem.weight", expected: [1, 1], got: [3])) {
            try sgd.step([a], learningRate: 0.1)
        }
    }
}

@Suite struct SGDBadHyperparameterTests {
    private func parameter() throws -> Parameter {
        let p = Parameter(try Tensor(shape: [1, 2], elements: [1, -2]), path: try ParameterPath(.stem, .weight))
        let tape = Tape()
        try tape.input(try Tensor(shape: [1, 2], elements: [0.5, 0.25])).linear(weight: p, bias: nil).backward()
        return p
    }

    @Test func learningRateMustBeANormalFloat() throws {
        var sgd = try SGD(momentum: 0.9, weightDecay: 0)
        let p = try parameter()
        for eta in [1e300, 1e-50, 1e-40, .infinity, -0.1] {
            #expect(throws: OptimizationError.self) { try sgd.step([p], learningRate: eta) }
        }
        #expect(p.value.elements == [1, -2])  // nothing was updated
    }

    @Test func weightDecayMustBeSmall() throws {
        for lambda in [1e300, 2, 1e-50, .nan] {
            #expect(throws: OptimizationError.self) { try SGD(weightDecay: lambda) }
        }
        var sgd = try SGD(momentum: 0.9, weightDecay: 0.5)
        let p = try parameter()
        // η·λ ≥ 1 would flip the sign of the decayed weights.
        #expect(throws: OptimizationError.self) { try sgd.step([p], learningRate: 2) }
        try sgd.step([p], learningRate: 1.5)
        #expect(p.value.elements.allSatisfy { $0.isFinite })
    }

    @Test func valueReplacedWithAnotherShapeSteps() throws {
        var sgd = try SGD(momentum: 0.9, weightDecay: 0)
        let p = try parameter()
        p.value = try Tensor(shape: [65536], repeating: 1)
        #expect(p.gradient.shape == [65536])
        try sgd.step([p], learningRate: 0.1)
        #expect(p.value.elements.allSatisfy { $0 == 1 })  // zero gradient, no decay
    }
}

@Suite struct SGDFinitenessTests {
    private func parameter(_ values: [Float], gradient: [Float], name: String) throws -> Parameter {
        let p = Parameter(try Tensor(shape: [1, values.count], elements: values), path: try ParameterPath(name: name))
        let tape = Tape()
        try tape.input(try Tensor(shape: [1, gradient.count], elements: gradient)).linear(weight: p, bias: nil).backward()
        return p
    }

    @Test func findsTheFirstNonFiniteGradientBeforeItsWeight() throws {
        let sgd = try SGD(momentum: 0.9, weightDecay: 0)
        let fine = try parameter([1, 2], gradient: [0.5, 0.5], name: "head.linear.weight")
        let bad = try parameter([1, 2, 3], gradient: [0.5, .nan, 0.5], name: "head.linear.bias")
        #expect(sgd.firstNonFiniteUpdate(of: [fine], learningRate: 0.1) == nil)
        let found = try #require(sgd.firstNonFiniteUpdate(of: [fine, bad], learningRate: 0.1))
        #expect(found.name == "head.linear.bias" && found.quantity == .gradient && found.index == 1 && found.value.isNaN)
        #expect(bad.value.elements == [1, 2, 3])  // nothing changed
    }

    @Test(arguments: [false, true])
    func predictsAWeightTheUpdateWouldOverflow(nesterov: Bool) throws {
        // θ − η g = 1 − 1e30 · 1e9 overflows Float32 to −∞ although g and η are finite.
        var sgd = try SGD(momentum: 0.9, weightDecay: 0, nesterov: nesterov)
        let p = try parameter([1, 1], gradient: [1, 1e9], name: "stem.weight")
        #expect(sgd.firstNonFiniteUpdate(of: [p], learningRate: 1e20) == nil)
        let found = try #require(sgd.firstNonFiniteUpdate(of: [p], learningRate: 1e30))
        #expect(found == NonFiniteValue(name: "stem.weight", quantity: .weight, index: 1, value: -.infinity))
        // The step itself produces exactly that value (the screen uses the update's arithmetic).
        try sgd.step([p], learningRate: 1e30)
        #expect(p.value.elements[1] == -.infinity)
    }

    @Test func screensWithTheMomentumHistory() throws {
        // With history v, the update is θ − η (μ v + g): a large buffer alone overflows the weight.
        for nesterov in [false, true] {
            var sgd = try SGD(momentum: 0.9, weightDecay: 0, nesterov: nesterov)
            let p = try parameter([0], gradient: [1], name: "stem.weight")
            sgd.setState([try ParameterPath(.stem, .weight): try Tensor(shape: [1, 1], elements: [3e38])], depth: nil)
            #expect(sgd.firstNonFiniteUpdate(of: [p], learningRate: 1e-3) == nil)
            let q = try parameter([0], gradient: [1], name: "stem.weight")
            #expect(sgd.firstNonFiniteUpdate(of: [q], learningRate: 10)?.quantity == .weight)
            try sgd.step([q], learningRate: 10)
            #expect(!q.value.elements[0].isFinite)
        }
    }

    @Test func buffersOfAnotherDepthAreRefused() throws {
        var sgd = try SGD(momentum: 0.9, weightDecay: 0)
        let p = try parameter([1, 2], gradient: [0.5, 0.5], name: "stage0.step0.conv1.weight")
        try sgd.step([p], learningRate: 0.1, depth: 2)
        #expect(sgd.depth == 2)
        let q = try parameter([1, 2], gradient: [0.5, 0.5], name: "stage0.step0.conv1.weight")
        #expect(throws: OptimizationError.depthMismatch(buffers: 2, parameters: 4)) {
            try sgd.step([q], learningRate: 0.1, depth: 4)
        }
        #expect(q.value.elements == [1, 2])  // nothing was updated
        // Re-tagged (as after a transfer to the deeper network), they apply.
        sgd.setState(sgd.state, depth: 4)
        try sgd.step([q], learningRate: 0.1, depth: 4)
        #expect(q.value.elements != [1, 2])
    }
}
