import Testing
@testable import BNEngine

/// StepTiming credits the timed steps alone: the warm-up runs outside the clock and adds nothing to the
/// rate (`bnlab bench` once divided every step, warm-up included, by the timed seconds). A fake clock
/// that advances one second per reading makes the rate exactly the number of timed steps.
@Suite struct StepTimingTests {
    static func trainer(steps: Int, learningRate: Float = 0.1) throws -> Trainer {
        let network = NetworkSpec(inputs: 4, layers: [
            LayerSpec(outputs: 6, activation: .sigmoid, placement: .before, normalization: .batch, hasBias: false),
            LayerSpec(outputs: 3, activation: .identity, placement: .none, hasBias: true),
        ])
        let config = TrainingConfig(network: network, optimizer: .sgd(learningRate: learningRate), batchSize: 20,
                                    steps: steps, evaluationInterval: 0, probes: ProbeSettings(interval: 0, batchSize: 50), seed: 3)
        return try Trainer(config: config, train: TrainingTests.blobs(count: 300, seed: 1),
                           test: TrainingTests.blobs(count: 90, seed: 2))
    }

    /// A clock that reads 0, 1 s, 2 s, … and counts its readings.
    final class FakeClock: @unchecked Sendable {
        var readings = 0
        func read() -> UInt64 { defer { readings += 1 }; return UInt64(readings) * 1_000_000_000 }
    }

    @Test func theRateCountsTimedStepsOnly() throws {
        let trainer = try Self.trainer(steps: 20)
        let clock = FakeClock()
        let timing = try StepTiming.measure(trainer, warmUp: 12, steps: 5, clock: clock.read)
        #expect(clock.readings == 2)
        #expect(timing.seconds == 1)
        #expect(timing.timedSteps == 5)
        #expect(timing.stepsTaken == 17)
        #expect(trainer.stepsDone == 17)
        #expect(timing.stepsPerSecond == 5)   // (12 + 5) / 1 s would be the warm-up counted
    }

    @Test func aTrainerThatStopsEarlyIsNotCredited() throws {
        // The run ends after 10 steps; 8 + 5 were asked for.
        let trainer = try Self.trainer(steps: 10)
        #expect(throws: StepTimingError.self) { try StepTiming.measure(trainer, warmUp: 8, steps: 5) }
        // Negative control: the same request fits a longer run.
        #expect(throws: Never.self) { try StepTiming.measure(try Self.trainer(steps: 14), warmUp: 8, steps: 5) }
    }
}
