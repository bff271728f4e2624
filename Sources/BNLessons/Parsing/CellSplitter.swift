// Splits a lesson's body into prose and fenced cells, remembering where each starts.
//
// A fence is a line starting with ``` (or ~~~) and an info string naming the cell type; it closes
// at a line of the same fence characters alone. Fences without an info string, or "text", are
// preformatted prose.

/// A raw cell before its content is parsed.
struct RawCell {
    /// "prose", or the fence's info string.
    var kind: String
    /// The fence line (or the prose's first line).
    var location: SourceLocation
    /// The line of the body's first line.
    var bodyLine: Int
    var body: String
}

enum CellSplitter {
    static let cellKinds = ["experiment", "plot", "claim", "check", "predict"]
    static let proseFences = ["", "text"]

    /// `lines` are the body lines; the first is line `firstLine` of the file. A cell of an unknown
    /// type is left out and its error added to `errors`; a fence never closed ends the split.
    static func split(_ lines: [Substring], firstLine: Int, errors: inout [LessonError]) throws(LessonError) -> [RawCell] {
        var cells: [RawCell] = []
        var prose: [Substring] = []
        var proseStart = firstLine
        func flushProse() {
            if prose.contains(where: { !$0.allSatisfy(\.isWhitespace) }) {
                cells.append(RawCell(kind: "prose", location: SourceLocation(line: proseStart), bodyLine: proseStart,
                                     body: prose.joined(separator: "\n")))
            }
            prose = []
        }
        var index = 0
        while index < lines.count {
            let line = lines[index]
            let lineNumber = firstLine + index
            guard let fence = fenceMarker(line) else {
                if prose.isEmpty { proseStart = lineNumber }
                prose.append(line)
                index += 1
                continue
            }
            let info = line.drop { $0 == " " }.dropFirst(fence.count).trimmingCharacters(in: .whitespaces)
            let kind = info.split(separator: " ").first.map(String.init) ?? ""
            // Find the closing fence.
            var close = index + 1
            while close < lines.count {
                let candidate = lines[close].trimmingCharacters(in: .whitespaces)
                if candidate.hasPrefix(fence), candidate.allSatisfy({ $0 == fence.first }) { break }
                close += 1
            }
            guard close < lines.count else {
                throw LessonError(SourceLocation(line: lineNumber), "this \(kind.isEmpty ? "code" : "'\(kind)'") fence is never closed",
                                  hint: "add a line with \(fence) after the block")
            }
            if proseFences.contains(kind) {
                if prose.isEmpty { proseStart = lineNumber }
                prose.append(contentsOf: lines[index...close])
            } else {
                let name = kind
                guard cellKinds.contains(name) else {
                    let column = line.distance(from: line.startIndex, to: line.firstIndex(of: kind.first ?? " ") ?? line.startIndex) + 1
                    errors.append(LessonError(SourceLocation(line: lineNumber, column: column), "unknown cell type '\(kind)'",
                                              hint: NearestName.suggestion(for: kind, in: cellKinds).map { "did you mean '\($0)'?" }
                                                ?? "cells are experiment, plot, claim, check or predict; use ``` or ```text for plain code"))
                    flushProse()
                    index = close + 1
                    continue
                }
                flushProse()
                cells.append(RawCell(kind: name, location: SourceLocation(line: lineNumber), bodyLine: lineNumber + 1,
                                     body: lines[(index + 1)..<close].joined(separator: "\n")))
            }
            index = close + 1
        }
        flushProse()
        return cells
    }

    /// The fence characters (``` or ~~~, possibly longer) opening `line`, if it is a fence.
    static func fenceMarker(_ line: Substring) -> String? {
        let trimmed = line.drop { $0 == " " }
        guard line.count - trimmed.count <= 3, let first = trimmed.first, first == "`" || first == "~" else { return nil }
        let marker = trimmed.prefix { $0 == first }
        return marker.count >= 3 ? String(marker) : nil
    }
}
