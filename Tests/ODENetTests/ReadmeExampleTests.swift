import Foundation
// docs-example begins: readme-library
import MultilevelResNet
// docs-example ends: readme-library
import Testing

/// The library example of README.md, compiled and run: if this breaks, the README is wrong
/// (`DocumentationExamplesTests` checks that the marked text equals the README's).
@Suite struct ReadmeExampleTests {
    @Test func readmeLibraryExampleRuns() throws {
        var generator = Xoshiro256StarStar(seed: 1)
        let images = try Tensor.randomNormal(shape: [16, 8, 8, 1], standardDeviation: 1, generator: &generator)
        let labels = (0..<16).map { $0 % 10 }
        let digits = try Dataset.digits()
        let data = try TrainingData(training: digits.subset(indices: Array(0..<32)))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("readme-\(getpid()).h5").path
        defer { try? FileManager.default.removeItem(atPath: path) }

        // docs-example begins: readme-library
        // A 3-stage ODE ResNet for 8×8 grey images: N = 2 steps per stage, T = 2 (h = 1), forward Euler.
        let spec = try ODENetSpec(inputShape: [8, 8, 1], classCount: 10, stageChannels: [8, 16, 32],
                                  stepCount: 2, integrators: [IntegratorKind.forwardEuler.integrator])
        let coarse = try ODENetwork(spec: spec, seed: 0)

        // One training step on a batch: images [batch, 8, 8, 1] (NHWC), labels in 0..<10; `data` is the
        // TrainingData the trainer's epochs draw from. A step is forward, loss, backward, the hooks, the
        // NaN/±∞ screen and the SGD update; the epoch loop, the bench and the comparison all run this one.
        let configuration = TrainingConfiguration(batchSize: 16, momentum: 0.9, weightDecay: 2e-4, noDecay: [.norm, .bias])
        let trainer = try Trainer(network: coarse, data: data, configuration: configuration)
        // A gradient hook runs after backward, before the update (where an MPI allreduce or a gradient
        // restriction plugs in); here it clips every gradient to [−1, 1].
        trainer.gradientHooks.append { parameters in
            for parameter in parameters {
                parameter.updateGradient { g in for i in g.indices { g[i] = min(max(g[i], -1), 1) } }
            }
        }
        // An objective hook adds a term φ(θ) to the loss and ∂φ/∂θ to the gradients; here MG/OPT's
        // correction φ = −⟨v, b⟩ on the classifier's bias b, for some v (∂φ/∂b = −v).
        let v = try Tensor(shape: [10], repeating: 0.01)
        trainer.objectiveHooks.append { _ in
            let bias = coarse.classifierBias
            try bias.accumulateGradient(v.scaled(by: -1))
            return -zip(v.elements, bias.value.elements).reduce(0) { $0 + Double($1.0 * $1.1) }
        }
        let result = try trainer.step(batch: TrainingBatch(input: images, labels: labels), learningRate: 0.1)

        // Refine: copy every step after itself (the paper) and halve h: N = 4, h = 1/2, T = 2.
        let fine = try coarse.refined(by: .piecewiseConstant, rule: .halve)
        // The momentum, kept by ParameterPath (stage1.step0.conv1.weight, …), moves with the weights and is
        // tagged with its new depth (state still tagged N = 2 would throw OptimizationError.depthMismatch).
        var sgd = try SGD(momentum: 0.9, weightDecay: 2e-4, noDecay: [.norm, .bias])
        sgd.setState(try coarse.transferredState(trainer.state.optimizerBuffers, .prolongation(.piecewiseConstant),
                                                 policy: .transfer),
                     depth: fine.spec.stepCount)

        // Swap the integrator on the same weights: classic RK4 (4 evaluations of F per step) ...
        let rk4 = try fine.integrated(with: [IntegratorKind.rk4Classic.integrator])
        // ... or any explicit method given by its Butcher tableau.
        let tableau = try ButcherTableau(name: "midpointHalf", a: [[0, 0], [0.5, 0]], b: [0, 1], c: [0, 0.5], order: 2)
        let midpoint = try fine.integrated(with: [ExplicitRungeKutta(tableau: tableau)])
        let logits = try midpoint.forward(images, on: Tape(recording: false), mode: .evaluation)

        // Export every level (0 = finest) to one HDF5 file, readable by h5py; written atomically.
        let metadata = ArchiveMetadata(dataset: "digits", seed: 0, prolongation: .piecewiseConstant, stepRule: .halve)
        try LevelArchive.write(levels: [ArchivedLevel(index: 0, network: fine, cycle: 1),
                                        ArchivedLevel(index: 1, network: coarse, cycle: 0)],
                               metadata: metadata, to: path)
        let reloaded = try LevelArchive.read(from: path).level(0)?.network  // bit-identical outputs
        // docs-example ends: readme-library

        #expect(result.loss.isFinite && (0...1).contains(result.accuracy))
        #expect(fine.spec.stepCount == 4 && fine.spec.stepSize == 0.5)
        #expect(rk4.spec.integrators.allSatisfy { $0.stageCount == 4 })
        #expect(logits.shape == [16, 10])
        #expect(Set(sgd.state.keys) == Set(fine.parameters.compactMap(\.path)))
        #expect(try #require(reloaded).forward(images, on: Tape(recording: false), mode: .evaluation).value.elements
                == fine.forward(images, on: Tape(recording: false), mode: .evaluation).value.elements)
    }

    @Test func readmeRecalibrationExampleRuns() throws {
        var generator = Xoshiro256StarStar(seed: 2)
        let batches = try (0..<2).map { _ in
            try Tensor.randomNormal(shape: [8, 8, 8, 1], standardDeviation: 1, generator: &generator)
        }
        let spec = try ODENetSpec(inputShape: [8, 8, 1], classCount: 10, stageChannels: [8, 16, 32], stepCount: 2)
        let coarse = try ODENetwork(spec: spec, seed: 0)

        // docs-example begins
        // Training-mode passes over `batches` (inputs [batch, 8, 8, 1]); each running mean and variance
        // becomes the cumulative average of the batch statistics. Weights, γ and β are unchanged.
        let spline = try coarse.refined(by: .cubicSpline, rule: .halve)
        try spline.recalibrateBatchNorm(over: batches)
        // The same after every refinement of a multi-level run:
        let schedule = try MultilevelSchedule(cycles: [TrainingCycle(stepCount: 2, length: .epochs(2)),
                                                       TrainingCycle(stepCount: 4, length: .epochs(2))],
                                              prolongation: .cubicSpline, maximumLearningRate: 0.1,
                                              minimumLearningRate: 0.001, batchNormRecalibrationBatches: 20)
        // docs-example ends

        #expect(spline.spec.stepCount == 4 && schedule.batchNormRecalibrationBatches == 20)
        #expect(spline.batchNorms[0].runningVariance.elements != coarse.batchNorms[0].runningVariance.elements)
    }
}
