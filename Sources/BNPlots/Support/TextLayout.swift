// Word wrapping for short texts: the app's summaries and errors, the plot demo's headings, headless
// lines and `bnlab list`'s titles. Lesson prose goes through the lesson engine's `ProseRenderer` instead.

import Foundation

public enum TextLayout {
    /// `text` broken into lines of at most `width` characters at spaces (long words are cut). A text
    /// that fits is returned as it is, spacing and all; a longer one keeps its leading spaces (an
    /// indented line stays indented) and continues on lines that start with `indent`.
    public static func wrap(_ text: String, width: Int, indent: String = "", firstPrefix: String = "") -> [String] {
        if firstPrefix.count + text.count <= width { return [firstPrefix + text] }
        let lead = text.prefix { $0 == " " }
        let firstPrefix = firstPrefix + lead, text = text.dropFirst(lead.count)
        guard width > firstPrefix.count + 1 else { return [String((firstPrefix + text).prefix(max(0, width)))] }
        var lines: [String] = []
        var line = firstPrefix
        var lineHasWord = false
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            var word = Substring(word)
            if lineHasWord && line.count + 1 + word.count > width {
                lines.append(line)
                line = indent
                lineHasWord = false
            }
            while line.count + (lineHasWord ? 1 : 0) + word.count > width {
                // A word longer than the line: cut it.
                let room = width - line.count - (lineHasWord ? 1 : 0)
                if room <= 0 { lines.append(line); line = indent; lineHasWord = false; continue }
                line += (lineHasWord ? " " : "") + word.prefix(room)
                word = word.dropFirst(room)
                lines.append(line)
                line = indent
                lineHasWord = false
            }
            if !word.isEmpty {
                line += (lineHasWord ? " " : "") + word
                lineHasWord = true
            }
        }
        if lineHasWord || lines.isEmpty { lines.append(line) }
        return lines
    }
}

extension TextLayout {
    /// "…", or "..." on a screen without Unicode.
    public static func ellipsis(unicode: Bool) -> String { unicode ? "…" : "..." }

    /// `text` if it fits in `width` characters; else as much of it as fits with `ellipsis` after, cut
    /// after a whole word where one ends in the second half of the room (a long word is cut).
    public static func fitted(_ text: String, width: Int, ellipsis: String) -> String {
        guard text.count > width else { return text }
        let room = width - ellipsis.count
        guard room > 0 else { return String(ellipsis.prefix(max(0, width))) }
        var kept = text.prefix(room)
        if text.dropFirst(room).first != " ", let space = kept.lastIndex(of: " "),
           kept.distance(from: kept.startIndex, to: space) >= room / 2 {
            kept = kept[..<space]
        }
        while kept.last == " " { kept = kept.dropLast() }
        return kept + ellipsis
    }
}

/// A run of text in one style, for lines built from parts (a claim's mark, text and numbers).
public struct StyledText: Equatable {
    public var text: String
    public var style: Style

    public init(_ text: String, _ style: Style = .plain) {
        self.text = text
        self.style = style
    }
}

extension TextLayout {
    /// `spans` broken at spaces into lines of at most `width` characters, continuation lines starting
    /// with `indent` spaces; each word keeps its span's style. Nothing is dropped: a word longer than
    /// a line is split over lines.
    public static func wrap(_ spans: [StyledText], width: Int, indent: Int = 2) -> [[StyledText]] {
        let width = max(width, indent + 2)
        // Words with their style, and whether a space came before them.
        var words: [(text: String, style: Style, spaced: Int)] = []
        var pendingSpace = 0
        var current = "", currentStyle = Style.plain, currentSpaced = 0
        func flush() {
            if !current.isEmpty { words.append((current, currentStyle, currentSpaced)) }
            current = ""
        }
        for span in spans {
            for character in span.text {
                if character == " " {
                    flush()
                    pendingSpace += 1
                } else {
                    if current.isEmpty {
                        currentSpaced = pendingSpace
                        currentStyle = span.style
                        pendingSpace = 0
                    }
                    current.append(character)
                }
            }
            // A span boundary ends a word; with no space there the next word follows without a gap.
            flush()
        }
        // Spaces before the first word are kept: an indented line stays indented.
        let lead = min(words.first?.spaced ?? 0, width / 2)
        var lines: [[StyledText]] = [lead > 0 ? [StyledText(String(repeating: " ", count: lead))] : []]
        var used = lead
        if !words.isEmpty { words[0].spaced = 0 }
        func newLine() {
            lines.append(indent > 0 ? [StyledText(String(repeating: " ", count: indent))] : [])
            used = indent
        }
        for word in words {
            var text = Substring(word.text)
            let start = lines.count == 1 ? lead : indent
            let gap = used > start ? word.spaced : 0
            if used + gap + text.count > width && used > start {
                newLine()
            } else if gap > 0 {
                lines[lines.count - 1].append(StyledText(String(repeating: " ", count: gap), word.style))
                used += gap
            }
            while used + text.count > width {
                let room = width - used
                lines[lines.count - 1].append(StyledText(String(text.prefix(room)), word.style))
                text = text.dropFirst(room)
                newLine()
            }
            if !text.isEmpty {
                lines[lines.count - 1].append(StyledText(String(text), word.style))
                used += text.count
            }
        }
        return lines
    }
}
