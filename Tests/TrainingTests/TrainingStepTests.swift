import Autodiff
import Datasets
import Foundation
import ODENet
import Optimization
import TensorCore
import Testing
@testable import Training

/// Issue 13, item 1: the one training step, its hooks and the optimizer's parameter groups.
@Suite("Training step and hooks", .serialized)
struct TrainingStepTests {
    /// A fixed batch of 16 digits (normalized, no augmentation).
    private func batch(_ data: TrainingData) throws -> TrainingBatch {
        let batcher = try MiniBatcher(dataset: data.training, statistics: data.statistics, batchSize: 16)
        var generator = SplitMix64(seed: 0)
        let (input, labels) = try batcher.batch(Array(0..<16), augmented: false, generator: &generator)
        return TrainingBatch(input: input, labels: labels)
    }

    @Test func aGradientHookThatZeroesGradientsLeavesOnlyTheDecay() throws {
        let data = try TrainingFixture.data()
        let lambda = 5e-4
        let (eta, l) = (Float(0.1), Float(lambda))
        for noDecay: Set<DecayExclusion> in [[], [.norm, .bias]] {
            let network = try TrainingFixture.network(stepCount: 2)
            let before = network.parameters.map(\.value.elements)
            var configuration = TrainingFixture.configuration
            configuration.weightDecay = lambda
            configuration.noDecay = noDecay
            let trainer = try Trainer(network: network, data: data, configuration: configuration)
            var calls = 0
            trainer.gradientHooks = [{ parameters in
                calls += 1
                #expect(parameters.contains { $0.gradient.elements.contains { $0 != 0 } })  // after backward
                for parameter in parameters { parameter.zeroGradient() }
            }]
            try trainer.step(batch: batch(data), learningRate: Double(eta))
            #expect(calls == 1)
            // First step, g = 0: d = λθ, v = d, θ ← θ − η v (λ = 0 for an excluded group).
            for (parameter, old) in zip(trainer.network.parameters, before) {
                let excluded = noDecay.contains { $0.kind == parameter.path?.field.kind }
                let expected = excluded ? old : old.map { $0 - eta * (0 + l * $0) }
                #expect(parameter.value.elements == expected, "\(parameter.name), noDecay \(noDecay)")
                if !excluded { #expect(parameter.value.elements != old || old.allSatisfy { $0 == 0 }) }
            }
        }
    }

    @Test func anObjectiveHookAddingAnInnerProductYieldsItsGradient() throws {
        let data = try TrainingFixture.data()
        let network = try TrainingFixture.network(stepCount: 2)
        let step = try TrainingStep(network: network, optimizer: SGD())
        let input = try batch(data)
        let parameters = network.parameters
        // v: a fixed, different value per element of every parameter.
        var generator = Xoshiro256StarStar(seed: 11)
        let v = try parameters.map { try Tensor.randomNormal(shape: $0.shape, standardDeviation: 1, generator: &generator) }
        let plain = try step.gradients(of: input)
        let plainGradients = parameters.map(\.gradient.elements)
        step.objectiveHooks = [{ parameters in
            var term = 0.0
            for (parameter, v) in zip(parameters, v) {
                term += zip(parameter.value.elements, v.elements).reduce(0) { $0 + Double($1.0) * Double($1.1) }
                try parameter.accumulateGradient(v)
            }
            return term
        }]
        let hooked = try step.gradients(of: input)
        #expect(hooked.loss == plain.loss && hooked.objectiveTerms != 0)
        // The gradient of the objective is the loss's plus v.
        for (index, parameter) in parameters.enumerated() {
            let expected = zip(plainGradients[index], v[index].elements).map { $0 + $1 }
            #expect(zip(parameter.gradient.elements, expected).allSatisfy { abs($0 - $1) <= 1e-5 * (1 + abs($1)) },
                    "\(parameter.name)")
        }
        // Central finite differences of the objective (loss + ⟨v, θ⟩) match the gradient: the
        // classifier's bias and weight, where the loss is smooth.
        let epsilon: Float = 1e-2
        for parameter in [network.classifierBias, network.classifierWeight] {
            #expect(try step.gradients(of: input).objective == hooked.objective)  // deterministic
            let analytic = parameter.gradient.elements
            for i in [0, 3, parameter.value.count - 1] {
                let original = parameter.value.elements[i]
                func objective(at x: Float) throws -> Double {
                    parameter.update { theta, _ in theta[i] = x }
                    return try step.gradients(of: input).objective
                }
                let plus = try objective(at: original + epsilon)
                let minus = try objective(at: original - epsilon)
                parameter.update { theta, _ in theta[i] = original }
                let difference = (plus - minus) / Double(2 * epsilon)
                #expect(abs(difference - Double(analytic[i])) <= 2e-3 * (1 + abs(Double(analytic[i]))),
                        "\(parameter.name)[\(i)]: finite difference \(difference), gradient \(analytic[i])")
            }
        }
    }

    @Test func optimizerStateOfDepthNFedToDepth2NThrows() throws {
        let data = try TrainingFixture.data()
        let coarse = try TrainingFixture.network(stepCount: 2)
        let step = try TrainingStep(network: coarse, optimizer: SGD())
        try step.step(batch(data), learningRate: 0.1)
        #expect(step.optimizer.depth == 2 && !step.optimizer.state.isEmpty)
        var sgd = try SGD()
        sgd.setState(step.optimizer.state, depth: 2)
        let fine = try TrainingFixture.network(stepCount: 4)
        #expect(throws: OptimizationError.depthMismatch(buffers: 2, parameters: 4)) {
            try TrainingStep(network: fine, optimizer: sgd)
        }
        #expect(throws: OptimizationError.depthMismatch(buffers: 2, parameters: 4)) {
            try step.replaceNetwork(fine, optimizerState: step.optimizer.state, depth: 2)
        }
        #expect(throws: OptimizationError.depthMismatch(buffers: 2, parameters: 4)) {
            try sgd.step(fine.parameters, learningRate: 0.1, depth: 4)
        }
        // Transferred to the fine network and tagged with its depth, the state applies.
        let moved = try coarse.transferredState(step.optimizer.state, .prolongation(.piecewiseConstant), policy: .transfer)
        let refined = try coarse.transferred(.prolongation(.piecewiseConstant), rule: .halve)
        try step.replaceNetwork(refined, optimizerState: moved, depth: 4)
        try step.step(batch(data), learningRate: 0.1)
        #expect(step.optimizer.depth == 4)
    }

    @Test func theEpochLoopIsTheStep() throws {
        // Two trainers, one training an epoch, one stepping the same batches by hand: same weights.
        let data = try TrainingFixture.data(validation: false)
        var configuration = TrainingFixture.configuration
        configuration.augmentation = .none
        let a = try Trainer(network: TrainingFixture.network(stepCount: 2), data: data, configuration: configuration)
        let b = try Trainer(network: TrainingFixture.network(stepCount: 2), data: data, configuration: configuration)
        try a.trainEpoch(schedule: .constant(0.05), scheduleOffset: 0)
        let batcher = try MiniBatcher(dataset: data.training, statistics: data.statistics,
                                      batchSize: configuration.batchSize)
        var shuffle = TrainingState(seed: configuration.seed).shuffleGenerator
        var augmentation = TrainingState(seed: configuration.seed).augmentationGenerator
        for indices in batcher.shuffledBatches(using: &shuffle) {
            let (input, labels) = try batcher.batch(indices, augmented: true, generator: &augmentation)
            try b.step(batch: TrainingBatch(input: input, labels: labels), learningRate: 0.05)
        }
        #expect(TrainingFixture.identical(a.network, b.network))
        #expect(a.state.step == b.state.step)
    }

    @Test func noDecayIsAlwaysEncodedAndOptionalWhenDecoded() throws {
        // Every field is recorded (issue 13: a run's files state each setting, defaults included).
        let plain = try JSONEncoder().encode(TrainingFixture.configuration)
        #expect(String(decoding: plain, as: UTF8.self).contains(#""noDecay":[]"#))
        // A file written before the option existed has no noDecay: it reads as decay everywhere.
        var object = try #require(try JSONSerialization.jsonObject(with: plain) as? [String: Any])
        object["noDecay"] = nil
        let old = try JSONSerialization.data(withJSONObject: object)
        #expect(try JSONDecoder().decode(TrainingConfiguration.self, from: old) == TrainingFixture.configuration)
        var configuration = TrainingFixture.configuration
        configuration.noDecay = [.norm, .bias]
        let text = try JSONEncoder().encode(configuration)
        #expect(String(decoding: text, as: UTF8.self).contains(#""noDecay":["bias","norm"]"#))
        #expect(try JSONDecoder().decode(TrainingConfiguration.self, from: text) == configuration)
        #expect(try JSONDecoder().decode(TrainingConfiguration.self, from: plain) == TrainingFixture.configuration)
    }
}

