// Splits a claim line into tokens, each with its column, for the claim parser.

/// One token of a claim.
struct ClaimToken: Equatable {
    enum Kind: Equatable {
        case number(Double)
        case word(String)
        case symbol(String)
        case end
    }
    var kind: Kind
    var column: Int

    var text: String {
        switch kind {
        case .number(let v): return formatNumber(v)
        case .word(let w): return w
        case .symbol(let s): return s
        case .end: return "end of line"
        }
    }
}

enum ClaimTokenizer {
    /// Tokens of `line`; `line` sits at `location` (its first character's column).
    static func tokenize(_ line: String, at location: SourceLocation) throws(LessonError) -> [ClaimToken] {
        let chars = Array(line)
        var tokens: [ClaimToken] = []
        var i = 0
        func column(_ index: Int) -> Int { location.column + index }
        while i < chars.count {
            let c = chars[i]
            if c == " " || c == "\t" { i += 1; continue }
            let start = i
            if c.isNumber || (c == "." && i + 1 < chars.count && chars[i + 1].isNumber) {
                // `0..15` is two numbers and a range: a "." followed by another "." ends the number.
                while i < chars.count, chars[i].isNumber || chars[i] == "_" || (chars[i] == "." && (i + 1 == chars.count || chars[i + 1] != ".")) {
                    i += 1
                }
                // An exponent: e or E, optional sign, digits.
                if i < chars.count, chars[i] == "e" || chars[i] == "E" {
                    var j = i + 1
                    if j < chars.count, chars[j] == "+" || chars[j] == "-" { j += 1 }
                    if j < chars.count, chars[j].isNumber {
                        i = j
                        while i < chars.count, chars[i].isNumber { i += 1 }
                    }
                }
                let text = String(chars[start..<i]).replacingOccurrences(of: "_", with: "")
                guard var value = Double(text) else {
                    throw LessonError(SourceLocation(line: location.line, column: column(start)), "'\(text)' is not a number")
                }
                if i < chars.count, chars[i] == "%" { value /= 100; i += 1 }
                tokens.append(ClaimToken(kind: .number(value), column: column(start)))
            } else if c.isLetter || c == "_" {
                while i < chars.count, chars[i].isLetter || chars[i].isNumber || chars[i] == "_" { i += 1 }
                tokens.append(ClaimToken(kind: .word(String(chars[start..<i])), column: column(start)))
            } else {
                let two = i + 1 < chars.count ? String(chars[i...(i + 1)]) : ""
                let three = i + 2 < chars.count ? String(chars[i...(i + 2)]) : ""
                let symbol: String
                if three == "+/-" { symbol = "±"; i += 3 }
                else if ["<=", ">=", "==", "!=", ".."].contains(two) { symbol = two; i += 2 }
                else if "<>+-*/()±≤≥≠:…".contains(c) {
                    symbol = ["≤": "<=", "≥": ">=", "≠": "!=", "…": ".."][String(c)] ?? String(c)
                    i += 1
                } else {
                    throw LessonError(SourceLocation(line: location.line, column: column(start)),
                                      "unexpected character '\(c)' in a claim",
                                      hint: "claims use names, numbers, + - * / ( ), comparisons, ± and ranges like 0..15")
                }
                tokens.append(ClaimToken(kind: .symbol(symbol), column: column(start)))
            }
        }
        tokens.append(ClaimToken(kind: .end, column: column(chars.count)))
        return tokens
    }
}
