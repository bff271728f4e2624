// Word wrapping for the app's own short texts (summaries, errors). Lesson prose goes through the
// lesson engine's `ProseRenderer` instead.

import BNPlots
import Foundation

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
}
