// Final values as a ResultsTable, one row per variant; transform and batch_noise experiments show
// the number tables their runs built (x, μ, σ², x̂, y; the spread of μ_B by batch size).

import BNEngine
import BNPlots

extension PlotCells {
    /// One row per variant; with multi-seed variants each metric gets its mean over the seeds and its min and max.
    static func table(_ plot: PlotSpec, _ groups: [[VariantResult]], kind: ExperimentKind, width: Int, glyphs: GlyphSet) -> Grid {
        let variants = groups.map { $0[0] }
        let numberTables = variants.flatMap { v in v.tables.map { (v.name, $0) } }
        if kind != .train, plot.metrics.isEmpty, !numberTables.isEmpty {
            return stacked(numberTables.map { name, table in
                resultsTable(table, title: plot.title ?? (variants.count > 1 ? "\(name): " : "") + table.title)
            }, width: width, glyphs: glyphs)
        }
        let metrics = plot.metrics.isEmpty ? [MetricName.testAccuracy, .testLoss].map(\.rawValue) : plot.metrics
        let keys = metrics.map { key($0, plot) }
        let title = plot.title ?? "final values"
        guard !variants.isEmpty else { return note(title, "no variant ran", width: width) }
        if groups.contains(where: { $0.count > 1 }) {
            let columns = keys.flatMap { ["\($0.description) mean", "min", "max"] }
            let rows = groups.map { runs in
                ResultsRow(label: groupLabel(runs), values: keys.flatMap { key -> [Double?] in
                    let (mean, spread) = meanAndSpread(runs.map { $0.record.series[key]?.last ?? .nan })
                    return [mean, spread?.lower ?? mean, spread?.upper ?? mean]
                })
            }
            return stacked([ResultsTable(title: title + " (over seeds)", columns: columns, rows: rows)], width: width, glyphs: glyphs)
        }
        let rows = variants.map { v in ResultsRow(label: label(v), values: keys.map { v.record.series[$0]?.last }) }
        return stacked([ResultsTable(title: title, columns: keys.map(\.description), rows: rows)], width: width, glyphs: glyphs)
    }

    /// A run's own number tables (a transform's x, μ, σ², x̂, y), one under another: what the app's
    /// experiment cell shows when no plot cell of the lesson does.
    public static func grid(of tables: [NumberTable], width: Int, ascii: Bool) -> Grid {
        stacked(tables.map { resultsTable($0, title: $0.title) }, width: max(0, width), glyphs: ascii ? .ascii : .unicode)
    }

    /// A number table as a ResultsTable, values to 4 significant digits.
    private static func resultsTable(_ table: NumberTable, title: String) -> ResultsTable {
        ResultsTable(title: title, columns: table.columns,
                     rows: table.rows.map { ResultsRow(label: $0.label, values: $0.values.map { $0 }) },
                     format: { NumberFormat.compact($0, significant: 4) })
    }

    /// Tables one under another, a blank row between, each as tall as its rows. With ASCII glyphs their
    /// titles, headings and labels are spelled in ASCII first (μ as mu), so the columns line up.
    private static func stacked(_ tables: [ResultsTable], width: Int, glyphs: GlyphSet) -> Grid {
        let tables = glyphs == .ascii ? tables.map(spelledInASCII) : tables
        let heights = tables.map { ($0.title.isEmpty ? 0 : 1) + 2 + $0.rows.count }
        var grid = Grid(width: width, height: max(0, heights.reduce(0, +) + tables.count - 1))
        var y = 0
        for (table, height) in zip(tables, heights) {
            table.render(into: &grid, in: Rect(x: 0, y: y, width: width, height: height), glyphs: glyphs)
            y += height + 1
        }
        return grid
    }

    private static func spelledInASCII(_ table: ResultsTable) -> ResultsTable {
        var table = table
        table.title = ASCIIFallback.convert(table.title)
        table.labelHeading = ASCIIFallback.convert(table.labelHeading)
        table.columns = table.columns.map(ASCIIFallback.convert)
        table.rows = table.rows.map { row in
            var row = row
            row.label = ASCIIFallback.convert(row.label)
            return row
        }
        return table
    }
}
