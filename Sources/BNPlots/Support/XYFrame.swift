// The frame shared by x–y charts (line chart, percentile band, heatmap): header lines on top, a y axis
// with tick labels on the left, an x axis with tick labels below, and the plot area inside.
//
// Parts are dropped as the rectangle shrinks, plot area last: header lines first, then the axes.

import Foundation

/// An axis as drawn: the range in drawing coordinates (log10 of the data for log axes), ticks and labels.
struct Axis {
    var range: ValueRange
    var ticks: [Double]
    var labels: [String]

    /// A linear axis over `range` with at most about `maxTicks` ticks.
    static func linear(_ range: ValueRange, maxTicks: Int) -> Axis {
        let r = range.normalized
        let ticks = NiceTicks.ticks(in: r, maxCount: max(maxTicks, 1))
        return Axis(range: r, ticks: ticks, labels: NumberFormat.tickLabels(ticks)).withDistinctLabels
    }

    /// A log10 axis over positive `range` (data values); ticks and range are stored as log10.
    static func log(_ range: ValueRange, maxTicks: Int) -> Axis {
        let logRange = ValueRange(lower: log10(range.lower), upper: log10(range.upper)).normalized
        let data = ValueRange(lower: pow(10, logRange.lower), upper: pow(10, logRange.upper))
        let values = NiceTicks.logTicks(in: data, maxCount: max(maxTicks, 1))
        let labels = NumberFormat.distinct(values, values.map { NumberFormat.compact($0, significant: 2) })
        return Axis(range: logRange, ticks: values.map { log10($0) }, labels: labels).withDistinctLabels
    }

    /// The axis without the ticks whose label repeats an earlier one: two equal labels at different
    /// heights would misstate the scale. (`NumberFormat.distinct` already tried more digits.)
    var withDistinctLabels: Axis {
        var seen = Set<String>()
        var kept = Axis(range: range, ticks: [], labels: [])
        for (t, label) in zip(ticks, labels) where seen.insert(label).inserted {
            kept.ticks.append(t)
            kept.labels.append(label)
        }
        return kept
    }
}

/// Where a frame put things.
struct XYFrame {
    /// The plot area (possibly empty).
    var plot: Rect
    /// The row of the x-axis line, or nil when there was no room for axes.
    var axisRow: Int?
    var x: Axis
    var y: Axis

    /// Lays out and draws header lines and axes into `rect`; `yAxis` builds the y axis for a tick budget,
    /// and `xAxis` the x axis (linear over `xRange` when nil).
    static func draw(
        into grid: inout Grid, rect: Rect, header: [(String, Style)], xRange: ValueRange,
        yAxis: (Int) -> Axis, xAxis: ((Int) -> Axis)? = nil, glyphs: GlyphSet, dotsPerColumn: Int, dotsPerRow: Int
    ) -> XYFrame {
        let headerRows = min(header.count, max(0, rect.height - 4))
        for (i, line) in header.prefix(headerRows).enumerated() {
            grid.put(line.0, x: rect.x, y: rect.y + i, style: line.1, clip: rect)
        }
        let h = rect.height - headerRows
        let axisRows = h >= 4 ? 2 : 0
        let plotHeight = max(0, h - axisRows)
        var y = yAxis(max(2, plotHeight / 2))
        let labelWidth = y.labels.reduce(0) { max($0, $1.count) }
        let gutter = rect.width >= labelWidth + 1 + 6 && axisRows > 0 ? labelWidth + 1 : 0
        if gutter == 0 { y.ticks = []; y.labels = [] }
        let plot = Rect(x: rect.x + gutter, y: rect.y + headerRows, width: rect.width - gutter, height: plotHeight)
        let x = xAxis?(max(1, plot.width / 9)) ?? Axis.linear(xRange, maxTicks: max(1, plot.width / 9))
        var frame = XYFrame(plot: plot, axisRow: nil, x: x, y: y)
        guard axisRows > 0, !plot.isEmpty else { return frame }
        let axisX = plot.x - 1, axisRow = plot.maxY
        frame.axisRow = axisRow
        let dim = Style(dim: true)

        // y axis: a vertical line, ticks with right-aligned labels; a label never overwrites another.
        if gutter > 0 {
            for row in plot.y..<plot.maxY { grid.put(glyphs.verticalLine, x: axisX, y: row, style: dim, clip: rect) }
            var lastRow = Int.min
            for (t, label) in zip(y.ticks, y.labels) {
                let row = frame.row(forY: t, dotsPerRow: dotsPerRow)
                guard row != lastRow else { continue }
                lastRow = row
                grid.put(glyphs.yTick, x: axisX, y: row, style: dim, clip: rect)
                grid.put(label, x: axisX - label.count, y: row, style: dim, clip: rect)
            }
            grid.put(glyphs.corner, x: axisX, y: axisRow, style: dim, clip: rect)
        }

        // x axis: a horizontal line with ticks, labels centred under them where they fit.
        for column in plot.x..<plot.maxX { grid.put(glyphs.horizontalLine, x: column, y: axisRow, style: dim, clip: rect) }
        var nextFree = rect.x
        for (t, label) in zip(x.ticks, x.labels) {
            let column = frame.column(forX: t, dotsPerColumn: dotsPerColumn)
            grid.put(glyphs.xTick, x: column, y: axisRow, style: dim, clip: rect)
            let start = min(max(column - label.count / 2, rect.x), rect.maxX - label.count)
            guard start >= nextFree, start >= rect.x else { continue }
            grid.put(label, x: start, y: axisRow + 1, style: dim, clip: rect)
            nextFree = start + label.count + 1
        }
        return frame
    }

    /// The grid row of y value `v` (drawing coordinates), matching the canvas's dot rows.
    func row(forY v: Double, dotsPerRow: Int) -> Int {
        let dots = plot.height * dotsPerRow
        let dot = clampedInt((1 - y.range.fraction(v)) * Double(dots - 1), 0, max(dots - 1, 0))
        return plot.y + dot / max(dotsPerRow, 1)
    }

    /// The grid column of x value `v`, matching the canvas's dot columns.
    func column(forX v: Double, dotsPerColumn: Int) -> Int {
        let dots = plot.width * dotsPerColumn
        let dot = clampedInt(x.range.fraction(v) * Double(dots - 1), 0, max(dots - 1, 0))
        return plot.x + dot / max(dotsPerColumn, 1)
    }
}
