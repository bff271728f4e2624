// The characters the renderers draw with: one Unicode set and one 7-bit ASCII set.
//
// Every glyph is one terminal column wide. Renderers never hard-code a drawing character; they ask
// the glyph set, so the ASCII output is the Unicode output with a different alphabet. Leaves out
// double-width glyphs (emoji, CJK) on purpose.

/// The alphabet a renderer draws with.
public struct GlyphSet: Hashable, Sendable {
    /// Whether line charts draw with braille dots (2 × 4 per cell) instead of one marker per cell.
    public var usesBraille: Bool
    /// Vertical bar tops by eighths filled: index 0 is empty, index 8 is a full cell (9 entries).
    public var verticalBlocks: [Character]
    /// Horizontal bar ends by eighths filled: index 0 is empty, index 8 is a full cell (9 entries).
    public var horizontalBlocks: [Character]
    /// A shade ramp from empty to full, used by heatmaps.
    public var shades: [Character]
    /// One marker per series, so series differ by glyph and not only by color.
    public var seriesMarkers: [Character]
    /// Axis line drawing: horizontal line, vertical line, the corner between them.
    public var horizontalLine: Character
    public var verticalLine: Character
    public var corner: Character
    /// A tick on the x axis (below the plot) and on the y axis (left of the plot).
    public var xTick: Character
    public var yTick: Character
    /// Marks counts that fall left and right of a histogram's range, as in `◂12` and `12▸`.
    public var clippedLeft: Character
    public var clippedRight: Character
    /// Marks a gap where the data held NaN or ±Inf.
    public var gap: Character
    /// Fills the band between two percentile lines.
    public var bandFill: Character
    /// Short names for mean and standard deviation in captions.
    public var mean: String
    public var std: String
    /// Separates a table's header from its rows.
    public var rule: Character

    public init(
        usesBraille: Bool, verticalBlocks: [Character], horizontalBlocks: [Character], shades: [Character],
        seriesMarkers: [Character], horizontalLine: Character, verticalLine: Character, corner: Character,
        xTick: Character, yTick: Character, clippedLeft: Character, clippedRight: Character, gap: Character,
        bandFill: Character, mean: String, std: String, rule: Character
    ) {
        self.usesBraille = usesBraille
        self.verticalBlocks = verticalBlocks
        self.horizontalBlocks = horizontalBlocks
        self.shades = shades
        self.seriesMarkers = seriesMarkers
        self.horizontalLine = horizontalLine
        self.verticalLine = verticalLine
        self.corner = corner
        self.xTick = xTick
        self.yTick = yTick
        self.clippedLeft = clippedLeft
        self.clippedRight = clippedRight
        self.gap = gap
        self.bandFill = bandFill
        self.mean = mean
        self.std = std
        self.rule = rule
    }

    /// Eighth blocks, braille, shades and box drawing.
    public static let unicode = GlyphSet(
        usesBraille: true,
        verticalBlocks: Array(" ▁▂▃▄▅▆▇█"),
        horizontalBlocks: Array(" ▏▎▍▌▋▊▉█"),
        shades: Array(" ░▒▓█"),
        seriesMarkers: Array("●○◆◇■□"),
        horizontalLine: "─", verticalLine: "│", corner: "└", xTick: "┬", yTick: "┤",
        clippedLeft: "◂", clippedRight: "▸", gap: "×", bandFill: "░",
        mean: "μ", std: "σ", rule: "─"
    )

    /// Printable 7-bit ASCII only: for logs, CI and terminals without Unicode fonts.
    public static let ascii = GlyphSet(
        usesBraille: false,
        verticalBlocks: Array(" ..--==##"),
        horizontalBlocks: Array(" ...--==#"),
        shades: Array(" .:-=+*#%@"),
        seriesMarkers: Array("*o+x#@"),
        horizontalLine: "-", verticalLine: "|", corner: "+", xTick: "+", yTick: "+",
        clippedLeft: "<", clippedRight: ">", gap: "!", bandFill: ".",
        mean: "mean", std: "sd", rule: "-"
    )

    /// The marker for series `index`, cycling when there are more series than markers.
    func marker(_ index: Int) -> Character {
        seriesMarkers.isEmpty ? "*" : seriesMarkers[abs(index) % seriesMarkers.count]
    }

    /// The glyph from `ramp` for `level` clamped to the ramp (a blank for an empty ramp).
    static func pick(_ ramp: [Character], _ level: Int) -> Character {
        ramp.isEmpty ? " " : ramp[min(max(level, 0), ramp.count - 1)]
    }
}
