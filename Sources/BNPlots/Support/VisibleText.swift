// Text that came from outside (a lesson file, a reference file, an argument) made safe to print:
// every control character is shown as a visible stand-in instead of reaching the terminal, where
// ESC, BEL, BS, CR and the C1 controls could move the cursor, retitle the window, clear the screen
// or write the clipboard (OSC 52). The one sanitizer for every output boundary: headless text,
// error messages, `verify` output and the app's grid.
//
// Kept: newline (with `keepNewlines`) and tab. Everything else below U+0020, DEL (U+007F), the C1
// range U+0080–U+009F and the bidirectional overrides (which reorder what follows) are replaced.

public enum VisibleText {
    /// `text` with each control character replaced: Unicode control pictures (␛ for ESC, ␇ for BEL,
    /// ␡ for DEL), or with `ascii` C-style escapes (`\e`, `\a`, `\x7f`); C1 controls and bidi
    /// overrides are always written as escapes (`\x9b`, `\u{202e}`), which have no picture.
    public static func sanitize(_ text: String, ascii: Bool = false, keepNewlines: Bool = true) -> String {
        guard text.unicodeScalars.contains(where: { needsEscape($0, keepNewlines: keepNewlines) }) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            guard needsEscape(scalar, keepNewlines: keepNewlines) else { out.append(scalar); continue }
            out.append(contentsOf: visible(scalar, ascii: ascii).unicodeScalars)
        }
        return String(out)
    }

    /// Whether `scalar` would act on the terminal instead of being shown.
    public static func needsEscape(_ scalar: Unicode.Scalar, keepNewlines: Bool = true) -> Bool {
        switch scalar.value {
        case 0x0A: return !keepNewlines
        case 0x09: return false
        case 0x00...0x1F, 0x7F...0x9F: return true
        case 0x202A...0x202E, 0x2066...0x2069: return true  // bidi embeddings, overrides and isolates
        default: return false
        }
    }

    /// The stand-in for one control character.
    static func visible(_ scalar: Unicode.Scalar, ascii: Bool) -> String {
        let v = scalar.value
        if ascii || v > 0x7F {
            switch v {
            case 0x1B: return "\\e"
            case 0x07: return "\\a"
            case 0x08: return "\\b"
            case 0x0D: return "\\r"
            case 0x0A: return "\\n"
            case 0x0C: return "\\f"
            case 0x0B: return "\\v"
            case 0x00: return "\\0"
            default:
                let hex = String(v, radix: 16)
                return v > 0xFF ? "\\u{\(hex)}" : "\\x" + (hex.count < 2 ? "0" + hex : hex)
            }
        }
        // U+2400 + code for C0 (␀…␟), ␡ for DEL.
        let picture = v == 0x7F ? 0x2421 : 0x2400 + v
        return String(Unicode.Scalar(picture).map(Character.init) ?? "?")
    }
}
