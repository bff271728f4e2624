// A sweep: one final metric (y) against the swept setting (x), one line per group (plain vs bn),
// each point marked with its group's marker; with several seeds a whisker shows the spread. The x
// axis is logarithmic when the swept values are positive and span more than a decade (learning
// rates), linear otherwise.
//
// A point whose value is NaN or ±Inf (a run that diverged, a step count never reached) is not
// dropped: it is marked with the gap glyph (`×`) on the x axis at its swept value, and the legend
// counts it per group, e.g. `● plain (2 ×)`. Lines break at such points. With `logY` (losses, where
// one rate's large value would squash the others on a linear axis) y is drawn on a log10 scale as a
// LineChart with `logY` draws it: a value ≤ 0 is marked the same way and counted `(1 <=0)`.
//
// The legend names every group once (a repeated name gets `#2`), wrapped at entries onto as many
// lines as the rectangle allows; an entry is shown whole or counted as `+N more`, never cut.

import Foundation

/// One swept value's outcome for a group: the central value (a mean over seeds, say) and an
/// optional spread around it (`low...high`, e.g. min–max over seeds).
public struct SweepPoint: Hashable, Sendable {
    /// The swept setting (e.g. the learning rate).
    public var x: Double
    /// The metric; NaN or ±Inf when the run diverged or never got there.
    public var y: Double
    public var low: Double?
    public var high: Double?

    public init(x: Double, y: Double, low: Double? = nil, high: Double? = nil) {
        self.x = x
        self.y = y
        self.low = low
        self.high = high
    }
}

/// One group's line over the swept values.
public struct SweepSeries: Hashable, Sendable {
    public var name: String
    public var points: [SweepPoint]
    public var style: Style

    public init(name: String, points: [SweepPoint], style: Style = .plain) {
        self.name = name
        self.points = points
        self.style = style
    }
}

/// A metric against a swept setting, one line per group.
public struct SweepChart: Plot {
    public var title: String
    public var series: [SweepSeries]
    /// Log x: nil decides from the data (positive values spanning more than a decade).
    public var logX: Bool?
    /// Draws y on a log10 scale (losses); values ≤ 0 then count as gaps.
    public var logY: Bool
    /// A fixed y-range (e.g. accuracy 0...1); nil fits the data and the spreads.
    public var yRange: ValueRange?
    /// What the whiskers show, for the legend (e.g. `min-max of 3 seeds`); nil when there are none.
    public var spreadNote: String?

    public init(title: String = "", series: [SweepSeries], logX: Bool? = nil, logY: Bool = false, yRange: ValueRange? = nil,
                spreadNote: String? = nil) {
        self.title = title
        self.series = series
        self.logX = logX
        self.logY = logY
        self.yRange = yRange
        self.spreadNote = spreadNote
    }

    /// Whether the x axis is logarithmic for this data.
    public var usesLogX: Bool {
        if let logX { return logX && xValues.contains { $0 > 0 } }
        let xs = xValues
        guard let lo = xs.min(), let hi = xs.max(), lo > 0 else { return false }
        return hi / lo > 10
    }

    /// Every finite swept value (on a log axis only positive ones can be drawn).
    private var xValues: [Double] { series.flatMap { $0.points.map(\.x) }.filter(\.isFinite) }

    private func drawableX(_ x: Double, log: Bool) -> Bool { x.isFinite && (!log || x > 0) }

    /// Whether a y value can be drawn: finite, and positive on a log axis.
    private func drawableY(_ y: Double) -> Bool { y.isFinite && (!logY || y > 0) }

    /// A y value in the frame's units (log10 on a log axis).
    private func yDrawn(_ y: Double) -> Double { logY ? log10(y) : y }

