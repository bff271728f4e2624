// A grid of character cells: the surface every renderer draws into.
//
// The live screen and `--headless` print the same grids, so one test of a grid covers both.
// Nothing here touches a terminal.

/// A rectangle of cells: `x`, `y` is the top-left corner.
public struct Rect: Hashable, Sendable {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    // NOTE: saturating, so a rectangle near Int.max cannot trap in `contains` or `intersection`.
    public var maxX: Int { let (sum, overflow) = x.addingReportingOverflow(width); return overflow ? Int.max : sum }
    public var maxY: Int { let (sum, overflow) = y.addingReportingOverflow(height); return overflow ? Int.max : sum }
    public var isEmpty: Bool { width <= 0 || height <= 0 }

    public func contains(x px: Int, y py: Int) -> Bool {
        px >= x && px < maxX && py >= y && py < maxY
    }

    /// The part of this rectangle that also lies in `other`.
    public func intersection(_ other: Rect) -> Rect {
        let x0 = Swift.max(x, other.x), y0 = Swift.max(y, other.y)
        let x1 = Swift.min(maxX, other.maxX), y1 = Swift.min(maxY, other.maxY)
        guard x1 > x0, y1 > y0 else { return Rect(x: x0, y: y0, width: 0, height: 0) }
        return Rect(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
    }

    /// This rectangle shrunk by `by` cells on every side.
    public func inset(by d: Int) -> Rect {
        Rect(x: x + d, y: y + d, width: width - 2 * d, height: height - 2 * d)
    }
}

/// One of the eight basic terminal colors. Color is style only: meaning never depends on it.
public enum Color: UInt8, Hashable, Sendable, CaseIterable {
    case black, red, green, yellow, blue, magenta, cyan, white
}

/// How a cell is drawn.
public struct Style: Hashable, Sendable {
    public var foreground: Color?
    public var bold: Bool
    public var dim: Bool
    public var reverse: Bool

    public init(foreground: Color? = nil, bold: Bool = false, dim: Bool = false, reverse: Bool = false) {
        self.foreground = foreground
        self.bold = bold
        self.dim = dim
        self.reverse = reverse
    }

    public static let plain = Style()
}

/// One character cell. Every character the renderers use is one column wide.
public struct Cell: Hashable, Sendable {
    public var character: Character
    public var style: Style

    public init(_ character: Character = " ", style: Style = .plain) {
        self.character = character
        self.style = style
    }

    public static let blank = Cell()
}

/// A width × height field of cells, row-major.
public struct Grid: Hashable, Sendable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    /// The whole grid as a rectangle.
    public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    /// The cell at (x, y); reads outside the grid return a blank.
    public subscript(x: Int, y: Int) -> Cell {
        get { bounds.contains(x: x, y: y) ? cells[y * width + x] : .blank }
        set { if bounds.contains(x: x, y: y) { cells[y * width + x] = newValue } }
    }

    /// Writes `character` at (x, y) if that cell lies inside `clip` (and the grid).
    public mutating func put(_ character: Character, x: Int, y: Int, style: Style = .plain, clip: Rect? = nil) {
        if let clip, !clip.contains(x: x, y: y) { return }
        self[x, y] = Cell(character, style: style)
    }

    /// Writes `text` left to right from (x, y), cut at the edge of `clip` (and the grid).
    /// Returns the column after the last character written.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: Style = .plain, clip: Rect? = nil) -> Int {
        var column = x
        for character in text {
            put(character, x: column, y: y, style: style, clip: clip)
            column += 1
        }
        return column
    }

    /// Copies `other` cell by cell with its top-left corner at (x, y), where the cell lies inside `clip`
    /// (and the grid): how a renderer's grid takes its place on a screen.
    public mutating func draw(_ other: Grid, x: Int, y: Int, clip: Rect? = nil) {
        let target = (clip.map { $0.intersection(bounds) } ?? bounds)
            .intersection(Rect(x: x, y: y, width: other.width, height: other.height))
        guard !target.isEmpty else { return }
        for row in target.y..<target.maxY {
            for column in target.x..<target.maxX { cells[row * width + column] = other[column - x, row - y] }
        }
    }

    /// Fills `rect` (clipped to the grid) with `cell`.
    public mutating func fill(_ rect: Rect, with cell: Cell = .blank) {
        let r = rect.intersection(bounds)
        guard !r.isEmpty else { return }
        for y in r.y..<r.maxY {
            for x in r.x..<r.maxX { cells[y * width + x] = cell }
        }
    }

    /// The grid's rows as text, trailing spaces kept: what a snapshot test compares.
    public var lines: [String] {
        (0..<height).map { y in String(cells[(y * width)..<((y + 1) * width)].map(\.character)) }
    }

    /// The grid as printable text, trailing spaces trimmed from each row.
    public var text: String {
        lines.map { line in
            var s = Substring(line)
            while s.last == " " { s = s.dropLast() }
            return String(s)
        }.joined(separator: "\n")
    }
}
