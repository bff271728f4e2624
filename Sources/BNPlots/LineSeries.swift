// A named series of (step, value) points: what line charts and legends take.

/// One point of a series: `x` is usually the training step.
public struct DataPoint: Hashable, Sendable {
    public var x: Double
    public var y: Double

    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }
}

/// A named line of points, drawn in order of `points`.
public struct LineSeries: Hashable, Sendable {
    public var name: String
    public var points: [DataPoint]
    public var style: Style
    /// Optional spread around the line (e.g. min–max over seeds), one range per point of `points`, drawn
    /// in braille as a light vertical hatch at each point's x. Empty (the default): no band.
    public var band: [ValueRange] = []

    /// A series named `name`.
    public init(name: String, points: [DataPoint], style: Style = .plain) {
        self.name = name
        self.points = points
        self.style = style
    }

    /// A series of `values` at steps `0, 1, 2, …` (or `firstStep`, `firstStep + stride`, …).
    public init(name: String, values: [Double], firstStep: Double = 0, stride: Double = 1, style: Style = .plain) {
        self.init(
            name: name, points: values.enumerated().map { DataPoint(x: firstStep + Double($0.offset) * stride, y: $0.element) },
            style: style)
    }
}

/// On/off dot patterns so braille series differ by more than color: solid, dashed, dotted, dash-dot.
let dashPatterns: [UInt8] = [0b1111_1111, 0b0011_1111, 0b0101_0101, 0b0111_0111, 0b0000_1111]
