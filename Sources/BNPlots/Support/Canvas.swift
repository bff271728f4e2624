// A drawing surface at sub-cell resolution for line charts: braille dots (2 × 4 per cell) in Unicode
// mode, one marker per cell in ASCII mode. Series are drawn into flat byte buffers, then copied to
// the grid once, so drawing 2,000-point series builds no Strings.
//
// Dot coordinates: x grows right, y grows DOWN, both from 0 at the plot's top-left dot.

struct Canvas {
    let columns: Int
    let rows: Int
    let dotsPerColumn: Int
    let dotsPerRow: Int
    /// Braille bits per cell (Unicode mode).
    private(set) var bits: [UInt8]
    /// 1 + index of the last series that drew in a cell, 0 when empty.
    private(set) var owner: [UInt8]
    /// 1 + index of a series whose marker sits in the cell (end points), 0 when none.
    private(set) var markers: [UInt8]

    init(columns: Int, rows: Int, braille: Bool) {
        self.columns = max(columns, 0)
        self.rows = max(rows, 0)
        dotsPerColumn = braille ? 2 : 1
        dotsPerRow = braille ? 4 : 1
        let n = self.columns * self.rows
        bits = [UInt8](repeating: 0, count: n)
        owner = [UInt8](repeating: 0, count: n)
        markers = [UInt8](repeating: 0, count: n)
    }

    var widthInDots: Int { columns * dotsPerColumn }
    var heightInDots: Int { rows * dotsPerRow }

    /// The dot x for fraction `f` of the x range (0 = left edge, 1 = right edge), unclamped.
    @inline(__always)
    func dotX(_ f: Double) -> Double { f * Double(widthInDots - 1) }

    /// The dot y for fraction `f` of the y range (0 = bottom, 1 = top), unclamped.
    @inline(__always)
    func dotY(_ f: Double) -> Double { (1 - f) * Double(heightInDots - 1) }

    /// Sets the dot at (`x`, `y`) for `series`; dots outside the canvas are ignored.
    @inline(__always)
    mutating func set(x: Int, y: Int, series: Int) {
        guard x >= 0, y >= 0, x < widthInDots, y < heightInDots else { return }
        let cell = (y / dotsPerRow) * columns + x / dotsPerColumn
        if dotsPerRow > 1 { bits[cell] |= Braille.bit(column: x % dotsPerColumn, row: y % dotsPerRow) }
        owner[cell] = UInt8(truncatingIfNeeded: series + 1)
    }

    /// Puts `series`' marker in the cell holding dot (`x`, `y`), if on the canvas.
    mutating func mark(x: Double, y: Double, series: Int) {
        let cx = clampedInt(x, -1, widthInDots), cy = clampedInt(y, -1, heightInDots)
        guard cx >= 0, cy >= 0, cx < widthInDots, cy < heightInDots else { return }
        let cell = (cy / dotsPerRow) * columns + cx / dotsPerColumn
        markers[cell] = UInt8(truncatingIfNeeded: series + 1)
        owner[cell] = UInt8(truncatingIfNeeded: series + 1)
    }

    /// Draws a straight line between two dot positions, clipped to the canvas first (so 1e30 is safe).
    /// `dash` is an 8-step on/off pattern (bit i on = draw the i-th dot); `phase` carries it across segments.
    mutating func line(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double, series: Int, dash: UInt8, phase: inout Int) {
        guard x0.isFinite, y0.isFinite, x1.isFinite, y1.isFinite, widthInDots > 0, heightInDots > 0 else { return }
        // Liang–Barsky clipping to the canvas box, half a dot outside each edge.
        let (minX, maxX) = (-0.5, Double(widthInDots) - 0.5)
        let (minY, maxY) = (-0.5, Double(heightInDots) - 0.5)
        let dx = x1 - x0, dy = y1 - y0
        var t0 = 0.0, t1 = 1.0
        func keeps(_ p: Double, _ q: Double) -> Bool {
            if p == 0 { return q >= 0 }
            let r = q / p
            if p < 0 {
                if r > t1 { return false }
                if r > t0 { t0 = r }
            } else {
                if r < t0 { return false }
                if r < t1 { t1 = r }
            }
            return true
        }
        guard keeps(-dx, x0 - minX), keeps(dx, maxX - x0), keeps(-dy, y0 - minY), keeps(dy, maxY - y0) else { return }
        let ax = x0 + t0 * dx, ay = y0 + t0 * dy
        let bx = x0 + t1 * dx, by = y0 + t1 * dy
        let steps = clampedInt(max(abs(bx - ax), abs(by - ay)).rounded(.up), 0, widthInDots + heightInDots)
        if steps == 0 {
            drawDot(ax, ay, series: series, dash: dash, phase: &phase)
            return
        }
        let sx = (bx - ax) / Double(steps), sy = (by - ay) / Double(steps)
        // The first dot of a segment is the last of the one before: skip it unless this is a start.
        for i in (phase == 0 ? 0 : 1)...steps {
            drawDot(ax + sx * Double(i), ay + sy * Double(i), series: series, dash: dash, phase: &phase)
        }
    }

    @inline(__always)
    private mutating func drawDot(_ x: Double, _ y: Double, series: Int, dash: UInt8, phase: inout Int) {
        if dash & (1 << UInt8(phase & 7)) != 0 {
            set(x: clampedInt(x, -1, widthInDots), y: clampedInt(y, -1, heightInDots), series: series)
        }
        phase += 1
    }

    /// Copies the canvas into `plot` of `grid`: markers over dots over `background` (by cell index).
    func draw(
        into grid: inout Grid, plot: Rect, clip: Rect, glyphs: GlyphSet, styles: [Style],
        markerGlyphs: [Character], background: [Character?] = [], backgroundStyle: Style = .plain
    ) {
        let visible = plot.intersection(clip).intersection(grid.bounds)
        guard !visible.isEmpty, columns > 0 else { return }
        for y in visible.y..<visible.maxY {
            let row = y - plot.y
            guard row < rows else { break }
            for x in visible.x..<visible.maxX {
                let column = x - plot.x
                guard column < columns else { break }
                let cell = row * columns + column
                let who = Int(owner[cell])
                if markers[cell] != 0 {
                    let m = Int(markers[cell]) - 1
                    grid[x, y] = Cell(markerGlyphs.isEmpty ? "*" : markerGlyphs[m % markerGlyphs.count], style: style(styles, m))
                } else if who != 0 {
                    let character = dotsPerRow > 1
                        ? Braille.characters[Int(bits[cell])]
                        : (markerGlyphs.isEmpty ? "*" : markerGlyphs[(who - 1) % markerGlyphs.count])
                    grid[x, y] = Cell(character, style: style(styles, who - 1))
                } else if cell < background.count, let b = background[cell] {
                    grid[x, y] = Cell(b, style: backgroundStyle)
                }
            }
        }
    }

    private func style(_ styles: [Style], _ i: Int) -> Style { styles.isEmpty ? .plain : styles[i % styles.count] }
}
