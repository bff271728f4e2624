// The pool that hands an experiment's runs to the workers a slice at a time.

@testable import BNLessons
import Testing

@Suite struct RunPoolTests {
    /// Each take gives the waiting run with the smallest share of its steps done, never one a worker
    /// holds, and nothing once every run is held or finished.
    @Test func theRunFurthestBehindGoesFirstAndNoRunIsHeldTwice() throws {
        let pool = RunPool(plannedSteps: [100, 400, 100])
        // All at 0: the first of equals, then the next one not held.
        #expect(pool.take()?.0 == 0)
        #expect(pool.take()?.0 == 1)
        pool.putBack(0, nil, stepsDone: 10, finished: false)   // run 0 at 10%, run 2 still at 0%
        #expect(pool.take()?.0 == 2)
        pool.putBack(1, nil, stepsDone: 10, finished: false)   // run 1 at 2.5%: behind run 0's 10%
        #expect(pool.take()?.0 == 1)
        #expect(pool.take()?.0 == 0)                            // the only one not held
        #expect(pool.take() == nil)                             // all three held
        pool.putBack(0, nil, stepsDone: 100, finished: true)
        #expect(pool.take() == nil)                             // a finished run never comes back
        pool.putBack(2, nil, stepsDone: 50, finished: false)
        #expect(pool.take()?.0 == 2)
    }
}