@Suite("Trainer with a given optimizer", .serialized)
struct TrainerOptimizerTests {
    @Test func aGivenOptimizerIsTheOneThatSteps() throws {
        let data = try TrainingFixture.data()
        // No decay: θ ← θ − η g exactly; the configuration's SGD (λ = 5e-4) would also decay.
        let trainer = try Trainer(network: TrainingFixture.network(stepCount: 2), data: data,
                                  configuration: TrainingFixture.configuration,
                                  optimizer: SGD(momentum: 0, weightDecay: 0))
        var gradients: [[Float]] = []
        trainer.gradientHooks = [{ parameters in gradients = parameters.map(\.gradient.elements) }]
        let before = trainer.network.parameters.map(\.value.elements)
        let batcher = try MiniBatcher(dataset: data.training, statistics: data.statistics, batchSize: 16)
        var generator = SplitMix64(seed: 0)
        let (input, labels) = try batcher.batch(Array(0..<16), augmented: false, generator: &generator)
        try trainer.step(batch: TrainingBatch(input: input, labels: labels), learningRate: 0.1)
        #expect((trainer.optimizer as? SGD)?.weightDecay == 0 && trainer.state.step == 1)
        for ((parameter, old), g) in zip(zip(trainer.network.parameters, before), gradients) {
            #expect(parameter.value.elements == zip(old, g).map { $0 - Float(0.1) * ($1 + 0 * $0) }, "\(parameter.name)")
        }
    }
}
