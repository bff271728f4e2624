// Several named series over training steps: braille lines in Unicode mode, one marker character per
// series in ASCII mode (`*`, `o`, `+`, `x`, …). Axes carry nice tick values; a legend names each
// series by its marker (and in Unicode the line ends in that marker and has its own dash pattern),
// so nothing depends on color.
//
// NaN, ±Inf (and values ≤ 0 on a log axis) break the line: the x axis shows a gap mark there and the
// legend counts them, e.g. `loss (3 NaN)`.

import Foundation

/// A line chart of one or more series.
public struct LineChart: Plot {
    public var title: String
    public var series: [LineSeries]
    /// Draws y on a log10 scale (losses); values ≤ 0 then count as gaps.
    public var logY: Bool
    /// A fixed y-range (e.g. accuracy 0...1); nil fits the data.
    public var yRange: ValueRange?
    /// A fixed x-range; nil fits the data.
    public var xRange: ValueRange?

    /// A chart of `series`, optionally log-y and with fixed ranges.
    public init(title: String = "", series: [LineSeries], logY: Bool = false, yRange: ValueRange? = nil, xRange: ValueRange? = nil) {
        self.title = title
        self.series = series
        self.logY = logY
        self.yRange = yRange
        self.xRange = xRange
    }

    /// Whether a point can be drawn (finite, and positive on a log axis).
    private func drawable(_ p: DataPoint) -> Bool {
        p.x.isFinite && p.y.isFinite && (!logY || p.y > 0)
    }

    /// The legend: each series' marker and name, and how many of its points are gaps.
    public func legend(glyphs: GlyphSet) -> String {
        series.enumerated().map { i, s in
            var entry = String(glyphs.marker(i)) + " " + s.name
            let nonFinite = s.points.count { !$0.y.isFinite || !$0.x.isFinite }
            let nonPositive = logY ? s.points.count { $0.y.isFinite && $0.y <= 0 } : 0
            var notes: [String] = []
            if nonFinite > 0 { notes.append("\(nonFinite) NaN") }
            if nonPositive > 0 { notes.append("\(nonPositive) <=0") }
            if !notes.isEmpty { entry += " (" + notes.joined(separator: ", ") + ")" }
            return entry
        }.joined(separator: "  ")
    }

    public func render(into grid: inout Grid, in rect: Rect, glyphs: GlyphSet) {
        let rect = rect.drawable(in: grid)
        guard !rect.isEmpty, !rect.intersection(grid.bounds).isEmpty else { return }

        // Data ranges over drawable points only.
        var xs = ValueRange(lower: .infinity, upper: -.infinity), ys = xs
        for s in series {
            for p in s.points where drawable(p) {
                xs = ValueRange(lower: min(xs.lower, p.x), upper: max(xs.upper, p.x))
                ys = ValueRange(lower: min(ys.lower, p.y), upper: max(ys.upper, p.y))
            }
            for (p, b) in zip(s.points, s.band) where drawable(p) {
                for y in [b.lower, b.upper] where drawable(DataPoint(x: p.x, y: y)) {
                    ys = ValueRange(lower: min(ys.lower, y), upper: max(ys.upper, y))
                }
            }
        }
        let hasData = xs.lower <= xs.upper
        let xData = xRange ?? (hasData ? xs : ValueRange(lower: 0, upper: 1))
        var yData = yRange ?? (hasData ? ys : ValueRange(lower: logY ? 0.1 : 0, upper: 1))
        if logY {
            yData = yData.normalized
            if yData.lower <= 0 { yData.lower = hasData ? ys.lower : min(yData.upper / 10, 0.1) }
            if !(yData.lower > 0) || !(yData.upper > yData.lower) { yData = ValueRange(lower: 0.1, upper: 1) }
        }
        let header = [(title, Style(bold: true)), (legend(glyphs: glyphs), Style.plain)].filter { !$0.0.isEmpty }
        let dpc = glyphs.usesBraille ? 2 : 1, dpr = glyphs.usesBraille ? 4 : 1
        let frame = XYFrame.draw(
            into: &grid, rect: rect, header: header, xRange: xData,
            yAxis: { logY ? Axis.log(yData, maxTicks: $0) : Axis.linear(yData, maxTicks: $0) },
            glyphs: glyphs, dotsPerColumn: dpc, dotsPerRow: dpr)
        guard !frame.plot.isEmpty else { return }

        var canvas = Canvas(columns: frame.plot.width, rows: frame.plot.height, braille: glyphs.usesBraille)
        var gapColumns: [Int] = []
        // Bands first, under the lines: a sparse vertical hatch from lower to upper at each point (braille only).
        if glyphs.usesBraille {
            for (index, s) in series.enumerated() {
                for (p, b) in zip(s.points, s.band) where drawable(p) {
                    let lo = DataPoint(x: p.x, y: b.lower), hi = DataPoint(x: p.x, y: b.upper)
                    guard drawable(lo), drawable(hi) else { continue }
                    let x = canvas.dotX(frame.x.range.fraction(p.x))
                    let y0 = canvas.dotY(frame.y.range.fraction(logY ? log10(lo.y) : lo.y))
                    let y1 = canvas.dotY(frame.y.range.fraction(logY ? log10(hi.y) : hi.y))
                    var phase = 0
                    canvas.line(x, y0, x, y1, series: index, dash: 0b0101_0101, phase: &phase)
                }
            }
        }
        for (index, s) in series.enumerated() {
            let dash = glyphs.usesBraille ? dashPatterns[index % dashPatterns.count] : 0xFF
            var phase = 0
            var previous: (Double, Double)?
            var last: (Double, Double)?
            for p in s.points {
                guard drawable(p) else {
                    if p.x.isFinite { gapColumns.append(frame.column(forX: p.x, dotsPerColumn: dpc)) }
                    previous = nil
                    phase = 0
                    continue
                }
                let x = canvas.dotX(frame.x.range.fraction(p.x))
                let y = canvas.dotY(frame.y.range.fraction(logY ? log10(p.y) : p.y))
                if let (px, py) = previous {
                    canvas.line(px, py, x, y, series: index, dash: dash, phase: &phase)
                } else {
                    canvas.line(x, y, x, y, series: index, dash: 0xFF, phase: &phase)
                }
                previous = (x, y)
                last = (x, y)
            }
            if glyphs.usesBraille, let (x, y) = last { canvas.mark(x: x, y: y, series: index) }
        }
        canvas.draw(
            into: &grid, plot: frame.plot, clip: rect, glyphs: glyphs, styles: series.map(\.style),
            markerGlyphs: glyphs.seriesMarkers)
        if let row = frame.axisRow {
            for column in gapColumns { grid.put(glyphs.gap, x: column, y: row, style: Style(bold: true), clip: rect) }
        }
    }
}
