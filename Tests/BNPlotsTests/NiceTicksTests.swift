import Testing
@testable import BNPlots
@testable import BNTools

@Suite struct NiceTicksTests {
    @Test func stepsAreOneTwoOrFiveTimesAPowerOfTen() {
        #expect(NiceTicks.step(span: 1, maxCount: 5) == 0.2)
        #expect(NiceTicks.step(span: 2000, maxCount: 4) == 500)
        #expect(NiceTicks.step(span: 7, maxCount: 7) == 1)
    }

    @Test func ticksOfUnitRange() {
        #expect(NiceTicks.ticks(in: ValueRange(lower: 0, upper: 1), maxCount: 4) == [0, 0.5, 1])
        #expect(NiceTicks.ticks(in: ValueRange(lower: -3, upper: 3), maxCount: 6) == [-3, -2, -1, 0, 1, 2, 3])
    }

    @Test func shortRangesStillGetTicks() {
        #expect(NiceTicks.ticks(in: ValueRange(lower: 0.63, upper: 9.13), maxCount: 1) == [5])
        #expect(NiceTicks.ticks(in: ValueRange(lower: 0.0070, upper: 0.0090), maxCount: 2) == [0.007, 0.008, 0.009])
    }

    @Test func degenerateAndBrokenRangesGiveFewTicksAndNoTrap() {
        #expect(NiceTicks.ticks(in: ValueRange(lower: 2, upper: 2), maxCount: 5) == [2])
        #expect(NiceTicks.ticks(in: ValueRange(lower: 3, upper: 1), maxCount: 5) == [])
        #expect(NiceTicks.ticks(in: ValueRange(lower: .nan, upper: 1), maxCount: 5) == [])
        #expect(NiceTicks.ticks(in: ValueRange(lower: 0, upper: .infinity), maxCount: 5) == [])
        #expect(NiceTicks.ticks(in: ValueRange(lower: 0, upper: 1), maxCount: 0) == [])
    }

    @Test func hugeRangesTick() {
        let ticks = NiceTicks.ticks(in: ValueRange(lower: -1e30, upper: 1e30), maxCount: 4)
        #expect(NumberFormat.tickLabels(ticks) == ["-1e30", "-5e29", "0", "5e29", "1e30"])
    }

    @Test func logTicksArePowersOfTen() {
        #expect(NiceTicks.logTicks(in: ValueRange(lower: 0.005, upper: 3), maxCount: 5) == [0.01, 0.1, 1])
        #expect(NiceTicks.logTicks(in: ValueRange(lower: -1, upper: 3), maxCount: 5) == [])
    }

    @Test func ticksAreIncreasingAndInsideTheRangeForRandomRanges() {
        var rng = TestRandom(seed: 7)
        for _ in 0..<2000 {
            let scale = [1e-9, 1e-3, 1, 1e3, 1e12, 1e30][rng.int(0...5)]
            var a = Double.random(in: -10...10, using: &rng) * scale
            var b = rng.int(0...9) == 0 ? a : Double.random(in: -10...10, using: &rng) * scale
            if a > b { swap(&a, &b) }
            let ticks = NiceTicks.ticks(in: ValueRange(lower: a, upper: b), maxCount: rng.int(1...12))
            #expect(!ticks.isEmpty)
            #expect(zip(ticks, ticks.dropFirst()).allSatisfy { $0 < $1 })
            #expect(ticks.allSatisfy { $0 >= a && $0 <= b })
            let labels = NumberFormat.tickLabels(ticks)
            #expect(labels.count == ticks.count)
        }
    }
}
