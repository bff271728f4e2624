// Final figures across variants as a table: one row per label, one column per named value, numbers
// right-aligned and formatted compactly. A missing value shows as `-`.
//
// Columns keep their full width while they fit; what does not fit is cut at the rectangle's edge.

/// One row of a results table.
public struct ResultsRow: Hashable, Sendable {
    public var label: String
    /// One value per column; nil is "not measured".
    public var values: [Double?]

    public init(label: String, values: [Double?]) {
        self.label = label
        self.values = values
    }
}

/// A table of final results, e.g. test accuracy by batch size.
public struct ResultsTable: Plot {
    public var title: String
    /// The heading over the row labels, e.g. `"batch"`.
    public var labelHeading: String
    public var columns: [String]
    public var rows: [ResultsRow]
    /// Formats a value; defaults to `NumberFormat.compact`.
    public var format: @Sendable (Double) -> String

    /// A table with `columns` headings and `rows`.
    public init(
        title: String = "", labelHeading: String = "", columns: [String], rows: [ResultsRow],
        format: @escaping @Sendable (Double) -> String = { NumberFormat.compact($0) }
    ) {
        self.title = title
        self.labelHeading = labelHeading
        self.columns = columns
        self.rows = rows
        self.format = format
    }

    public func render(into grid: inout Grid, in rect: Rect, glyphs: GlyphSet) {
        let rect = rect.drawable(in: grid)
        guard !rect.isEmpty, !rect.intersection(grid.bounds).isEmpty else { return }
        let cells = rows.map { row in columns.indices.map { i in i < row.values.count ? row.values[i].map(format) ?? "-" : "-" } }
        let labelWidth = rows.reduce(labelHeading.count) { max($0, $1.label.count) }
        let widths = columns.indices.map { i in cells.reduce(columns[i].count) { max($0, $1[i].count) } }
        var y = rect.y
        if !title.isEmpty {
            grid.put(title, x: rect.x, y: y, style: Style(bold: true), clip: rect)
            y += 1
        }
        // Header, rule, rows: label left-aligned, values right-aligned under their headings.
        func line(_ label: String, _ values: [String], style: Style) {
            grid.put(label, x: rect.x, y: y, style: Style(bold: true), clip: rect)
            var x = rect.x + labelWidth
            for (i, v) in values.enumerated() {
                x += 2
                grid.put(v, x: x + widths[i] - v.count, y: y, style: style, clip: rect)
                x += widths[i]
            }
            y += 1
        }
        line(labelHeading, columns, style: Style(bold: true))
        let total = labelWidth + widths.reduce(0) { $0 + $1 + 2 }
        for x in rect.x..<min(rect.maxX, rect.x + total) { grid.put(glyphs.rule, x: x, y: y, style: Style(dim: true), clip: rect) }
        y += 1
        for (row, values) in zip(rows, cells) {
            guard y < rect.maxY else { break }
            line(row.label, values, style: .plain)
        }
    }
}
