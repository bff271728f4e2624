// TeX-style math to Unicode text: the subset lessons use, rendered where Unicode has the symbol.
//
// \mu → μ, \sigma^2 → σ², \hat{x} → x̂, \sqrt{a} → √a, \frac{a}{b} → a/b, x_i → xᵢ, \sum → Σ.
// Deliberately left out: layout (stacked fractions, big operators with limits above and below);
// sub/superscripts Unicode lacks fall back to _(…) and ^(…).

public enum MathText {
    static let symbols: [String: String] = [
        "mu": "μ", "sigma": "σ", "Sigma": "Σ", "sum": "Σ", "gamma": "γ", "Gamma": "Γ", "beta": "β", "alpha": "α",
        "epsilon": "ε", "varepsilon": "ε", "theta": "θ", "lambda": "λ", "eta": "η", "delta": "δ", "Delta": "Δ",
        "pi": "π", "prod": "Π", "partial": "∂", "nabla": "∇", "infty": "∞", "ell": "ℓ", "rho": "ρ", "tau": "τ",
        "cdot": "·", "times": "×", "pm": "±", "approx": "≈", "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥", "ne": "≠",
        "neq": "≠", "to": "→", "rightarrow": "→", "leftarrow": "←", "in": "∈", "ldots": "…", "cdots": "⋯", "dots": "…",
        "sim": "∼", "propto": "∝", "mid": "|", "quad": "  ", "qquad": "    ", ",": " ", ";": " ", ":": " ", "!": "",
        "left": "", "right": "", "{": "{", "}": "}", "%": "%", "log": "log", "exp": "exp", "max": "max", "min": "min",
        "E": "E", "Var": "Var",
    ]
    static let superscripts: [Character: Character] = [
        "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹",
        "+": "⁺", "-": "⁻", "−": "⁻", "=": "⁼", "(": "⁽", ")": "⁾", "n": "ⁿ", "i": "ⁱ", "T": "ᵀ", "t": "ᵗ", "k": "ᵏ", "m": "ᵐ",
    ]
    static let subscripts: [Character: Character] = [
        "0": "₀", "1": "₁", "2": "₂", "3": "₃", "4": "₄", "5": "₅", "6": "₆", "7": "₇", "8": "₈", "9": "₉",
        "+": "₊", "-": "₋", "−": "₋", "=": "₌", "(": "₍", ")": "₎", "a": "ₐ", "e": "ₑ", "o": "ₒ", "x": "ₓ", "h": "ₕ",
        "k": "ₖ", "l": "ₗ", "m": "ₘ", "n": "ₙ", "p": "ₚ", "s": "ₛ", "t": "ₜ", "i": "ᵢ", "j": "ⱼ", "r": "ᵣ", "u": "ᵤ", "v": "ᵥ",
        "β": "ᵦ", "γ": "ᵧ",
    ]

    /// Renders TeX-style `source` as Unicode text.
    public static func render(_ source: String) -> String {
        var parser = Reader(chars: Array(source))
        return parser.sequence(until: nil)
    }

    private struct Reader {
        let chars: [Character]
        var i = 0

        mutating func sequence(until closing: Character?) -> String {
            var out = ""
            while i < chars.count {
                let c = chars[i]
                if let closing, c == closing { i += 1; return out }
                out += atom()
            }
            return out
        }

        /// One unit: a command, a group, a script, or a character.
        mutating func atom() -> String {
            let c = chars[i]
            i += 1
            switch c {
            case "\\": return command()
            case "{": return sequence(until: "}")
            case "^": return script(MathText.superscripts, fallback: "^")
            case "_": return script(MathText.subscripts, fallback: "_")
            case "-": return "−"
            default: return String(c)
            }
        }

        /// A braced or single-atom argument.
        mutating func argument() -> String {
            while i < chars.count, chars[i] == " " { i += 1 }
            guard i < chars.count else { return "" }
            return atom()
        }

        mutating func command() -> String {
            guard i < chars.count else { return "\\" }
            var name = ""
            if chars[i].isLetter {
                while i < chars.count, chars[i].isLetter { name.append(chars[i]); i += 1 }
            } else {
                name = String(chars[i])
                i += 1
            }
            switch name {
            case "hat": return combining(argument(), "\u{0302}")
            case "bar", "overline": return combining(argument(), "\u{0304}")
            case "tilde": return combining(argument(), "\u{0303}")
            case "sqrt":
                let inner = argument()
                return inner.count == 1 ? "√" + inner : "√(" + inner + ")"
            case "frac":
                let a = argument(), b = argument()
                return grouped(a) + "/" + grouped(b)
            case "text", "mathrm", "mathbf", "mathit", "operatorname", "mathcal", "mathbb":
                return argument()
            default:
                return MathText.symbols[name] ?? name
            }
        }

        mutating func script(_ table: [Character: Character], fallback: String) -> String {
            let inner = argument()
            if !inner.isEmpty, inner.allSatisfy({ table[$0] != nil }) { return String(inner.compactMap { table[$0] }) }
            return inner.count == 1 ? fallback + inner : fallback + "(" + inner + ")"
        }

        func combining(_ base: String, _ mark: Character) -> String {
            base.count == 1 ? base + String(mark) : "(" + base + ")" + String(mark)
        }

        func grouped(_ s: String) -> String {
            let simple = s.allSatisfy { !" +−-·×=/".contains($0) }
            return simple ? s : "(" + s + ")"
        }
    }
}
