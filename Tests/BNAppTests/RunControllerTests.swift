// The training thread: runs the lesson engine to the end, pauses, cancels, and hands over copies
// of the records and the final result.

@testable import BNApp
import BNEngine
import BNLessons
import Foundation
import Testing

@Suite struct RunControllerTests {
    /// Takes snapshots until one satisfies `done` (or 20 s pass); returns the last one.
    func waitFor(_ controller: RunController, _ done: (RunSnapshot) -> Bool) -> RunSnapshot? {
        let deadline = Date().addingTimeInterval(20)
        var last: RunSnapshot?
        while Date() < deadline {
            if let s = controller.takeSnapshot() {
                last = s
                if done(s) { return s }
            }
            Thread.sleep(forTimeInterval: 0.002)
        }
        return last
    }

    @Test func aRunFinishesWithEveryVariantsRecordAndTheResult() throws {
        let controller = RunController(publishInterval: 0.001)
        let spec = try #require(Fixtures.toy.experiment(named: "toy"))
        controller.start(spec, options: RunOptions(snapshotInterval: 1))
        let last = waitFor(controller) { !$0.phase.isActive }
        #expect(last?.phase == .finished)
        #expect(last?.stepsDone == 60)
        #expect(last?.totalSteps == 60)
        #expect(last?.records.map(\.steps) == [30, 30])
        #expect(last?.records[1].histograms[HistogramKey(layer: 1, stage: .preActivation)]?.last?.step == 30)
        #expect(last?.result?.variant(named: "bn")?.record.series("test_accuracy")?.steps == [0, 10, 20, 30])
        #expect(last?.result?.tweaked == false)
    }

    @Test func pauseHoldsTheStepsAndCancelStops() {
        let controller = RunController(publishInterval: 0.001)
        controller.start(Fixtures.long(steps: 1_000_000), options: RunOptions(snapshotInterval: 1))
        #expect(waitFor(controller) { $0.phase == .training && $0.stepsDone > 0 } != nil)
        controller.setPaused(true)
        let paused = waitFor(controller) { $0.phase == .paused }
        #expect(paused?.phase == .paused)
        Thread.sleep(forTimeInterval: 0.05)
        _ = controller.takeSnapshot()
        Thread.sleep(forTimeInterval: 0.05)
        #expect(controller.takeSnapshot() == nil)  // nothing moves while paused
        let held = paused?.stepsDone ?? 0
        controller.setPaused(false)
        #expect(waitFor(controller) { $0.phase == .training && $0.stepsDone > held + 2 } != nil)
        controller.cancel()
        let end = waitFor(controller) { !$0.phase.isActive }
        #expect(end?.phase == .cancelled)
        #expect(end?.result?.cancelled == true)
    }

    @Test func cancellingAPausedRunStopsIt() {
        let controller = RunController(publishInterval: 0.001)
        controller.start(Fixtures.long(steps: 1_000_000), options: RunOptions(snapshotInterval: 1))
        #expect(waitFor(controller) { $0.phase == .training } != nil)
        controller.setPaused(true)
        controller.cancel()
        #expect(waitFor(controller) { !$0.phase.isActive }?.phase == .cancelled)
    }

    @Test func plannedStepsFollowTheKnobs() throws {
        let spec = try #require(Fixtures.toy.experiment(named: "toy"))
        #expect(RunController.plannedSteps(spec, options: RunOptions()) == 60)
        #expect(RunController.plannedSteps(spec, options: RunOptions(knobs: Knobs(steps: 100))) == 200)
        #expect(RunController.plannedSteps(try #require(Fixtures.transform.experiment(named: "transform")),
                                           options: RunOptions()) == 0)
    }
}
