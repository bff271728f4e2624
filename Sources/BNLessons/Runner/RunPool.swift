// The pool an experiment's runs wait in between slices of steps (ExperimentRunner.runTraining).

import BNEngine
import Foundation

/// The runs of one experiment between slices: which are waiting, held by a worker or finished, and how
/// far each has come. Trainers pass between workers through it, under its lock.
final class RunPool: @unchecked Sendable {
    private let lock = NSLock()
    private let plannedSteps: [Int]
    private var stepsDone: [Int]
    private var trainers: [Trainer?]
    private var held: [Bool]
    private var finished: [Bool]

    init(plannedSteps: [Int]) {
        self.plannedSteps = plannedSteps
        stepsDone = Array(repeating: 0, count: plannedSteps.count)
        trainers = Array(repeating: nil, count: plannedSteps.count)
        held = Array(repeating: false, count: plannedSteps.count)
        finished = Array(repeating: false, count: plannedSteps.count)
    }

    /// The waiting run with the smallest share of its steps done (the first of equals) and its trainer
    /// (nil before its first slice), now held by the caller; nil when no run is waiting.
    func take() -> (Int, Trainer?)? {
        lock.withLock {
            var best: Int?
            for i in plannedSteps.indices where !held[i] && !finished[i] {
                // stepsDone[i] / planned[i] < stepsDone[best] / planned[best], without division.
                if let b = best, stepsDone[i] * max(1, plannedSteps[b]) >= stepsDone[b] * max(1, plannedSteps[i]) { continue }
                best = i
            }
            guard let index = best else { return nil }
            held[index] = true
            let trainer = trainers[index]
            trainers[index] = nil
            return (index, trainer)
        }
    }

    /// Returns a run taken with `take`: its trainer to keep (nil once finished) and its progress.
    func putBack(_ index: Int, _ trainer: Trainer?, stepsDone done: Int, finished isFinished: Bool) {
        lock.withLock {
            held[index] = false
            trainers[index] = trainer
            stepsDone[index] = done
            finished[index] = isFinished
        }
    }

    /// The runs started but not finished (after a cancel).
    var unfinished: [(Int, Trainer)] {
        lock.withLock { trainers.indices.compactMap { i in trainers[i].map { (i, $0) } } }
    }
}