    /// Legend entries: marker, a unique name, and how many points are marked `×`.
    public func legendEntries(glyphs: GlyphSet) -> [String] {
        var seen: [String: Int] = [:]
        var entries: [String] = []
        for (i, s) in series.enumerated() {
            var name = s.name
            if let n = seen[name] {
                var k = n + 1
                while seen["\(s.name)#\(k)"] != nil { k += 1 }
                seen[name] = k
                name = "\(s.name)#\(k)"
            }
            seen[name] = seen[name] ?? 1
            var entry = String(glyphs.marker(i)) + " " + name
            let marked = s.points.count { !$0.y.isFinite && $0.x.isFinite }
            let nonPositive = logY ? s.points.count { $0.y.isFinite && $0.y <= 0 && $0.x.isFinite } : 0
            let notes = (marked > 0 ? ["\(marked) \(glyphs.gap)"] : []) + (nonPositive > 0 ? ["\(nonPositive) <=0"] : [])
            if !notes.isEmpty { entry += " (" + notes.joined(separator: ", ") + ")" }
            entries.append(entry)
        }
        if let spreadNote, !spreadNote.isEmpty { entries.append("\(glyphs.verticalLine) \(spreadNote)") }
        if series.contains(where: { $0.points.contains { !$0.y.isFinite && $0.x.isFinite } }) {
            entries.append("\(glyphs.gap) diverged or never")
        }
        if logY, series.contains(where: { $0.points.contains { $0.y.isFinite && $0.y <= 0 && $0.x.isFinite } }) {
            entries.append("\(glyphs.gap) <=0 on the log axis")
        }
        return entries
    }

    /// The legend wrapped at entries into at most `maxLines` lines of `width`; entries that do not fit are counted.
    func legendLines(glyphs: GlyphSet, width: Int, maxLines: Int) -> [String] {
        guard width > 0, maxLines > 0 else { return [] }
        var lines: [String] = []
        var current = ""
        var dropped = 0
        for entry in legendEntries(glyphs: glyphs) {
            if current.isEmpty, entry.count <= width {
                current = entry
            } else if !current.isEmpty, current.count + 2 + entry.count <= width {
                current += "  " + entry
            } else if entry.count <= width, lines.count + 1 < maxLines {
                lines.append(current)
                current = entry
            } else {
                dropped += 1
            }
        }
        if !current.isEmpty { lines.append(current) }
        if dropped > 0, var last = lines.popLast() {
            let note = "  +\(dropped) more"
            if last.count + note.count <= width { last += note }
            lines.append(last)
        }
        return lines
    }

