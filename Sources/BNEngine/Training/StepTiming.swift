// How fast a trainer steps: `warmUp` steps untimed, then `steps` timed, the way the PyTorch peers
// time theirs (../shared/peers: 200 untimed steps, then steps / seconds of the timed ones).
//
// The rate counts the timed steps alone. (Until 2026-12-06 `bnlab bench` divided every step taken,
// warm-up included, by the timed seconds: its BN and plain rates were (steps + 200) / steps too high,
// 6.7% at the default 3,000.)

import Foundation

/// The timing of one trainer's steps.
public struct StepTiming: Sendable, Equatable {
    /// Steps the trainer took, warm-up included: the work done, for a wall-clock rate over all of it.
    public let stepsTaken: Int
    /// Steps inside the timed interval.
    public let timedSteps: Int
    /// Seconds of the timed steps alone.
    public let seconds: Double

    /// Timed steps per second.
    public var stepsPerSecond: Double { Double(timedSteps) / seconds }

    /// Takes `warmUp` steps, then times `steps` more on `clock` (nanoseconds). Throws if the trainer
    /// stops before taking them all (a loss that is not finite, a finished run), so no step is credited
    /// that was not taken.
    public static func measure(
        _ trainer: Trainer, warmUp: Int, steps: Int,
        clock: () -> UInt64 = { DispatchTime.now().uptimeNanoseconds }
    ) throws -> StepTiming {
        let before = trainer.stepsDone
        for _ in 0..<warmUp { trainer.step() }
        let start = clock()
        for _ in 0..<steps { trainer.step() }
        let end = clock()
        let taken = trainer.stepsDone - before
        guard taken == warmUp + steps else {
            throw StepTimingError(taken: taken, wanted: warmUp + steps, failure: trainer.record.failure?.message)
        }
        return StepTiming(stepsTaken: taken, timedSteps: steps, seconds: Double(end &- start) / 1e9)
    }
}

/// A trainer that stopped before the steps it was to be timed for.
public struct StepTimingError: Error, CustomStringConvertible {
    public let taken: Int, wanted: Int, failure: String?
    public var description: String {
        "the trainer stopped after \(taken) of \(wanted) steps" + (failure.map { " (\($0))" } ?? "")
    }
}
