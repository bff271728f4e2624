// Small, hand-sized inputs for the snapshot tests: one per renderer.

@testable import BNPlots

enum Fixtures {
    static let histogramData = HistogramData(
        bins: [1, 3, 6, 8, 5, 2, 1, 0], lower: -2, upper: 2, below: 2, above: 12, mean: 0.1, std: 0.9, saturatedFraction: 0.03)

    static func histogram() -> Histogram { Histogram(histogramData, title: "L1 pre") }

    static func smallMultiples() -> SmallMultiples {
        let a = HistogramData(values: [-1, -0.5, 0, 0, 0.2, 0.5, 1, 1.5], binCount: 8)
        let b = HistogramData(values: [-2, 0, 0, 0, 0, 0.1, 2], binCount: 8)
        let c = HistogramData(values: [0, 0, 0, 0.5, 1, 1.5, 2, 3], binCount: 8)
        return SmallMultiples(rowLabels: ["L1", "L2"], columnLabels: ["plain", "BN"], cells: [[a, b], [c, nil]])
    }

    static func lineChart() -> LineChart {
        LineChart(title: "acc", series: [
            LineSeries(name: "a", values: [0.1, 0.5, 0.7, 0.8, 0.85, 0.9]),
            LineSeries(name: "b", values: [0.1, 0.3, .nan, 0.6, 0.7, 0.75]),
        ], yRange: ValueRange(lower: 0, upper: 1))
    }

    static func logLineChart() -> LineChart {
        LineChart(series: [LineSeries(name: "loss", values: [2, 1, 0.5, 0.2, 0.1, 0.05, 0.02])], logY: true)
    }

    static func band() -> PercentileBand {
        PercentileBand(points: [
            PercentilePoint(step: 0, p15: -1, p50: 0, p85: 1),
            PercentilePoint(step: 100, p15: -0.5, p50: 0.5, p85: 1.5),
            PercentilePoint(step: 200, p15: 0, p50: 1, p85: 2),
        ])
    }

    static func heatmap() -> Heatmap {
        Heatmap(range: ValueRange(lower: 0, upper: 4), slices: [
            HeatmapSlice(step: 0, bins: [8, 4, 0, 0]),
            HeatmapSlice(step: 10, bins: [2, 8, 2, 0]),
            HeatmapSlice(step: 20, bins: [0, 2, 8, 2]),
            HeatmapSlice(step: 30, bins: [0, 0, 4, 8]),
        ])
    }

    static func resultsTable() -> ResultsTable {
        ResultsTable(labelHeading: "batch", columns: ["plain", "BN"], rows: [
            ResultsRow(label: "8", values: [0.95, 0.962]),
            ResultsRow(label: "128", values: [0.9, nil]),
        ])
    }

    static func barChart() -> BarChart {
        BarChart(bars: [Bar(label: "b8", value: 0.5), Bar(label: "b128", value: 0.97), Bar(label: "bad", value: .nan)],
                 range: ValueRange(lower: 0, upper: 1))
    }

    /// A learning-rate sweep, two groups over 3 seeds: plain diverges at lr 3 (never reaches the metric).
    static func sweepChart() -> SweepChart {
        SweepChart(title: "final test_accuracy vs learning_rate", series: [
            SweepSeries(name: "plain", points: [
                SweepPoint(x: 0.001, y: 0.3, low: 0.25, high: 0.36), SweepPoint(x: 0.01, y: 0.7, low: 0.66, high: 0.72),
                SweepPoint(x: 0.1, y: 0.9, low: 0.88, high: 0.91), SweepPoint(x: 1, y: 0.5, low: 0.2, high: 0.8),
                SweepPoint(x: 3, y: .nan),
            ]),
            SweepSeries(name: "bn", points: [
                SweepPoint(x: 0.001, y: 0.6), SweepPoint(x: 0.01, y: 0.85), SweepPoint(x: 0.1, y: 0.95),
                SweepPoint(x: 1, y: 0.96), SweepPoint(x: 3, y: 0.93),
            ]),
        ], spreadNote: "min-max of 3 seeds")
    }

    /// Every fixture with the size its snapshot uses.
    static let all: [(name: String, plot: any Plot, width: Int, height: Int)] = [
        ("histogram", histogram(), 20, 6),
        ("smallMultiples", smallMultiples(), 30, 11),
        ("lineChart", lineChart(), 24, 9),
        ("logLineChart", logLineChart(), 24, 8),
        ("band", band(), 24, 9),
        ("heatmap", heatmap(), 20, 7),
        ("resultsTable", resultsTable(), 22, 4),
        ("barChart", barChart(), 22, 3),
        ("sweepChart", sweepChart(), 44, 14),
    ]
}
