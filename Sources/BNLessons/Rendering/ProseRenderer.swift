// Markdown prose to styled, wrapped lines: headings, paragraphs, lists, emphasis, inline code,
// preformatted blocks and math. The app draws the lines into a Grid; headless prints their text.
//
// Deliberately left out: tables, links' targets (the text is kept), images, nested lists beyond
// indentation, and HTML.

/// How a span of prose is drawn.
public enum ProseStyle: Sendable, Equatable {
    case plain, strong, emphasis, code, math
    case heading(Int)
}

/// A run of text in one style.
public struct StyledSpan: Sendable, Equatable {
    public var text: String
    public var style: ProseStyle

    public init(_ text: String, _ style: ProseStyle = .plain) {
        self.text = text
        self.style = style
    }
}

/// One output line.
public struct StyledLine: Sendable, Equatable {
    public var spans: [StyledSpan]

    public init(_ spans: [StyledSpan] = []) { self.spans = spans }

    /// The line as plain text.
    public var text: String { spans.map(\.text).joined() }
}

public enum ProseRenderer {
    /// Renders `markdown` into lines at most `width` characters wide (words longer than that are cut).
    /// With `ascii`, the text is transliterated (`ASCIIFallback`: γ → gamma) before it is wrapped, so
    /// the longer spelling still fits the width.
    public static func render(_ markdown: String, width: Int, ascii: Bool = false) -> [StyledLine] {
        var out: [StyledLine] = []
        var paragraph: [String] = []
        var listIndent = 0, listMarker = ""
        func shown(_ spans: [StyledSpan]) -> [StyledSpan] {
            ascii ? spans.map { StyledSpan(ASCIIFallback.convert($0.text), $0.style) } : spans
        }
        func flush() {
            guard !paragraph.isEmpty else { return }
            let spans = shown(inline(paragraph.joined(separator: " ")))
            let marker = ascii ? ASCIIFallback.convert(listMarker) : listMarker
            out += wrap(spans, width: width, firstPrefix: marker, restPrefix: String(repeating: " ", count: listIndent))
            paragraph = []
            listMarker = ""
            listIndent = 0
        }
        func blank() {
            if let last = out.last, !last.spans.isEmpty { out.append(StyledLine()) }
        }
        let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var index = 0
        while index < lines.count {
            let line = lines[index]
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            index += 1
            if CellSplitter.fenceMarker(Substring(line)) != nil {
                // A preformatted block: copied as is, indented by two.
                flush(); blank()
                while index < lines.count, CellSplitter.fenceMarker(Substring(lines[index])) == nil {
                    out.append(StyledLine(shown([StyledSpan("  " + lines[index], .code)])))
                    index += 1
                }
                index += 1
                blank()
                continue
            }
            if trimmed.isEmpty { flush(); blank(); continue }
            if trimmed.hasPrefix("$$") {
                // Display math: everything up to the closing $$, centred-ish with an indent.
                flush(); blank()
                var body = String(trimmed.dropFirst(2))
                while !body.hasSuffix("$$"), index < lines.count { body += " " + lines[index]; index += 1 }
                if body.hasSuffix("$$") { body = String(body.dropLast(2)) }
                let math = shown([StyledSpan(MathText.render(body.trimmingCharacters(in: .whitespaces)), .math)])
                if 4 + StyledLine(math).text.count <= width {
                    out.append(StyledLine([StyledSpan("    ")] + math))
                } else {  // too wide for one line: wrapped at its spaces, the rest indented further
                    out += wrap(math, width: width, firstPrefix: "    ", restPrefix: "      ")
                }
                blank()
                continue
            }
            if let level = headingLevel(trimmed) {
                flush(); blank()
                let text = trimmed.drop { $0 == "#" }.trimmingCharacters(in: .whitespaces)
                let spans = shown(inline(text).map { StyledSpan($0.text, .heading(level)) })
                out.append(StyledLine(spans))
                if level <= 2 {
                    let rule: Character = ascii ? (level == 1 ? "=" : "-") : (level == 1 ? "═" : "─")
                    out.append(StyledLine([StyledSpan(String(repeating: rule, count: min(width, StyledLine(spans).text.count)), .heading(level))]))
                }
                out.append(StyledLine())
                continue
            }
            if let (marker, rest) = listItem(line) {
                flush()
                listMarker = marker
                listIndent = marker.count
                paragraph = [rest]
                continue
            }
            paragraph.append(trimmed)
        }
        flush()
        while let last = out.last, last.spans.isEmpty { out.removeLast() }
        return out
    }

    private static func headingLevel(_ line: String) -> Int? {
        let hashes = line.prefix { $0 == "#" }.count
        guard (1...6).contains(hashes), line.dropFirst(hashes).first == " " else { return nil }
        return hashes
    }

