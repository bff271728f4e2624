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

    static func curves(_ plot: PlotSpec, _ variants: [VariantResult], width: Int, glyphs: GlyphSet) -> Grid {
        let metrics = plot.metrics.isEmpty ? [MetricName.testAccuracy.rawValue] : plot.metrics
        let keys = metrics.map { key($0, plot) }
        let title = plot.title ?? keys.map(\.description).joined(separator: ", ") + (plot.logY ? " (log scale)" : "") + " by step"
        guard !variants.isEmpty else { return note(title, "no variant ran", width: width) }
        let points = max(2, width * 2)
        var lines: [LineSeries] = []
        for key in keys {
            for (index, v) in variants.enumerated() {
                var name = variants.count == 1 && keys.count > 1 ? key.description
                    : keys.count > 1 ? "\(v.name) \(key.description)" : v.name
                if let failure = v.failure { name += " (diverged at \(failure.step))" }
                let recorded = v.record.series[key] ?? MetricSeries()
                if recorded.isEmpty { name += " (no data)" }
                lines.append(LineSeries(name: name, points: averaged(recorded, to: points), style: style(index)))
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

    static func bars(_ plot: PlotSpec, _ variants: [VariantResult], width: Int, glyphs: GlyphSet) -> Grid {
        let metrics = plot.metrics.isEmpty ? [MetricName.testAccuracy.rawValue] : plot.metrics
        guard !variants.isEmpty else { return note(plot.title ?? "final " + metrics.joined(separator: ", "), "no variant ran", width: width) }
        // One chart per metric, a blank row between: title row plus one row per variant.
        let chartHeight = variants.count + 1
        var grid = Grid(width: width, height: metrics.count * (chartHeight + 1) - 1)
        for (m, metric) in metrics.enumerated() {
            let key = key(metric, plot)
            let title = metrics.count == 1 ? plot.title ?? "final \(key)" : "final \(key)"
            let bars = variants.enumerated().map { index, v in
                Bar(label: label(v), value: v.record.series[key]?.last ?? .nan, style: style(index))
            }
            BarChart(title: title, bars: bars, range: isAccuracy(metric) ? ValueRange(lower: 0, upper: 1) : nil)
                .render(into: &grid, in: Rect(x: 0, y: m * (chartHeight + 1), width: width, height: chartHeight), glyphs: glyphs)
        }
        return grid
    }
}
