// References from prose to another lesson by id: `[lesson: redundant-bias]` reads as
// `lesson 3 (Redundant bias)`, with the lesson's current number (its front matter `order`) and title,
// so renumbering or retitling a lesson cannot leave a reference pointing at the wrong one.
// `[Lesson: …]` starts a sentence: `Lesson 3 (…)`.
//
//   reference = "[" ("lesson" | "Lesson") ":" id "]"      (on one line; id: letters, digits, - and _)
//
// Checked in two steps: the syntax when a lesson is parsed (LessonParser), the id against the set
// of lessons when they are loaded together (LessonLocator for headless, the app's catalog): an
// unknown id is a located error naming the nearest known one. `resolved(_:in:)` then writes the
// number and title into the prose, so every renderer shows the same text.

import Foundation

/// One `[lesson: id]` in a prose cell.
public struct LessonReference: Sendable, Equatable {
    public var id: String
    /// Written `[Lesson: …]`: the text starts with a capital.
    public var capitalized: Bool
    public var location: SourceLocation
    /// The characters `[…]` spans in the markdown, as offsets in its Characters.
    public var range: Range<Int>
}

public enum LessonReferences {
    /// Longest id a reference may name (ids are short slugs).
    static let maximumIDLength = 100

    /// Every reference in `markdown`, whose first line is `firstLine` of the file.
    static func parse(_ markdown: String, firstLine: Int) throws(LessonError) -> [LessonReference] {
        guard markdown.contains("esson:") else { return [] }
        let chars = Array(markdown)
        var references: [LessonReference] = []
        var i = 0, line = firstLine, lineStart = 0
        let prefix = Array("esson:")
        while i < chars.count {
            if chars[i] == "\n" { line += 1; lineStart = i + 1; i += 1; continue }
            guard chars[i] == "[", i + 7 < chars.count, chars[i + 1] == "l" || chars[i + 1] == "L",
                  Array(chars[(i + 2)..<(i + 8)]) == prefix else { i += 1; continue }
            let column = i - lineStart + 1
            var close = i + 8
            while close < chars.count, chars[close] != "]", chars[close] != "\n" { close += 1 }
            let location = SourceLocation(line: line, column: column)
            guard close < chars.count, chars[close] == "]" else {
                throw LessonError(location, "this '[lesson:' is never closed on its line",
                                  hint: "write [lesson: ID] on one line, e.g. [lesson: redundant-bias]")
            }
            let id = String(chars[(i + 8)..<close]).trimmingCharacters(in: .whitespaces)
            guard !id.isEmpty, id.count <= maximumIDLength,
                  id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
                throw LessonError(location, "'\(String(id.prefix(40)))' is not a lesson id",
                                  hint: "a lesson id is the 'id' in its front matter: letters, digits, - and _")
            }
            references.append(LessonReference(id: id, capitalized: chars[i + 1] == "L", location: location, range: i..<(close + 1)))
            i = close + 1
        }
        return references
    }

    /// Every reference in `lesson`'s prose, with the index of its cell. (The lesson parsed, so the syntax is valid.)
    public static func references(in lesson: Lesson) -> [(cell: Int, reference: LessonReference)] {
        lesson.cells.enumerated().flatMap { index, cell -> [(cell: Int, reference: LessonReference)] in
            guard case .prose(let markdown) = cell.content,
                  let found = try? parse(markdown, firstLine: cell.location.line) else { return [] }
            return found.map { (index, $0) }
        }
    }

    /// How a reference to `target` reads: `lesson 3 (Redundant bias)`.
    public static func text(_ target: Lesson, capitalized: Bool) -> String {
        "\(capitalized ? "Lesson" : "lesson") \(target.frontMatter.order) (\(target.title))"
    }

    /// `lesson` with every reference written out from `known` (the lessons loaded with it; it may be
    /// among them). An id no known lesson has is an error at the reference, naming the nearest id.
    public static func resolved(_ lesson: Lesson, in known: [Lesson]) throws(LessonError) -> Lesson {
        var lesson = lesson
        var byID: [String: Lesson] = [:]
        for other in known where byID[other.id] == nil { byID[other.id] = other }
        byID[lesson.id] = byID[lesson.id] ?? lesson
        var errors: [LessonError] = []
        for index in lesson.cells.indices {
            guard case .prose(let markdown) = lesson.cells[index].content else { continue }
            let found: [LessonReference]
            do {
                found = try parse(markdown, firstLine: lesson.cells[index].location.line)
            } catch {
                errors.append(error)
                continue
            }
            guard !found.isEmpty else { continue }
            let chars = Array(markdown)
            var out = "", cursor = 0
            for reference in found {
                out += String(chars[cursor..<reference.range.lowerBound])
                if let target = byID[reference.id] {
                    out += text(target, capitalized: reference.capitalized)
                } else {
                    errors.append(LessonError(reference.location, "no lesson with id '\(reference.id)'",
                                              hint: NearestName.hint(for: reference.id, in: byID.keys)))
                    out += String(chars[reference.range])
                }
                cursor = reference.range.upperBound
            }
            out += String(chars[cursor...])
            lesson.cells[index].content = .prose(out)
        }
        if let error = LessonError.collected(errors) { throw error.inFile(lesson.file) }
        return lesson
    }
}
