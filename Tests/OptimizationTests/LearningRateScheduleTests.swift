import Foundation
import Optimization
import Testing

@Suite struct LearningRateScheduleTests {
    @Test func cosineRestartsAtEveryCycleStart() throws {
        // The paper: 0.5 → 0.001 in each of three cycles (60/50/50 epochs here scaled to 6/5/5).
        let schedule = LearningRateSchedule.cosineRestarts(maximum: 0.5, minimum: 0.001, cycleEpochs: [6, 5, 5])
        try schedule.validate()
        for start in [0.0, 6, 11] { #expect(schedule.rate(atEpoch: start) == 0.5, "cycle start \(start)") }
        // Just before each restart the rate has decayed to (almost) the minimum.
        for end in [6.0, 11, 16] {
            #expect(abs(schedule.rate(atEpoch: end - 1e-9) - 0.001) < 1e-9, "cycle end \(end)")
        }
        // Halfway through cycle 2: the cosine's midpoint (η_max + η_min) / 2.
        #expect(abs(schedule.rate(atEpoch: 8.5) - 0.2505) < 1e-12)
        #expect(schedule.rate(atEpoch: 100) == 0.001)
    }

    @Test func cosineAndStepFollowTheirFormulas() {
        let cosine = LearningRateSchedule.cosine(maximum: 1, minimum: 0, totalEpochs: 4)
        #expect(abs(cosine.rate(atEpoch: 1) - 0.5 * (1 + cos(Double.pi / 4))) < 1e-15)
        let step = LearningRateSchedule.step(initial: 0.1, factor: 0.1, stepEpochs: 30)
        #expect(step.rate(atEpoch: 29.9) == 0.1)
        #expect(abs(step.rate(atEpoch: 30) - 0.01) < 1e-15)
        #expect(LearningRateSchedule.constant(0.3).rate(atEpoch: 7) == 0.3)
    }

    @Test func invalidSchedulesThrow() {
        #expect(throws: OptimizationError.self) { try LearningRateSchedule.constant(0).validate() }
        #expect(throws: OptimizationError.self) {
            try LearningRateSchedule.cosine(maximum: 0.1, minimum: 0.2, totalEpochs: 1).validate()
        }
        #expect(throws: OptimizationError.self) {
            try LearningRateSchedule.cosineRestarts(maximum: 0.5, minimum: 0, cycleEpochs: []).validate()
        }
        #expect(throws: OptimizationError.self) {
            try LearningRateSchedule.step(initial: 0.1, factor: 2, stepEpochs: 1).validate()
        }
    }
}
