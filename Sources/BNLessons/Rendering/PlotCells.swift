// A plot cell drawn into a Grid from an experiment's records: what the live screen shows and what
// --headless prints.
//
// NOTE: until BNPlots' renderers land on main, every view is drawn as a table of numbers
// (the final values, or a few sampled steps). PlotCells+BNPlots will replace `draw` per view.

import BNEngine
import BNPlots
import Foundation

public enum PlotCells {
    /// Draws `plot` from `result` into a new grid `width` columns wide.
    public static func grid(for plot: PlotSpec, result: ExperimentResult, width: Int, ascii: Bool) -> Grid {
        let table = numbers(for: plot, result: result)
        return draw(table, width: width, ascii: ascii)
    }

    /// The numbers a plot shows, as a table.
    static func numbers(for plot: PlotSpec, result: ExperimentResult) -> NumberTable {
        let variants = result.variants.filter { plot.variants?.contains($0.name) ?? true }
        if result.kind == .transform, let table = variants.first?.tables.first { return table }
        switch plot.view {
        case .curves, .percentiles, .heatmap:
            // A few sampled steps of each series.
            let metric = plot.view == .curves ? (plot.metrics.first ?? "test_accuracy") : "p50"
            let key = MetricKey(metric, layer: plot.layer, stage: plot.view == .curves ? plot.stage : (plot.stage ?? .preActivation),
                                unit: plot.view == .percentiles ? (plot.unit ?? 0) : plot.unit)
            let reference = variants.compactMap { $0.record.series[key] }.max { $0.steps.count < $1.steps.count }
            let steps = sample(reference?.steps ?? [], count: 6)
            let rows = variants.map { v -> NumberTable.Row in
                let s = v.record.series[key]
                return NumberTable.Row(label: v.name, values: steps.map { step in
                    s.flatMap { s in s.steps.firstIndex(of: step).map { s.values[$0] } } ?? .nan
                })
            }
            return NumberTable(title: plot.title ?? "\(key) by step", columns: steps.map { "step \($0)" }, rows: rows)
        case .histogram:
            let key = HistogramKey(layer: plot.layer ?? 1, stage: plot.stage ?? .preActivation)
            let rows = variants.map { v -> NumberTable.Row in
                let snapshot = v.record.histograms[key].flatMap { list in plot.step.flatMap { s in list.first { $0.step == s } } ?? list.last }
                return NumberTable.Row(label: v.name, values: [snapshot?.mean ?? .nan, snapshot?.std ?? .nan, snapshot?.saturation ?? .nan])
            }
            return NumberTable(title: plot.title ?? "\(key)", columns: ["mean", "std", "saturation"], rows: rows)
        case .table, .bars:
            let metrics = plot.metrics.isEmpty ? ["test_accuracy", "test_loss"] : plot.metrics
            let rows = variants.map { v in
                NumberTable.Row(label: v.name, values: metrics.map { m in
                    v.record.series[MetricKey(m, layer: plot.layer, stage: plot.stage, unit: plot.unit)]?.last ?? .nan
                })
            }
            return NumberTable(title: plot.title ?? "final values", columns: metrics, rows: rows)
        }
    }

    private static func sample(_ steps: [Int], count: Int) -> [Int] {
        guard steps.count > count else { return steps }
        return (0..<count).map { steps[($0 * (steps.count - 1)) / (count - 1)] }
    }

    /// A table: title, header, rule, one row per label, numbers right-aligned.
    static func draw(_ table: NumberTable, width: Int, ascii: Bool) -> Grid {
        let cells = table.rows.map { $0.values.map(tableNumber) }
        let labelWidth = table.rows.reduce(0) { max($0, $1.label.count) }
        let widths = table.columns.indices.map { i in cells.reduce(table.columns[i].count) { max($0, i < $1.count ? $1[i].count : 0) } }
        var grid = Grid(width: width, height: table.rows.count + 3)
        grid.put(table.title, x: 0, y: 0, style: Style(bold: true))
        func line(_ y: Int, _ label: String, _ values: [String], style: Style) {
            grid.put(label, x: 0, y: y, style: Style(bold: true))
            var x = labelWidth
            for (i, v) in values.enumerated() where i < widths.count {
                x += 2
                grid.put(v, x: x + widths[i] - v.count, y: y, style: style)
                x += widths[i]
            }
        }
        line(1, "", table.columns, style: Style(bold: true))
        let ruleWidth = min(width, labelWidth + widths.reduce(0) { $0 + $1 + 2 })
        grid.put(String(repeating: ascii ? "-" : "─", count: ruleWidth), x: 0, y: 2)
        for (r, row) in table.rows.enumerated() { line(3 + r, row.label, cells[r], style: .plain) }
        return grid
    }

    static func tableNumber(_ v: Double) -> String {
        if v.isNaN { return "-" }
        if v.isInfinite { return v > 0 ? "inf" : "-inf" }
        if v == 0 { return "0" }
        let magnitude = abs(v)
        if magnitude >= 1e-3 && magnitude < 1e5 { return String(format: "%.4f", v) }
        return String(format: "%.2e", v)
    }
}
