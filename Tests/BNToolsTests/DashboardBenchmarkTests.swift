// Runs the dashboard benchmark a few times and prints the median. Speed is reported, not asserted:
// `swift test -c release --filter DashboardBenchmark` gives the number that matters.

import Testing
import BNPlots
@testable import BNTools

@Suite struct DashboardBenchmarkTests {
    @Test func dashboardBenchmarkReportsAMedianFrameTime() {
        let ms = DashboardBenchmark.medianFrameMilliseconds(repeats: 5)
        print("DashboardBenchmark: median frame \(ms) ms (200 x 60)")
        #expect(ms.isFinite && ms > 0)
    }

    @Test func dashboardFrameFillsTheScreenWithinBounds() {
        let grid = DashboardBenchmark.Dashboard().frame(width: 200, height: 60)
        let filled = grid.cells.count { $0.character != " " }
        #expect(filled > 2000)
    }
}
