// A histogram over time, like TensorBoard's distribution view: x is the training step, y the value
// bins, each cell shaded by its count (Unicode ` ░▒▓█`, ASCII ` .:-=+*#%@`).
//
// Each column shows the latest slice at or before the step at its centre, re-binned to the rows.
// Shades are linear in count against the largest cell; any non-zero count gets at least the lightest shade.
// Slices with NaN or ±Inf counts leave a gap mark on the x axis and a note in the header.

/// One step's bin counts over the heatmap's common range.
public struct HeatmapSlice: Hashable, Sendable {
    public var step: Double
    public var bins: [Double]

    public init(step: Double, bins: [Double]) {
        self.step = step
        self.bins = bins
    }
}

/// A histogram over time: steps across, value bins up, shade by count.
public struct Heatmap: Plot {
    public var title: String
    /// The value range every slice's bins cover.
    public var range: ValueRange
    /// Slices in step order.
    public var slices: [HeatmapSlice]
    public var style: Style

    /// A heatmap of `slices` whose bins all cover `range`.
    public init(title: String = "", range: ValueRange, slices: [HeatmapSlice], style: Style = .plain) {
        self.title = title
        self.range = range
        self.slices = slices
        self.style = style
    }

    private static func finite(_ s: HeatmapSlice) -> Bool { s.step.isFinite && s.bins.allSatisfy(\.isFinite) }

    public func render(into grid: inout Grid, in rect: Rect, glyphs: GlyphSet) {
        let rect = rect.drawable(in: grid)
        guard !rect.isEmpty, !rect.intersection(grid.bounds).isEmpty else { return }
        let values = range.normalized
        let good = slices.filter(Self.finite).sorted { $0.step < $1.step }
        let bad = slices.count - good.count
        let headerText = title + (bad > 0 ? (title.isEmpty ? "" : "  ") + "(\(bad) NaN)" : "")
        let header = headerText.isEmpty ? [] : [(headerText, Style(bold: true))]
        // Each slice covers the steps up to the next one; the last covers one mean spacing.
        var xData = ValueRange.enclosing(good.map(\.step)) ?? ValueRange(lower: 0, upper: 1)
        if good.count > 1 { xData.upper += xData.span / Double(good.count - 1) }
        let frame = XYFrame.draw(
            into: &grid, rect: rect, header: header, xRange: xData, yAxis: { Axis.linear(values, maxTicks: $0) },
            glyphs: glyphs, dotsPerColumn: 1, dotsPerRow: 1)
        let plot = frame.plot
        guard !plot.isEmpty, !good.isEmpty else { return }

        // Which slice each column shows, then each used slice re-binned to the plot's rows (top = upper).
        var sliceForColumn = [Int](repeating: -1, count: plot.width)
        var k = -1
        for column in 0..<plot.width {
            let step = frame.x.range.lower + (Double(column) + 0.5) / Double(plot.width) * frame.x.range.span
            while k + 1 < good.count && good[k + 1].step <= step { k += 1 }
            sliceForColumn[column] = k
        }
        var counts = [Double](repeating: 0, count: plot.width * plot.height)
        var column = 0
        var rebinned = [Double](repeating: 0, count: plot.height)
        while column < plot.width {
            let s = sliceForColumn[column]
            var end = column + 1
            while end < plot.width && sliceForColumn[end] == s { end += 1 }
            if s >= 0 {
                for i in rebinned.indices { rebinned[i] = 0 }
                var below = 0.0, above = 0.0, nan = 0.0
                HistogramData(bins: good[s].bins, lower: values.lower, upper: values.upper)
                    .rebin(into: &rebinned, range: frame.y.range, below: &below, above: &above, bad: &nan)
                for c in column..<end {
                    for row in 0..<plot.height { counts[row * plot.width + c] = rebinned[plot.height - 1 - row] }
                }
            }
            column = end
        }
        var largest = 0.0
        for c in counts where c > largest { largest = c }
        let levels = glyphs.shades.count - 1
        guard largest > 0, levels > 0 else { return }
        let visible = plot.intersection(rect).intersection(grid.bounds)
        guard !visible.isEmpty else { return }
        for y in visible.y..<visible.maxY {
            for x in visible.x..<visible.maxX {
                let c = counts[(y - plot.y) * plot.width + (x - plot.x)]
                guard c > 0 else { continue }
                let level = 1 + clampedFloor(c / largest * Double(levels - 1) + 0.5, 0, levels - 1)
                grid[x, y] = Cell(glyphs.shades[level], style: style)
            }
        }
        if let row = frame.axisRow {
            for s in slices where !Self.finite(s) && s.step.isFinite {
                grid.put(glyphs.gap, x: frame.column(forX: s.step, dotsPerColumn: 1), y: row, style: Style(bold: true), clip: rect)
            }
        }
    }
}
