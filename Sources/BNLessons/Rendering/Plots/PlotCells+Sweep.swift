// The sweep view of a plot cell: a metric's final value against the swept setting, one line per
// variant as written (`plain`, `bn`), drawn by BNPlots' SweepChart as the app's sweep view draws it.
// With `seeds`, each point is the mean over the seeds with a min-max whisker; a run that diverged
// (NaN) is the chart's `×`.

import BNEngine
import BNPlots

extension PlotCells {
    static func sweep(_ plot: PlotSpec, _ result: ExperimentResult, width: Int, glyphs: GlyphSet) -> Grid {
        let metric = plot.metrics.first ?? MetricName.testAccuracy.rawValue
        let key = key(metric, plot)
        let swept = result.sweep?.name ?? "setting"
        let title = plot.title ?? "final \(key)\(plot.logY ? " (log scale)" : "") vs \(swept)"
        guard let sweep = result.sweep else { return note(title, "the experiment sweeps nothing", width: width) }
        let series = sweep.baseVariants.enumerated().map { index, base in
            let points = sweep.values.compactMap { value -> SweepPoint? in
                let runs = result.runs(named: sweep.variantName(base: base, value: value))
                guard !runs.isEmpty else { return nil }
                let (mean, spread) = meanAndSpread(runs.map { $0.record.series[key]?.last ?? .nan })
                return SweepPoint(x: value, y: mean, low: spread?.lower, high: spread?.upper)
            }
            return SweepSeries(name: base, points: points, style: style(index))
        }
        let seeds = result.seeds.count
        let accuracy = isAccuracy(metric) && !plot.logY
        let chart = SweepChart(title: title, series: series, logY: plot.logY, yRange: accuracy ? ValueRange(lower: 0, upper: 1) : nil,
                               spreadNote: seeds > 1 ? "min-max of \(seeds) seeds" : nil)
        return chart.grid(width: width, height: plot.height, glyphs: glyphs)
    }
}
