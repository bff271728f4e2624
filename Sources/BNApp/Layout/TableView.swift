// A non-training experiment's tables of numbers (a transform's x, μ, σ², x̂, y; batch noise's
// spread per batch size): title, header, rule, rows with numbers right-aligned.

import BNLessons
import BNPlots
import Foundation

enum TableView {
    /// Rows the tables take: per table a title, a header, a rule and its rows, then a blank row.
    static func height(of tables: [NumberTable]) -> Int {
        tables.reduce(0) { $0 + $1.rows.count + 4 }
    }

    static func render(_ tables: [NumberTable], into grid: inout Grid, in rect: Rect, ascii: Bool) {
        var y = rect.y
        for table in tables {
            // Titles, headers and labels spelled as the screen can show them (μ as mu without Unicode).
            let title = NotebookView.shown(table.title, ascii: ascii), columns = table.columns.map { NotebookView.shown($0, ascii: ascii) }
            let labels = table.rows.map { NotebookView.shown($0.label, ascii: ascii) }
            let cells = table.rows.map { $0.values.map(number) }
            let labelWidth = labels.reduce(0) { max($0, $1.count) }
            let widths = columns.indices.map { i in
                cells.reduce(columns[i].count) { max($0, i < $1.count ? $1[i].count : 0) }
            }
            func line(_ label: String, _ values: [String], style: Style) {
                grid.put(label, x: rect.x, y: y, style: Style(bold: true), clip: rect)
                var x = rect.x + labelWidth
                for (i, v) in values.enumerated() where i < widths.count {
                    x += 2
                    grid.put(v, x: x + widths[i] - v.count, y: y, style: style, clip: rect)
                    x += widths[i]
                }
                y += 1
            }
            grid.put(title, x: rect.x, y: y, style: Style(bold: true), clip: rect)
            y += 1
            line("", columns, style: Style(bold: true))
            let rule = min(rect.width, labelWidth + widths.reduce(0) { $0 + $1 + 2 })
            grid.put(String(repeating: ascii ? "-" : "─", count: rule), x: rect.x, y: y, clip: rect)
            y += 1
            for r in table.rows.indices { line(labels[r], cells[r], style: .plain) }
            y += 1
        }
    }

    static func number(_ v: Double) -> String {
        if v.isNaN { return "-" }
        if v.isInfinite { return v > 0 ? "inf" : "-inf" }
        if v == 0 { return "0" }
        let magnitude = abs(v)
        if magnitude >= 1e-3 && magnitude < 1e5 { return String(format: "%.4f", v) }
        return String(format: "%.2e", v)
    }
}
