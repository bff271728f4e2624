// The 15th, 50th and 85th percentiles of one unit's input over training, as in Ioffe & Szegedy (2015),
// Fig. 1(b, c): three lines over the step, with the band between p15 and p85 shaded.
//
// The median is drawn with the first series marker, the outer lines with the second; the band uses
// the glyph set's band fill. A NaN in any percentile leaves a gap mark on the x axis and a note.

/// One step's percentiles of a unit's input.
public struct PercentilePoint: Hashable, Sendable {
    public var step: Double
    public var p15: Double
    public var p50: Double
    public var p85: Double

    /// Percentiles given directly.
    public init(step: Double, p15: Double, p50: Double, p85: Double) {
        self.step = step
        self.p15 = p15
        self.p50 = p50
        self.p85 = p85
    }

    /// The percentiles of raw `values` (finite ones; linear interpolation between order statistics).
    public init(step: Double, values: [Double]) {
        let sorted = values.filter(\.isFinite).sorted()
        func percentile(_ q: Double) -> Double {
            guard !sorted.isEmpty else { return .nan }
            let position = q * Double(sorted.count - 1)
            let i = clampedFloor(position, 0, sorted.count - 1), j = min(i + 1, sorted.count - 1)
            return sorted[i] + (sorted[j] - sorted[i]) * (position - Double(i))
        }
        self.init(step: step, p15: percentile(0.15), p50: percentile(0.5), p85: percentile(0.85))
    }
}

/// The percentile band of one unit over training.
public struct PercentileBand: Plot {
    public var title: String
    public var points: [PercentilePoint]
    /// A fixed y-range; nil fits the data.
    public var yRange: ValueRange?
    public var style: Style

    /// A band chart of `points` (in step order).
    public init(title: String = "", points: [PercentilePoint], yRange: ValueRange? = nil, style: Style = .plain) {
        self.title = title
        self.points = points
        self.yRange = yRange
        self.style = style
    }

    private static func finite(_ p: PercentilePoint) -> Bool {
        p.step.isFinite && p.p15.isFinite && p.p50.isFinite && p.p85.isFinite
    }

    /// The legend line: marker for the median, marker for the outer percentiles, the band fill.
    public func legend(glyphs: GlyphSet) -> String {
        var text = "\(glyphs.marker(0)) p50  \(glyphs.marker(1)) p15, p85  \(glyphs.bandFill) between"
        let bad = points.count { !Self.finite($0) }
        if bad > 0 { text += "  (\(bad) NaN)" }
        return text
    }

    public func render(into grid: inout Grid, in rect: Rect, glyphs: GlyphSet) {
        let rect = rect.drawable(in: grid)
        guard !rect.isEmpty, !rect.intersection(grid.bounds).isEmpty else { return }
        let good = points.filter(Self.finite)
        let xData = ValueRange.enclosing(good.map(\.step)) ?? ValueRange(lower: 0, upper: 1)
        let yData = yRange ?? ValueRange.enclosing(good.flatMap { [$0.p15, $0.p50, $0.p85] }) ?? ValueRange(lower: 0, upper: 1)
        let header = [(title, Style(bold: true)), (legend(glyphs: glyphs), Style.plain)].filter { !$0.0.isEmpty }
        let dpc = glyphs.usesBraille ? 2 : 1, dpr = glyphs.usesBraille ? 4 : 1
        let frame = XYFrame.draw(
            into: &grid, rect: rect, header: header, xRange: xData, yAxis: { Axis.linear(yData, maxTicks: $0) },
            glyphs: glyphs, dotsPerColumn: dpc, dotsPerRow: dpr)
        let plot = frame.plot
        guard !plot.isEmpty else { return }

        // The band, cell by cell: a cell is in the band when its centre lies between p15 and p85,
        // interpolated at the column's step.
        var background = [Character?](repeating: nil, count: plot.width * plot.height)
        var k = 0
        for column in 0..<plot.width where good.count > 0 {
            let step = frame.x.range.lower + (Double(column) + 0.5) / Double(plot.width) * frame.x.range.span
            while k + 1 < good.count && good[k + 1].step <= step { k += 1 }
            let a = good[k], b = good[min(k + 1, good.count - 1)]
            guard step >= good[0].step, step <= good[good.count - 1].step || good.count == 1 else { continue }
            let t = b.step > a.step ? min(max((step - a.step) / (b.step - a.step), 0), 1) : 0
            let lo = a.p15 + (b.p15 - a.p15) * t, hi = a.p85 + (b.p85 - a.p85) * t
            for row in 0..<plot.height {
                let value = frame.y.range.lower + (1 - (Double(row) + 0.5) / Double(plot.height)) * frame.y.range.span
                if value >= min(lo, hi) && value <= max(lo, hi) { background[row * plot.width + column] = glyphs.bandFill }
            }
        }

        var canvas = Canvas(columns: plot.width, rows: plot.height, braille: glyphs.usesBraille)
        // Outer lines dotted (series 1), median solid and drawn last so it wins shared cells (series 0).
        for (series, value, dash) in [(1, \PercentilePoint.p15, dashPatterns[2]), (1, \PercentilePoint.p85, dashPatterns[2]), (0, \PercentilePoint.p50, dashPatterns[0])] {
            var phase = 0
            var previous: (Double, Double)?
            for p in points {
                guard Self.finite(p) else { previous = nil; phase = 0; continue }
                let x = canvas.dotX(frame.x.range.fraction(p.step)), y = canvas.dotY(frame.y.range.fraction(p[keyPath: value]))
                let (px, py) = previous ?? (x, y)
                canvas.line(px, py, x, y, series: series, dash: glyphs.usesBraille ? dash : 0xFF, phase: &phase)
                previous = (x, y)
            }
            if glyphs.usesBraille, let (x, y) = previous { canvas.mark(x: x, y: y, series: series) }
        }
        canvas.draw(
            into: &grid, plot: plot, clip: rect, glyphs: glyphs, styles: [style, Style(foreground: style.foreground, dim: true)],
            markerGlyphs: [glyphs.marker(0), glyphs.marker(1)], background: background, backgroundStyle: Style(foreground: style.foreground, dim: true))
        if let row = frame.axisRow {
            for p in points where !Self.finite(p) && p.step.isFinite {
                grid.put(glyphs.gap, x: frame.column(forX: p.step, dotsPerColumn: dpc), y: row, style: Style(bold: true), clip: rect)
            }
        }
    }
}
