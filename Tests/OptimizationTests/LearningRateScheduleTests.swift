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

@Suite struct LearningRateScheduleDecodingTests {
    @Test func decodingValidates() throws {
        #expect(throws: OptimizationError.invalidHyperparameter(name: "learning rate", value: -5,
                                                                expected: "a finite value > 0")) {
            try JSONDecoder().decode(LearningRateSchedule.self, from: Data(#"{"constant":{"_0":-5}}"#.utf8))
        }
        let badCycles = #"{"cosineRestarts":{"maximum":0.5,"minimum":0.001,"cycleEpochs":[]}}"#
        #expect(throws: OptimizationError.self) {
            try JSONDecoder().decode(LearningRateSchedule.self, from: Data(badCycles.utf8))
        }
    }

    @Test func wireFormatIsUnchangedAndRoundTrips() throws {
        let constant = try JSONEncoder().encode(LearningRateSchedule.constant(0.5))
        #expect(String(decoding: constant, as: UTF8.self) == #"{"constant":{"_0":0.5}}"#)
        for schedule in [LearningRateSchedule.constant(0.1), .step(initial: 0.1, factor: 0.5, stepEpochs: 3),
                         .cosine(maximum: 0.5, minimum: 0, totalEpochs: 10),
                         .cosineRestarts(maximum: 0.5, minimum: 0.001, cycleEpochs: [6, 5, 5])] {
            let data = try JSONEncoder().encode(schedule)
            #expect(try JSONDecoder().decode(LearningRateSchedule.self, from: data) == schedule)
        }
    }
}
