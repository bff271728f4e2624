// A histogram of one layer's values at one stage: vertical bars at eighth-block resolution (Unicode)
// or a coarser ASCII ramp, a caption with the statistics, range labels on the axis, and markers for
// counts that fell outside the range (`◂12` left, `12▸` right).
//
// Rows, top to bottom: caption, bars, axis line with clip markers, range labels. As the rectangle
// shrinks the caption goes first, then the axis line. Leaves out a count (y) axis: bar heights are
// relative to `countScale`, which small multiples share so bars compare across variants.

/// One histogram, drawn as vertical bars.
public struct Histogram: Plot {
    public var data: HistogramData
    /// Names the layer and stage, e.g. `"L2 pre-BN"`; may be empty.
    public var title: String
    /// The x-range to draw over; nil draws over the data's own range. Pass one range to several
    /// histograms to compare them.
    public var range: ValueRange?
    /// The count drawn as a full-height bar; nil uses the tallest bin.
    public var countScale: Double?
    /// Whether to draw the caption row (title and statistics).
    public var showsCaption: Bool
    public var style: Style

    /// A histogram of `data`, titled, over its own range or a shared one.
    public init(
        _ data: HistogramData, title: String = "", range: ValueRange? = nil, countScale: Double? = nil,
        showsCaption: Bool = true, style: Style = .plain
    ) {
        self.data = data
        self.title = title
        self.range = range
        self.countScale = countScale
        self.showsCaption = showsCaption
        self.style = style
    }

    /// The caption: title, statistics, % saturated, and a note when values were NaN or ±Inf.
    public func caption(glyphs: GlyphSet) -> String {
        var parts: [String] = title.isEmpty ? [] : [title]
        if data.nonFinite > 0 { parts.append(NumberFormat.compact(data.nonFinite.rounded(), significant: 2) + " NaN") }
        if let mean = data.estimatedMean { parts.append(glyphs.mean + " " + NumberFormat.compact(mean, significant: 2)) }
        if let std = data.estimatedStd { parts.append(glyphs.std + " " + NumberFormat.compact(std, significant: 2)) }
        if let s = data.saturatedFraction { parts.append("sat " + NumberFormat.percent(s)) }
        return parts.joined(separator: " ")
    }

    public func render(into grid: inout Grid, in rect: Rect, glyphs: GlyphSet) {
        let rect = rect.drawable(in: grid)
        guard !rect.isEmpty, !rect.intersection(grid.bounds).isEmpty else { return }
        let h = rect.height
        let captionRows = showsCaption && h >= 4 ? 1 : 0
        let labelRows = h >= 2 ? 1 : 0
        let axisRows = h >= 3 ? 1 : 0
        let barRows = h - captionRows - labelRows - axisRows
        let top = rect.y + captionRows
        if captionRows > 0 { grid.put(caption(glyphs: glyphs), x: rect.x, y: rect.y, style: Style(bold: true), clip: rect) }

        // Re-bin to one bin per column over the display range.
        let shown = (range ?? data.range).normalized
        var bins = [Double](repeating: 0, count: rect.width)
        var below = data.below.isFinite ? max(data.below, 0) : 0
        var above = data.above.isFinite ? max(data.above, 0) : 0
        var bad = 0.0
        data.rebin(into: &bins, range: shown, below: &below, above: &above, bad: &bad)
        drawBars(bins, into: &grid, x: rect.x, top: top, rows: barRows, clip: rect, glyphs: glyphs)

        if axisRows > 0 {
            let row = top + barRows
            for x in rect.x..<rect.maxX { grid.put(glyphs.horizontalLine, x: x, y: row, style: Style(dim: true), clip: rect) }
            if below >= 0.5 {
                grid.put(String(glyphs.clippedLeft) + NumberFormat.compact(below.rounded(), significant: 2), x: rect.x, y: row, style: style, clip: rect)
            }
            if above >= 0.5 {
                let text = NumberFormat.compact(above.rounded(), significant: 2) + String(glyphs.clippedRight)
                grid.put(text, x: rect.maxX - text.count, y: row, style: style, clip: rect)
            }
        }
        if labelRows > 0 { drawRangeLabels(shown, into: &grid, row: rect.maxY - 1, rect: rect) }
    }

    /// Bars from the bottom row up: whole cells of the full block, then the eighth block on top.
    private func drawBars(_ bins: [Double], into grid: inout Grid, x: Int, top: Int, rows: Int, clip: Rect, glyphs: GlyphSet) {
        guard rows > 0 else { return }
        var full = countScale ?? 0
        if countScale == nil { for c in bins where c.isFinite { full = max(full, c) } }
        guard full > 0, full.isFinite else { return }
        let levels = glyphs.verticalBlocks.count - 1
        guard levels > 0 else { return }
        let totalLevels = rows * levels
        for (i, c) in bins.enumerated() where c > 0 {
            // A non-empty bin shows at least one level, so a single value is never invisible.
            let height = max(1, clampedInt(c / full * Double(totalLevels), 0, totalLevels))
            let wholeCells = height / levels, rest = height % levels
            for r in 0..<wholeCells { grid.put(glyphs.verticalBlocks[levels], x: x + i, y: top + rows - 1 - r, style: style, clip: clip) }
            if rest > 0 { grid.put(glyphs.verticalBlocks[rest], x: x + i, y: top + rows - 1 - wholeCells, style: style, clip: clip) }
        }
    }

    /// The lower end at the left, the upper end at the right, and nice ticks between where they fit.
    private func drawRangeLabels(_ shown: ValueRange, into grid: inout Grid, row: Int, rect: Rect) {
        let dim = Style(dim: true)
        let width = rect.width
        var ticks = NiceTicks.ticks(in: shown, maxCount: max(1, width / 6))
        ticks.removeAll { $0 == shown.lower || $0 == shown.upper }
        // The ends are wherever the data put them (3 significant digits); the ticks between are nice.
        let lowLabel = NumberFormat.compact(shown.lower), highLabel = NumberFormat.compact(shown.upper)
        let tickLabels = NumberFormat.tickLabels(ticks)
        grid.put(lowLabel, x: rect.x, y: row, style: dim, clip: rect)
        let highStart = rect.maxX - highLabel.count
        if highStart > rect.x + lowLabel.count { grid.put(highLabel, x: highStart, y: row, style: dim, clip: rect) }
        var nextFree = rect.x + lowLabel.count + 1
        for (t, label) in zip(ticks, tickLabels) {
            let column = rect.x + clampedFloor(shown.fraction(t) * Double(width), 0, max(width - 1, 0))
            let start = column - label.count / 2
            guard start >= nextFree, start + label.count < highStart else { continue }
            grid.put(label, x: start, y: row, style: dim, clip: rect)
            nextFree = start + label.count + 1
        }
    }
}
