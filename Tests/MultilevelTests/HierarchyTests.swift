import Multilevel
import Testing

@Suite struct HierarchyTests {
    @Test func halveKeepsTAndDoublesHPerCoarserLevel() throws {
        // The paper: 2 → 4 → 8 steps per stage, h = 1 at the coarsest level.
        let hierarchy = try Hierarchy(coarsestStepCount: 2, coarsestFinalTime: 2, levelCount: 3, rule: .halve)
        #expect(hierarchy.levels.map(\.stepCount) == [8, 4, 2])
        #expect(hierarchy.levels.map(\.index) == [0, 1, 2])
        #expect(hierarchy.levels.map(\.finalTime) == [2, 2, 2])
        #expect(hierarchy.levels.map(\.stepSize) == [0.25, 0.5, 1])
        for l in 0..<2 {
            #expect(hierarchy.levels[l + 1].stepSize == 2 * hierarchy.levels[l].stepSize)
        }
        #expect(hierarchy.finest.stepCount == 8 && hierarchy.coarsest.stepCount == 2)
    }

    @Test func keepHoldsHAndGrowsT() throws {
        let hierarchy = try Hierarchy(coarsestStepCount: 2, coarsestFinalTime: 2, levelCount: 3, rule: .keep)
        #expect(hierarchy.levels.map(\.stepSize) == [1, 1, 1])
        #expect(hierarchy.levels.map(\.finalTime) == [8, 4, 2])
    }

    @Test func stepTimesAreStepStarts() throws {
        let level = try Level(stepCount: 4, finalTime: 2)
        #expect(level.stepTimes == [0, 0.5, 1, 1.5])
        #expect(StepGrid.cellCentred.positions(count: 4, stepSize: 0.5) == [0.25, 0.75, 1.25, 1.75])
    }

    @Test func invalidLevelsAreRejected() throws {
        #expect(throws: MultilevelError.invalidStepCount(0)) { try Level(stepCount: 0, finalTime: 1) }
        #expect(throws: MultilevelError.invalidFinalTime(-1)) { try Level(stepCount: 2, finalTime: -1) }
        #expect(throws: MultilevelError.invalidFinalTime(0)) { try Level(stepCount: 2, finalTime: 0) }
        #expect(throws: MultilevelError.self) { try Level(stepCount: 2, finalTime: .nan) }
        #expect(throws: MultilevelError.invalidLevelCount(0)) {
            try Hierarchy(coarsestStepCount: 2, coarsestFinalTime: 1, levelCount: 0)
        }
        let hierarchy = try Hierarchy(coarsestStepCount: 1, coarsestFinalTime: 1, levelCount: 2)
        #expect(throws: MultilevelError.invalidLevelIndex(2, levelCount: 2)) { try hierarchy.level(2) }
    }
}
