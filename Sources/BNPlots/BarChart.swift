// Final figures as horizontal bars: one row per label, bar length at eighth-block resolution in
// Unicode (whole `#` cells with a partial end in ASCII), the value printed after the bar.
//
// Bars start at the range's lower end (default 0, or the smallest value if negative). Leaves out
// bars that grow left from a zero line. NaN and ±Inf values show as the gap glyph and `NaN`.

/// One labelled bar.
public struct Bar: Hashable, Sendable {
    public var label: String
    public var value: Double
    public var style: Style
    /// Optional spread of the value (e.g. min–max over seeds): shown after the value, `0.91 (0.9–0.92)`.
    public var spread: ValueRange?

    public init(label: String, value: Double, style: Style = .plain, spread: ValueRange? = nil) {
        self.label = label
        self.value = value
        self.style = style
        self.spread = spread
    }
}

/// A horizontal bar chart, e.g. test accuracy by batch size.
public struct BarChart: Plot {
    public var title: String
    public var bars: [Bar]
    /// The value range the bar area spans; nil spans from min(0, smallest) to the largest value.
    public var range: ValueRange?

    /// A chart of `bars`, optionally over a fixed range (e.g. 0...1 for accuracy).
    public init(title: String = "", bars: [Bar], range: ValueRange? = nil) {
        self.title = title
        self.bars = bars
        self.range = range
    }

    public func render(into grid: inout Grid, in rect: Rect, glyphs: GlyphSet) {
        let rect = rect.drawable(in: grid)
        guard !rect.isEmpty, !rect.intersection(grid.bounds).isEmpty else { return }
        var y = rect.y
        if !title.isEmpty && rect.height > bars.count {
            grid.put(title, x: rect.x, y: y, style: Style(bold: true), clip: rect)
            y += 1
        }
        let data = ValueRange.enclosing(bars.map(\.value)) ?? ValueRange(lower: 0, upper: 1)
        let span = (range ?? ValueRange(lower: min(0, data.lower), upper: data.upper)).normalized
        let dash = glyphs.usesBraille ? "–" : "-"
        let labels = bars.map { bar -> String in
            var text = bar.value.isFinite ? NumberFormat.compact(bar.value) : "NaN"
            if let s = bar.spread {
                text += " (" + [s.lower, s.upper].map { $0.isFinite ? NumberFormat.compact($0) : "NaN" }.joined(separator: dash) + ")"
            }
            return text
        }
        let labelWidth = min(bars.reduce(0) { max($0, $1.label.count) }, rect.width / 3)
        let valueWidth = labels.reduce(0) { max($0, $1.count) }
        let barWidth = max(0, rect.width - labelWidth - valueWidth - 2)
        let levels = glyphs.horizontalBlocks.count - 1
        for (bar, valueLabel) in zip(bars, labels) {
            guard y < rect.maxY else { break }
            grid.put(bar.label, x: rect.x, y: y, style: Style(bold: true), clip: Rect(x: rect.x, y: y, width: labelWidth, height: 1).intersection(rect))
            let x0 = rect.x + labelWidth + 1
            if !bar.value.isFinite {
                grid.put(glyphs.gap, x: x0, y: y, style: Style(bold: true), clip: rect)
            } else if levels > 0 {
                let eighths = clampedInt(span.fraction(bar.value) * Double(barWidth * levels), 0, barWidth * levels)
                for i in 0..<(eighths / levels) { grid.put(glyphs.horizontalBlocks[levels], x: x0 + i, y: y, style: bar.style, clip: rect) }
                if eighths % levels > 0 { grid.put(glyphs.horizontalBlocks[eighths % levels], x: x0 + eighths / levels, y: y, style: bar.style, clip: rect) }
            }
            grid.put(valueLabel, x: x0 + barWidth + 1, y: y, clip: rect)
            y += 1
        }
    }
}
