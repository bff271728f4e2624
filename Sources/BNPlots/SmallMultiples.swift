// The main live view: a grid of histograms, one row per layer and stage, one column per variant,
// with labelled rows and columns and aligned scales.
//
// Layout: a header row of column labels, a left gutter of row labels, then equal blocks separated by
// one blank column. Bars share one count scale per row, so heights compare across variants; the
// x-range is per histogram, per row, or one for all (`RangeSharing`).

/// A grid of histograms: rows are layers and stages, columns are variants.
public struct SmallMultiples: Plot {
    /// How histograms share their x-range.
    public enum RangeSharing: Hashable, Sendable {
        /// Each histogram over its own range.
        case none
        /// One range per row (the union of the row's ranges): compares variants at the same layer.
        case perRow
        /// One range for the whole grid.
        case all
    }

    public var rowLabels: [String]
    public var columnLabels: [String]
    /// `cells[row][column]`; nil (or a missing entry) leaves that block empty.
    public var cells: [[HistogramData?]]
    public var rangeSharing: RangeSharing
    /// Whether bars in a row share one count scale.
    public var sharesCountScalePerRow: Bool
    /// Styles for the columns' bars, cycled; color is style only.
    public var columnStyles: [Style]

    /// A grid of histograms with labelled rows and columns.
    public init(
        rowLabels: [String], columnLabels: [String], cells: [[HistogramData?]], rangeSharing: RangeSharing = .perRow,
        sharesCountScalePerRow: Bool = true, columnStyles: [Style] = []
    ) {
        self.rowLabels = rowLabels
        self.columnLabels = columnLabels
        self.cells = cells
        self.rangeSharing = rangeSharing
        self.sharesCountScalePerRow = sharesCountScalePerRow
        self.columnStyles = columnStyles
    }

    private func cell(_ r: Int, _ c: Int) -> HistogramData? {
        r < cells.count && c < cells[r].count ? cells[r][c] : nil
    }

    public func render(into grid: inout Grid, in rect: Rect, glyphs: GlyphSet) {
        let rect = rect.drawable(in: grid)
        let rowCount = max(rowLabels.count, cells.count)
        let columnCount = max(columnLabels.count, cells.map(\.count).max() ?? 0)
        guard !rect.isEmpty, rowCount > 0, columnCount > 0 else { return }

        let longest = rowLabels.reduce(0) { max($0, $1.count) }
        let gutter = longest == 0 ? 0 : min(longest + 1, rect.width / 4)
        let headerRows = columnLabels.isEmpty || rect.height < 3 ? 0 : 1
        let blockWidth = (rect.width - gutter + 1) / columnCount - 1
        let blockHeight = (rect.height - headerRows) / rowCount
        guard blockWidth > 0, blockHeight > 0 else { return }

        let bold = Style(bold: true)
        if headerRows > 0 {
            for (c, label) in columnLabels.enumerated() {
                grid.put(label, x: rect.x + gutter + c * (blockWidth + 1), y: rect.y, style: bold,
                         clip: Rect(x: rect.x + gutter + c * (blockWidth + 1), y: rect.y, width: blockWidth, height: 1).intersection(rect))
            }
        }

        let allRange = rangeSharing == .all ? sharedRange(rows: 0..<rowCount, columns: columnCount) : nil
        for r in 0..<rowCount {
            let y = rect.y + headerRows + r * blockHeight
            if gutter > 0, r < rowLabels.count {
                grid.put(rowLabels[r], x: rect.x, y: y, style: bold, clip: Rect(x: rect.x, y: y, width: gutter - 1, height: 1).intersection(rect))
            }
            let rowRange = rangeSharing == .perRow ? sharedRange(rows: r..<(r + 1), columns: columnCount) : allRange
            let scale = sharesCountScalePerRow ? rowCountScale(r, columns: columnCount, range: rowRange, width: blockWidth) : nil
            for c in 0..<columnCount {
                guard let data = cell(r, c) else { continue }
                let block = Rect(x: rect.x + gutter + c * (blockWidth + 1), y: y, width: blockWidth, height: blockHeight)
                let style = columnStyles.isEmpty ? Style.plain : columnStyles[c % columnStyles.count]
                Histogram(data, range: rowRange, countScale: scale, style: style)
                    .render(into: &grid, in: block.intersection(rect), glyphs: glyphs)
            }
        }
    }

    /// The union of the ranges of the histograms in `rows`.
    private func sharedRange(rows: Range<Int>, columns: Int) -> ValueRange? {
        var range: ValueRange?
        for r in rows {
            for c in 0..<columns {
                guard let d = cell(r, c) else { continue }
                range = range.map { $0.union(d.range) } ?? d.range
            }
        }
        return range
    }

    /// The tallest column bin in row `r` once re-binned to the block width, so bars compare across the row.
    private func rowCountScale(_ r: Int, columns: Int, range: ValueRange?, width: Int) -> Double? {
        var tallest = 0.0
        var bins = [Double](repeating: 0, count: max(width, 1))
        for c in 0..<columns {
            guard let d = cell(r, c) else { continue }
            for i in bins.indices { bins[i] = 0 }
            var below = 0.0, above = 0.0, bad = 0.0
            d.rebin(into: &bins, range: (range ?? d.range).normalized, below: &below, above: &above, bad: &bad)
            for b in bins where b.isFinite { tallest = max(tallest, b) }
        }
        return tallest > 0 ? tallest : nil
    }
}