    public func render(into grid: inout Grid, in rect: Rect, glyphs: GlyphSet) {
        let rect = rect.drawable(in: grid)
        guard !rect.isEmpty, !rect.intersection(grid.bounds).isEmpty else { return }
        let log = usesLogX

        // Ranges: x over drawable swept values, y over finite values and spreads.
        let xs = series.flatMap { $0.points.map(\.x) }.filter { drawableX($0, log: log) }
        var xData = ValueRange.enclosing(xs) ?? ValueRange(lower: log ? 0.1 : 0, upper: 1)
        if log { xData = ValueRange(lower: xData.lower, upper: max(xData.upper, xData.lower)) }
        let ys = series.flatMap { s in
            s.points.filter { drawableX($0.x, log: log) }.flatMap { [$0.y, $0.low ?? .nan, $0.high ?? .nan] }
        }.filter(drawableY)
        var yData = yRange ?? ValueRange.enclosing(ys) ?? ValueRange(lower: logY ? 0.1 : 0, upper: 1)
        if logY {
            // As LineChart: a fixed range reaching 0 starts at the data's lowest positive value.
            yData = yData.normalized
            if yData.lower <= 0 { yData.lower = ys.min() ?? min(yData.upper / 10, 0.1) }
            if !(yData.lower > 0) || !(yData.upper >= yData.lower) { yData = ValueRange(lower: 0.1, upper: 1) }
        }
        if yRange == nil, yData.span > 0 {
            // A little room so the highest and lowest markers are not on the frame's edges (a factor on a log axis).
            if logY {
                let pad = pow(10, (log10(yData.upper) - log10(yData.lower)) * 0.05)
                yData = ValueRange(lower: yData.lower / pad, upper: yData.upper * pad)
            } else {
                let pad = yData.span * 0.05
                yData = ValueRange(lower: yData.lower - pad, upper: yData.upper + pad)
            }
        }
        let maxLegendLines = max(1, (rect.height - 6) / 2)
        let header = [(title, Style(bold: true))].filter { !$0.0.isEmpty }
            + legendLines(glyphs: glyphs, width: rect.width, maxLines: maxLegendLines).map { ($0, Style.plain) }
        let dpc = glyphs.usesBraille ? 2 : 1, dpr = glyphs.usesBraille ? 4 : 1
        let frame = XYFrame.draw(
            into: &grid, rect: rect, header: header, xRange: xData,
            yAxis: { logY ? Axis.log(yData, maxTicks: $0) : Axis.linear(yData, maxTicks: $0) },
            xAxis: log ? { Axis.logX(xData, maxTicks: $0) } : nil,
            glyphs: glyphs, dotsPerColumn: dpc, dotsPerRow: dpr)
        let plot = frame.plot
        guard !plot.isEmpty else { return }
        func xDrawn(_ x: Double) -> Double { log ? log10(x) : x }

        // Whiskers first, straight into the grid: lines and markers are drawn over them.
        for s in series {
            for p in s.points where drawableX(p.x, log: log) && drawableY(p.y) {
                guard let low = p.low, let high = p.high, drawableY(low), drawableY(high) else { continue }
                let column = frame.column(forX: xDrawn(p.x), dotsPerColumn: dpc)
                let top = frame.row(forY: yDrawn(max(low, high)), dotsPerRow: dpr), bottom = frame.row(forY: yDrawn(min(low, high)), dotsPerRow: dpr)
                guard top <= bottom else { continue }
                for row in top...bottom where grid[column, row].character == " " {
                    grid.put(glyphs.verticalLine, x: column, y: row, style: s.style.with(dim: true), clip: plot.intersection(rect))
                }
            }
        }

        var canvas = Canvas(columns: plot.width, rows: plot.height, braille: glyphs.usesBraille)
        var marks: [(column: Int, series: Int)] = []
        for (index, s) in series.enumerated() {
            let dash = glyphs.usesBraille ? dashPatterns[index % dashPatterns.count] : 0xFF
            var phase = 0
            var previous: (Double, Double)?
            let sorted = s.points.filter { drawableX($0.x, log: log) }.sorted { $0.x < $1.x }
            for p in sorted {
                guard drawableY(p.y) else {
                    marks.append((frame.column(forX: xDrawn(p.x), dotsPerColumn: dpc), index))
                    previous = nil
                    phase = 0
                    continue
                }
                let x = canvas.dotX(frame.x.range.fraction(xDrawn(p.x)))
                let y = canvas.dotY(frame.y.range.fraction(yDrawn(p.y)))
                // ASCII draws no connecting lines: one marker per point reads better than a row of them.
                if glyphs.usesBraille, let (px, py) = previous {
                    canvas.line(px, py, x, y, series: index, dash: dash, phase: &phase)
                }
                previous = (x, y)
            }
            for p in sorted where drawableY(p.y) {
                canvas.mark(x: canvas.dotX(frame.x.range.fraction(xDrawn(p.x))), y: canvas.dotY(frame.y.range.fraction(yDrawn(p.y))), series: index)
            }
        }
        canvas.draw(
            into: &grid, plot: plot, clip: rect, glyphs: glyphs, styles: series.map(\.style),
            markerGlyphs: glyphs.seriesMarkers)
        if let row = frame.axisRow {
            for mark in marks {
                grid.put(glyphs.gap, x: mark.column, y: row, style: series[mark.series].style.with(bold: true), clip: rect)
            }
        }
    }
}

extension Axis {
    /// A log10 x axis over positive `range`: powers of ten when it spans a decade or more.
    static func logX(_ range: ValueRange, maxTicks: Int) -> Axis {
        guard range.lower > 0, range.upper.isFinite else { return linear(range, maxTicks: maxTicks) }
        return log(ValueRange(lower: range.lower, upper: max(range.upper, range.lower)), maxTicks: maxTicks)
    }
}

extension Style {
    fileprivate func with(dim: Bool) -> Style {
        var s = self
        s.dim = dim
        return s
    }

    fileprivate func with(bold: Bool) -> Style {
        var s = self
        s.bold = bold
        return s
    }
}
