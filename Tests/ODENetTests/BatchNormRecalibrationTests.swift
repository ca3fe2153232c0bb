import Autodiff
import ODENet
import TensorCore
import Testing

/// `ODENetwork.recalibrateBatchNorm(over:)`: the cumulative average of training-mode batch
/// statistics, the old statistics forgotten, nothing else changed, errors leave the network as it was.
@Suite("Batch-norm recalibration")
struct BatchNormRecalibrationTests {
    /// Every running statistic, by path name, as bit patterns.
    private func statistics(_ network: ODENetwork) -> [String: [UInt32]] {
        var result: [String: [UInt32]] = [:]
        for norm in network.batchNorms {
            result[norm.paths.runningMean.name] = norm.runningMean.elements.map(\.bitPattern)
            result[norm.paths.runningVariance.name] = norm.runningVariance.elements.map(\.bitPattern)
        }
        return result
    }

    private func network(seed: UInt64 = 5) throws -> ODENetwork {
        try ODENetwork(spec: Fixture.spec(stepCount: 3), seed: seed)
    }

    @Test("After batches A and B every statistic is the mean of A's and B's (old statistics forgotten)")
    func cumulativeAverage() throws {
        let (a, b) = (try Fixture.batch(6, seed: 1), try Fixture.batch(6, seed: 2))
        let onA = try network(), onB = try network(), onBoth = try network()
        // Stale statistics on the network that sees both: the first batch must replace them.
        for norm in onBoth.batchNorms {
            norm.runningMean = try Tensor(shape: norm.runningMean.shape, repeating: 1e3)
            norm.runningVariance = try Tensor(shape: norm.runningVariance.shape, repeating: 1e3)
        }
        try onA.recalibrateBatchNorm(over: [a])
        try onB.recalibrateBatchNorm(over: [b])
        try onBoth.recalibrateBatchNorm(over: [a, b])
        var compared = 0
        for ((x, y), z) in zip(zip(onA.batchNorms, onB.batchNorms), onBoth.batchNorms) {
            for (p, q, r) in [(x.runningMean, y.runningMean, z.runningMean),
                              (x.runningVariance, y.runningVariance, z.runningVariance)] {
                for ((u, v), w) in zip(zip(p.elements, q.elements), r.elements) {
                    let mean = (Double(u) + Double(v)) / 2
                    #expect(abs(Double(w) - mean) <= 1e-6 * max(1, abs(mean)), "\(z.paths.runningMean.name): \(w) vs \(mean)")
                    compared += 1
                }
            }
        }
        #expect(compared > 100)
        // One batch replaces the statistics exactly (momentum 1); the same batch twice averages to itself.
        let twice = try network()
        try twice.recalibrateBatchNorm(over: [a, a])
        #expect(statistics(twice) == statistics(onA))
    }

    @Test("Recalibration changes the running statistics only, and they differ from the initial ones")
    func onlyStatisticsChange() throws {
        let network = try network()
        let parameters = network.parameters.map { $0.value.elements.map(\.bitPattern) }
        let initial = statistics(network)
        try network.recalibrateBatchNorm(over: [try Fixture.batch(8)])
        #expect(network.parameters.map { $0.value.elements.map(\.bitPattern) } == parameters)
        let after = statistics(network)
        #expect(Set(after.keys) == Set(initial.keys))
        #expect(after.keys.filter { after[$0] != initial[$0] }.count == after.count, "every statistic recomputed")
    }

    @Test("No batch, a wrong shape or a non-finite input throws and leaves the statistics as they were")
    func errorsRestore() throws {
        let network = try network()
        try network.recalibrateBatchNorm(over: [try Fixture.batch(4, seed: 9)])
        let before = statistics(network)
        #expect(throws: ODENetError.emptyRecalibration) { try network.recalibrateBatchNorm(over: [Tensor]()) }
        #expect(statistics(network) == before)
        var bad = try Fixture.batch(4, seed: 3).elements
        bad[17] = .nan
        let nonFinite = try Tensor(shape: [4, 8, 8, 3], elements: bad)
        // The first batch is applied before the second fails: the restore must undo it.
        #expect(throws: ODENetError.nonFiniteInput(index: 17)) {
            try network.recalibrateBatchNorm(over: [try Fixture.batch(4, seed: 4), nonFinite])
        }
        #expect(statistics(network) == before)
        #expect(throws: ODENetError.self) {
            try network.recalibrateBatchNorm(over: [try Tensor(zeros: [4, 8, 8, 1])])
        }
        #expect(statistics(network) == before)
    }
}