    /// "- item", "* item", "1. item" → (display marker, text).
    private static func listItem(_ line: String) -> (String, String)? {
        let indent = line.prefix { $0 == " " }.count
        let body = line.dropFirst(indent)
        let pad = String(repeating: " ", count: indent)
        if body.hasPrefix("- ") || body.hasPrefix("* ") { return (pad + "• ", String(body.dropFirst(2))) }
        let digits = body.prefix { $0.isNumber }
        if !digits.isEmpty, body.dropFirst(digits.count).hasPrefix(". ") {
            return (pad + digits + ". ", String(body.dropFirst(digits.count + 2)))
        }
        return nil
    }

    /// Inline markup: **strong**, *emphasis* / _emphasis_, `code`, $math$, [text](target).
    static func inline(_ text: String) -> [StyledSpan] {
        let chars = Array(text)
        var spans: [StyledSpan] = []
        var plain = ""
        func emit(_ s: String, _ style: ProseStyle) {
            if !plain.isEmpty { spans.append(StyledSpan(plain)); plain = "" }
            if !s.isEmpty { spans.append(StyledSpan(s, style)) }
        }
        func close(_ delimiter: String, from start: Int) -> Int? {
            let d = Array(delimiter)
            var j = start
            while j + d.count <= chars.count {
                if Array(chars[j..<(j + d.count)]) == d { return j }
                j += 1
            }
            return nil
        }
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "\\", i + 1 < chars.count, "*_`$[]".contains(chars[i + 1]) { plain.append(chars[i + 1]); i += 2; continue }
            if c == "`", let end = close("`", from: i + 1) {
                emit(String(chars[(i + 1)..<end]), .code); i = end + 1; continue
            }
            if c == "$", let end = close("$", from: i + 1), end > i + 1 {
                emit(MathText.render(String(chars[(i + 1)..<end])), .math); i = end + 1; continue
            }
            if c == "*", i + 1 < chars.count, chars[i + 1] == "*", let end = close("**", from: i + 2) {
                emit(String(chars[(i + 2)..<end]), .strong); i = end + 2; continue
            }
            if (c == "*" || c == "_"), i + 1 < chars.count, chars[i + 1] != " ",
               i == 0 || !chars[i - 1].isLetter, let end = close(String(c), from: i + 1) {
                emit(String(chars[(i + 1)..<end]), .emphasis); i = end + 1; continue
            }
            // A citation, "[cite: Ioffe & Szegedy 2015]": the figure before it was quoted, not measured.
            if c == "[", i + 5 < chars.count, String(chars[(i + 1)...(i + 5)]) == "cite:", let end = close("]", from: i + 6) {
                let source = String(chars[(i + 6)..<end]).trimmingCharacters(in: .whitespaces)
                emit("[quoted from \(source)]", .emphasis); i = end + 1; continue
            }
            if c == "[", let mid = close("](", from: i + 1), let end = close(")", from: mid + 2) {
                plain += String(chars[(i + 1)..<mid]); i = end + 1; continue
            }
            plain.append(c)
            i += 1
        }
        emit("", .plain)
        return spans
    }

    /// Greedy word wrap keeping styles; `firstPrefix` starts the first line, `restPrefix` the others.
    /// A short formula (math of at most half a line, `$G = 1$`) is one word: it moves to the next line
    /// whole rather than break after its first symbol. A longer one breaks at its spaces.
    static func wrap(_ spans: [StyledSpan], width: Int, firstPrefix: String = "", restPrefix: String = "") -> [StyledLine] {
        let limit = max(10, width)
        // Words carry their style; a word may be split across spans ("**BN**'s").
        var words: [[StyledSpan]] = [[]]
        for span in spans {
            var piece = ""
            let whole = span.style == .math && span.text.count <= limit / 2
                && span.text.first != " " && span.text.last != " "
            for ch in span.text {
                if ch == " " && !whole {
                    if !piece.isEmpty { words[words.count - 1].append(StyledSpan(piece, span.style)); piece = "" }
                    if !(words.last?.isEmpty ?? true) { words.append([]) }
                } else {
                    piece.append(ch)
                }
            }
            if !piece.isEmpty { words[words.count - 1].append(StyledSpan(piece, span.style)) }
        }
        words.removeAll { $0.isEmpty }
        var lines: [StyledLine] = []
        var current = StyledLine(firstPrefix.isEmpty ? [] : [StyledSpan(firstPrefix)])
        var length = firstPrefix.count
        var hasWord = false
        for word in words {
            let wordLength = word.reduce(0) { $0 + $1.text.count }
            if hasWord && length + 1 + wordLength > limit {
                lines.append(current)
                current = StyledLine(restPrefix.isEmpty ? [] : [StyledSpan(restPrefix)])
                length = restPrefix.count
                hasWord = false
            }
            if hasWord { current.spans.append(StyledSpan(" ")); length += 1 }
            current.spans += word
            length += wordLength
            hasWord = true
        }
        if hasWord { lines.append(current) }
        // Merge neighbouring spans of one style, so tests and grids see clean runs.
        return lines.map { line in
            var merged: [StyledSpan] = []
            for span in line.spans {
                if let last = merged.last, last.style == span.style { merged[merged.count - 1].text += span.text } else { merged.append(span) }
            }
            return StyledLine(merged)
        }
    }
}
