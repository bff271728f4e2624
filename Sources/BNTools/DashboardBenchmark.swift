// Times one frame of a dashboard-sized screen: 8 histograms, 2 line charts of 2,000 points each, one
// percentile band and one heatmap in a 200 × 60 grid. The target is under 2 ms in a release build.
//
// A benchmark, not a test: it reports a number and asserts nothing.

import BNPlots

/// A benchmark of a full dashboard frame.
public enum DashboardBenchmark {
    /// The median time in milliseconds to render one dashboard frame, over `repeats` frames.
    public static func medianFrameMilliseconds(width: Int = 200, height: Int = 60, repeats: Int) -> Double {
        let dashboard = Dashboard()
        let clock = ContinuousClock()
        var times: [Double] = []
        var checksum = 0
        for _ in 0..<max(repeats, 1) {
            let start = clock.now
            let grid = dashboard.frame(width: width, height: height)
            let elapsed = clock.now - start
            checksum &+= grid[width / 2, height / 2].character == " " ? 0 : 1
            let (seconds, attoseconds) = elapsed.components
            times.append(Double(seconds) * 1e3 + Double(attoseconds) * 1e-15)
        }
        times.sort()
        return checksum >= 0 ? times[times.count / 2] : 0
    }

    /// The plots of one frame, built once so the timing covers rendering only.
    struct Dashboard {
        let histograms: [Histogram]
        let charts: [LineChart]
        let band: PercentileBand
        let heatmap: Heatmap

        init() {
            let range = ValueRange(lower: -4, upper: 4)
            histograms = (0..<8).map { i in
                let values = DemoData.activations(count: 1000, mu: Double(i) * 0.2, sigma: 1 + Double(i) * 0.3, seed: UInt64(i))
                return Histogram(HistogramData(values: values, binCount: 64, range: range, saturationThreshold: 3), title: "L\(i / 2 + 1)", range: range)
            }
            charts = [
                LineChart(title: "loss", series: [
                    LineSeries(name: "no BN", points: DemoData.loss(count: 2000, fast: false, seed: 1)),
                    LineSeries(name: "BN", points: DemoData.loss(count: 2000, fast: true, seed: 2)),
                ], logY: true),
                LineChart(title: "accuracy", series: [
                    LineSeries(name: "no BN", points: DemoData.accuracy(count: 2000, final: 0.9, rate: 2, seed: 3)),
                    LineSeries(name: "BN", points: DemoData.accuracy(count: 2000, final: 0.97, rate: 6, seed: 4)),
                ], yRange: ValueRange(lower: 0, upper: 1)),
            ]
            band = PercentileBand(title: "unit band", points: DemoData.band(count: 200, seed: 5))
            heatmap = Heatmap(title: "L2 over time", range: range, slices: DemoData.slices(count: 200, bins: 64, range: range))
        }

        /// One frame: histograms in the top half (4 × 2), charts, band and heatmap in the bottom half.
        func frame(width: Int, height: Int) -> Grid {
            var grid = Grid(width: width, height: height)
            let top = height / 2, cellWidth = width / 4, cellHeight = top / 2
            for (i, h) in histograms.enumerated() {
                h.render(into: &grid, in: Rect(x: (i % 4) * cellWidth, y: (i / 4) * cellHeight, width: cellWidth - 1, height: cellHeight), glyphs: .unicode)
            }
            let bottom = height - top, quarter = width / 4
            let plots: [any Plot] = [charts[0], charts[1], band, heatmap]
            for (i, p) in plots.enumerated() {
                p.render(into: &grid, in: Rect(x: i * quarter, y: top, width: quarter - 1, height: bottom), glyphs: .unicode)
            }
            return grid
        }
    }
}
