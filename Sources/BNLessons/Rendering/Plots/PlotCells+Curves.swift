// Metric curves over steps (LineChart) and final values as bars (BarChart), one line or bar per
// variant per metric.
//
// Dense series (batch_loss, one point per step) are averaged in buckets down to about two points
// per column, as the live dashboard does; NaN in a bucket keeps the bucket NaN, so a diverged run
// still shows its gap mark.

import BNEngine
import BNPlots

extension PlotCells {
    /// The key a metric is recorded under: per-layer moments default to the activation's input,
    /// percentiles to unit 0, saturation to the activation's output.
    static func key(_ metric: String, _ plot: PlotSpec) -> MetricKey {
        switch MetricName(rawValue: metric) {
        case .p15, .p50, .p85:
            return MetricKey(metric, layer: plot.layer, stage: plot.stage ?? .preActivation, unit: plot.unit ?? 0)
        case .mean, .std:
            return MetricKey(metric, layer: plot.layer, stage: plot.stage ?? .preActivation, unit: plot.unit)
        case .saturation:
            return MetricKey(metric, layer: plot.layer, stage: plot.stage ?? .activation, unit: plot.unit)
        default:
            return MetricKey(metric, layer: plot.layer, stage: plot.stage, unit: plot.unit)
        }
    }

    static func isAccuracy(_ metric: String) -> Bool { metric.contains("accuracy") }

    /// One line per variant and metric; a multi-seed variant's line is its mean over the seeds at each
    /// step, with its min–max band (in Unicode).
    static func curves(_ plot: PlotSpec, _ groups: [[VariantResult]], width: Int, glyphs: GlyphSet) -> Grid {
        let metrics = plot.metrics.isEmpty ? [MetricName.testAccuracy.rawValue] : plot.metrics
        let keys = metrics.map { key($0, plot) }
        var title = plot.title ?? keys.map(\.description).joined(separator: ", ") + (plot.logY ? " (log scale)" : "") + " by step"
        guard !groups.isEmpty else { return note(title, "no variant ran", width: width) }
        let seeds = groups.map(\.count).max() ?? 1
        if seeds > 1 && plot.title == nil { title += glyphs.usesBraille ? ", mean over seeds (band: min–max)" : ", mean over seeds" }
        let points = max(2, width * 2)
        var lines: [LineSeries] = []
        for key in keys {
            for (index, runs) in groups.enumerated() {
                let v = runs[0]
                var name = groups.count == 1 && keys.count > 1 ? key.description
                    : keys.count > 1 ? "\(v.name) \(key.description)" : v.name
                if runs.count > 1 {
                    let diverged = runs.compactMap { r in r.failure.map { "seed \(r.seed.map(String.init) ?? "?") diverged at \($0.step)" } }
                    if !diverged.isEmpty { name += " (" + diverged.joined(separator: ", ") + ")" }
                } else if let failure = v.failure {
                    name += " (diverged at \(failure.step))"
                }
                let series = runs.map { averaged($0.record.series[key] ?? MetricSeries(), to: points) }
                if series.allSatisfy(\.isEmpty) { name += " (no data)" }
                var line = LineSeries(name: name, points: series[0], style: style(index))
                if runs.count > 1 {
                    // Mean and min–max at the steps every seed recorded (a diverged seed stops early).
                    let common = series.map(\.count).min() ?? 0
                    line.points = (0..<common).map { i in DataPoint(x: series[0][i].x, y: meanAndSpread(series.map { $0[i].y }).mean) }
                    line.band = (0..<common).map { i in
                        meanAndSpread(series.map { $0[i].y }).spread ?? ValueRange(lower: .nan, upper: .nan)
                    }
                }
                lines.append(line)
            }
        }
        let accuracy = metrics.allSatisfy(isAccuracy) && !plot.logY
        let chart = LineChart(title: title, series: lines, logY: plot.logY,
                              yRange: accuracy ? ValueRange(lower: 0, upper: 1) : nil)
        return chart.grid(width: width, height: plot.height, glyphs: glyphs)
    }

    /// At most about `count` points: each the mean of a bucket of consecutive values, at the bucket's
    /// last step (plot cells and the app's dashboard).
    public static func averaged(_ s: MetricSeries, to count: Int) -> [DataPoint] {
        let n = min(s.steps.count, s.values.count)
        let bucket = max(1, (n + count - 1) / max(1, count))
        var out: [DataPoint] = []
        out.reserveCapacity(n / bucket + 1)
        var start = 0
        while start < n {
            let end = min(start + bucket, n)
            var sum = 0.0
            for j in start..<end { sum += s.values[j] }
            out.append(DataPoint(x: Double(s.steps[end - 1]), y: sum / Double(end - start)))
            start = end
        }
        return out
    }

    /// One bar per variant and metric; a multi-seed variant's bar is its mean over the seeds, its min–max after the value.
    static func bars(_ plot: PlotSpec, _ groups: [[VariantResult]], width: Int, glyphs: GlyphSet) -> Grid {
        let metrics = plot.metrics.isEmpty ? [MetricName.testAccuracy.rawValue] : plot.metrics
        let variants = groups
        guard !variants.isEmpty else { return note(plot.title ?? "final " + metrics.joined(separator: ", "), "no variant ran", width: width) }
        // One chart per metric, a blank row between: title row plus one row per variant.
        let chartHeight = variants.count + 1
        var grid = Grid(width: width, height: metrics.count * (chartHeight + 1) - 1)
        for (m, metric) in metrics.enumerated() {
            let key = key(metric, plot)
            var title = metrics.count == 1 ? plot.title ?? "final \(key)" : "final \(key)"
            if groups.contains(where: { $0.count > 1 }) && (metrics.count > 1 || plot.title == nil) { title += ", mean over seeds (min–max)" }
            let bars = groups.enumerated().map { index, runs in
                let (mean, spread) = meanAndSpread(runs.map { $0.record.series[key]?.last ?? .nan })
                return Bar(label: groupLabel(runs), value: mean, style: style(index), spread: spread)
            }
            BarChart(title: title, bars: bars, range: isAccuracy(metric) ? ValueRange(lower: 0, upper: 1) : nil)
                .render(into: &grid, in: Rect(x: 0, y: m * (chartHeight + 1), width: width, height: chartHeight), glyphs: glyphs)
        }
        return grid
    }
}
