// How a grid `Cell` becomes an ncurses wide character: attributes, color pair and glyph.
// It leaves out 256 colors and backgrounds: `Style` has neither, and color is never meaning.

import BNPlots
import CNcursesw

/// The color pairs bnlab uses: pair n + 1 draws `Color(rawValue: n)` on the default background.
enum CursesColors {
    /// Sets up one pair per basic color. Returns false when colors are off: the terminal has
    /// none, or `NO_COLOR` is set (to anything, even empty: https://no-color.org).
    static func start() -> Bool {
        guard getenv("NO_COLOR") == nil, has_colors() else { return false }
        guard start_color() == OK else { return false }
        // Keep the user's background; terminals without default colors get black.
        let background: Int16 = use_default_colors() == OK ? -1 : Int16(COLOR_BLACK)
        for color in Color.allCases {
            // Color's raw values follow curses' COLOR_BLACK ... COLOR_WHITE (0 ... 7).
            init_pair(pair(for: color), Int16(color.rawValue), background)
        }
        return true
    }

    static func pair(for color: Color) -> Int16 {
        Int16(color.rawValue) + 1
    }
}

extension Style {
    /// The ncurses attributes for this style; bold, dim and reverse work without colors too.
    var cursesAttributes: attr_t {
        bnlab_attributes(bold, dim, reverse)
    }
}

extension Cell {
    /// This cell as a `cchar_t`. With `unicode` off, anything outside ASCII becomes "?", so a
    /// glyph the renderer forgot to degrade cannot garble a non-UTF-8 terminal.
    func cursesCharacter(unicode: Bool, colors: Bool) -> cchar_t {
        // A Character may be several scalars (a base and combining marks); curses takes up to
        // CCHARW_MAX of them, terminated by 0.
        var wide: [wchar_t] = []
        for scalar in character.unicodeScalars.prefix(Int(CCHARW_MAX) - 1) {
            if !unicode && !scalar.isASCII {
                wide = [wchar_t(UInt8(ascii: "?"))]
                break
            }
            // Control characters (C0, DEL, C1, bidi overrides) would act on the terminal: a tab is a
            // space, the others a visible stand-in one cell wide (␛ for ESC, ? in ASCII).
            if scalar.value == 9 { wide.append(32); continue }
            if VisibleText.needsEscape(scalar, keepNewlines: false) {
                let v = scalar.value
                wide = [wchar_t(bitPattern: !unicode ? 0x3F : v < 0x20 ? 0x2400 + v : v == 0x7F ? 0x2421 : 0xFFFD)]
                break
            }
            wide.append(wchar_t(bitPattern: scalar.value))
        }
        if wide.isEmpty { wide = [32] }
        wide.append(0)
        let pair = colors ? style.foreground.map(CursesColors.pair(for:)) ?? 0 : 0
        var result = cchar_t()
        setcchar(&result, wide, style.cursesAttributes, pair, nil)
        return result
    }
}
