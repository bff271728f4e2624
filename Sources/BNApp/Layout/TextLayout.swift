// Word wrapping and a small Markdown subset for prose cells: `#` headings, paragraphs, `-`/`*`
// lists, `**bold**` and `*emphasis*` markers dropped. Math (`$…$`) is shown as written. The lesson
// engine's prose renderer replaces this once it lands.

import BNPlots
import Foundation

/// One line of text with one style.
public struct StyledLine: Equatable, Sendable {
    public var text: String
    public var style: Style

    public init(_ text: String, style: Style = .plain) {
        self.text = text
        self.style = style
    }
}

enum TextLayout {
    /// `text` broken into lines of at most `width` characters at spaces (long words are cut).
    static func wrap(_ text: String, width: Int, indent: String = "", firstPrefix: String = "") -> [String] {
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

    /// Prose Markdown as styled, wrapped lines.
    static func prose(_ markdown: String, width: Int, unicode: Bool) -> [StyledLine] {
        var out: [StyledLine] = []
        var paragraph: [String] = []
        func flush() {
            guard !paragraph.isEmpty else { return }
            out += wrap(clean(paragraph.joined(separator: " ")), width: width).map { StyledLine($0) }
            paragraph = []
        }
        for raw in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty {
                flush()
                if out.last.map({ !$0.text.isEmpty }) ?? false { out.append(StyledLine("")) }
            } else if line.hasPrefix("#") {
                flush()
                let title = line.drop(while: { $0 == "#" }).trimmingCharacters(in: .whitespaces)
                out += wrap(clean(title), width: width).map { StyledLine($0, style: Style(bold: true)) }
            } else if line.hasPrefix("- ") || line.hasPrefix("* ") {
                flush()
                let bullet = unicode ? "• " : "- "
                out += wrap(clean(String(line.dropFirst(2))), width: width, indent: "  ", firstPrefix: bullet).map { StyledLine($0) }
            } else {
                paragraph.append(line)
            }
        }
        flush()
        while out.last?.text.isEmpty == true { out.removeLast() }
        return out
    }

    /// Drops emphasis markers: `**bold**` → bold, `*em*` → em, `` `code` `` → code.
    static func clean(_ text: String) -> String {
        text.replacingOccurrences(of: "**", with: "").replacingOccurrences(of: "`", with: "")
    }
}

