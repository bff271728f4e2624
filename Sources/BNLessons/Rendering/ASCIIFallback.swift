// ASCII stand-ins for the Unicode that prose and rendered math use (`--ascii`, a non-UTF-8 locale).
//
// μ → mu, ÷ → /, x̂ → x^, σ² → sigma^2, a run of scripts keeps one marker: 10⁻⁴ → 10^-4, Σᵢ₌₁ᵐ → Sum_i=1^m.
// Deliberately left out: box drawing and plot glyphs (BNPlots' GlyphSet has its own ASCII set). A
// character with no spelling here prints `?`; ASCIIFallbackTests keeps every shipped lesson and every
// symbol MathText can produce free of that.

import Foundation

public enum ASCIIFallback {
    static let table: [Character: String] = [
        "μ": "mu", "σ": "sigma", "Σ": "Sum", "γ": "gamma", "Γ": "Gamma", "β": "beta", "ε": "eps", "α": "alpha",
        "θ": "theta", "λ": "lambda", "η": "eta", "δ": "delta", "Δ": "Delta", "π": "pi", "Π": "Prod", "ρ": "rho",
        "τ": "tau", "ℓ": "l", "∂": "d", "∇": "grad ", "∞": "inf", "√": "sqrt",
        "·": "*", "×": "x", "÷": "/", "±": "+/-", "≈": "~", "∼": "~", "∝": "~", "≤": "<=", "≥": ">=", "≠": "!=",
        "→": "->", "←": "<-", "∈": "in", "‖": "||", "§": "section ",
        "−": "-", "…": "...", "⋯": "...", "•": "*", "═": "=", "─": "-", "✓": "[ok]", "✗": "[FAIL]",
        "‘": "'", "’": "'", "“": "\"", "”": "\"", "—": "--", "–": "-",
    ]

    /// Combining marks MathText puts on a base (\hat, \tilde, \bar), spelled after the base.
    static let marks: [Unicode.Scalar: String] = ["\u{0302}": "^", "\u{0303}": "~", "\u{0304}": "bar"]

    /// Super- and subscripts, the inverse of MathText's tables (σ² → σ then ^2).
    static let superscripts = inverse(MathText.superscripts)
    static let subscripts = inverse(MathText.subscripts)

    /// A spelled word (γ as gamma, × as x) keeps a space from a letter beside it, so that γx̂ reads
    /// "gamma x^" and m×n "m x n", not "gammax^" and "mxn".
    public static func convert(_ s: String) -> String {
        var out = ""
        var openScript: Character?  // "^" or "_" while a run of scripts continues
        var afterWord = false  // the last thing written was a spelled word
        for c in s {
            if let (marker, raised) = script(c) {
                if openScript != marker { out.append(marker) }
                out += raised
                openScript = marker
                afterWord = false
                continue
            }
            openScript = nil
            let spelled = spelling(c) ?? "?"
            let isWord = !c.isASCII && spelled.allSatisfy(\.isLetter) && (spelled.count > 1 || c == "×")
            if let first = spelled.first, first.isLetter, afterWord || (isWord && out.last?.isLetter == true) { out.append(" ") }
            out += spelled
            afterWord = isWord
        }
        return out
    }

    /// The ASCII spelling of one character outside a script run, or nil when it has none.
    static func spelling(_ c: Character) -> String? {
        if c.isASCII { return String(c) }
        if let replacement = table[c] { return replacement }
        if let (marker, raised) = script(c) { return String(marker) + raised }
        // A base with one combining mark (x̂, μ̂, z̄), precomposed or not.
        let scalars = Array(String(c).decomposedStringWithCanonicalMapping.unicodeScalars)
        if scalars.count == 2, let mark = marks[scalars[1]], let base = spelling(Character(scalars[0])) {
            return base + mark
        }
        return nil
    }

    private static func script(_ c: Character) -> (Character, String)? {
        if let s = superscripts[c] { return ("^", s) }
        if let s = subscripts[c] { return ("_", s) }
        return nil
    }

    /// Script character → ASCII spelling of what it raises or lowers; of two sources (- and −) the ASCII one wins.
    private static func inverse(_ scripts: [Character: Character]) -> [Character: String] {
        var out: [Character: String] = [:]
        for (plain, script) in scripts where out[script] == nil || plain.isASCII {
            out[script] = plain.isASCII ? String(plain) : table[plain] ?? "?"
        }
        return out
    }
}
