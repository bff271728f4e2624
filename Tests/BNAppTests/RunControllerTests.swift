// The training thread: runs to the end, pauses, cancels, and hands over copies of the records.

@testable import BNApp
import BNEngine
import Foundation
import Testing

@Suite struct RunControllerTests {
    /// Takes snapshots until one satisfies `done` (or 10 s pass); returns the last one.
    func waitFor(_ controller: RunController, _ done: (RunSnapshot) -> Bool) -> RunSnapshot? {
        let deadline = Date().addingTimeInterval(10)
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

    @Test func aRunFinishesWithEveryVariantsRecord() {
        let controller = RunController(publishInterval: 0.001)
        controller.start(Fixtures.experiment.variants, factory: Fixtures.factory)
        let last = waitFor(controller) { !$0.phase.isActive }
        #expect(last?.phase == .finished)
        #expect(last?.stepsDone == 60)
        #expect(last?.records.map(\.steps) == [30, 30])
        #expect(last?.records[1].histograms[HistogramKey(layer: 1, stage: .preActivation)]?.last?.step == 30)
        #expect(last?.recordsByVariant["bn"]?.series("test_accuracy")?.steps == [0, 10, 20, 30])
    }

    @Test func pauseHoldsTheStepsAndCancelStops() {
        let controller = RunController(publishInterval: 0.001)
        controller.setPaused(true)
        controller.start([Fixtures.variant("long", .before, steps: 1_000_000)], factory: Fixtures.factory)
        let paused = waitFor(controller) { $0.phase == .paused }
        #expect(paused?.phase == .paused)
        let held = paused?.stepsDone
        Thread.sleep(forTimeInterval: 0.05)
        #expect(controller.takeSnapshot() == nil)  // nothing moves while paused
        controller.setPaused(false)
        #expect(waitFor(controller) { $0.phase == .training && $0.stepsDone > (held ?? 0) } != nil)
        controller.cancel()
        #expect(waitFor(controller) { !$0.phase.isActive }?.phase == .cancelled)
    }

    @Test func aFactoryErrorFailsTheRunWithItsMessage() {
        struct Broken: Error, CustomStringConvertible { var description: String { "no such data" } }
        let controller = RunController(publishInterval: 0.001)
        controller.start([Fixtures.variant("x", .none)], factory: { _ in throw Broken() })
        #expect(waitFor(controller) { !$0.phase.isActive }?.phase == .failed("no such data"))
    }
}
