// YAML as a small located tree: Yams parses, this keeps each value's line and column in the lesson
// file so every error can point at the exact spot.
//
// Deliberately left out: tags beyond what Yams resolves. Anchors and aliases (&name, *name) are
// refused: lessons do not need them, and a few hundred bytes of nested aliases ("billion laughs")
// expand to gigabytes. Also bounded before Yams sees the text: flow nesting depth (Yams composes
// recursively); and after: the number of values once expanded.

import Yams

/// A YAML value with its position in the lesson file.
indirect enum YAMLValue: Sendable {
    /// A scalar and whether it was quoted (a quoted "60" is a string, not a number).
    case scalar(String, quoted: Bool, SourceLocation)
    case sequence([YAMLValue], SourceLocation)
    case mapping([YAMLEntry], SourceLocation)

    var location: SourceLocation {
        switch self {
        case .scalar(_, _, let l), .sequence(_, let l), .mapping(_, let l): return l
        }
    }

    var typeName: String {
        switch self {
        case .scalar: return "a single value"
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        }
    }

    /// Parses `text`, whose first line is line `firstLine` of the lesson file.
    static func parse(_ text: String, firstLine: Int) throws(LessonError) -> YAMLValue? {
        try checkShape(text, firstLine: firstLine)
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw yamlError(error, firstLine: firstLine)
        } catch {
            throw LessonError(SourceLocation(line: firstLine), "YAML error: \(error)")
        }
        guard let node else { return nil }
        var budget = maximumValues
        return try convert(node, firstLine: firstLine, budget: &budget)
    }

    /// The most values (scalars, lists, mappings) one YAML block may hold.
    static let maximumValues = 100_000
    /// The deepest nesting of flow collections ([…], {…}) and of indentation levels.
    static let maximumDepth = 64

    /// Refuses anchors and aliases, and nesting deeper than ``maximumDepth``, by a scan of the text
    /// (quoted strings and comments skipped). An anchor or alias starts a value: it follows the
    /// start of a line, indentation, "- ", ": ", "[", "{" or ",".
    static func checkShape(_ text: String, firstLine: Int) throws(LessonError) {
        var depth = 0
        for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let chars = Array(line)
            var quote: Character?
            var escaped = false
            var previous: Character = " "
            for (column, c) in chars.enumerated() {
                if let q = quote {
                    if escaped { escaped = false } else if q == "\"" && c == "\\" { escaped = true } else if c == q { quote = nil }
                    previous = c
                    continue
                }
                let afterSpace = previous == " " || previous == "\t"
                if c == "#" && (afterSpace || column == 0) { break }
                let atValueStart = afterSpace || previous == "[" || previous == "{" || previous == "," || column == 0
                if (c == "\"" || c == "'") && atValueStart {
                    quote = c
                } else if (c == "[" || c == "{") && atValueStart {
                    depth += 1
                    if depth > maximumDepth {
                        throw LessonError(SourceLocation(line: firstLine + offset, column: column + 1),
                                          "the YAML nests deeper than \(maximumDepth) levels", hint: "flatten the structure")
                    }
                } else if c == "]" || c == "}" {
                    depth = max(0, depth - 1)
                } else if (c == "&" || c == "*") && column + 1 < chars.count && isAnchorCharacter(chars[column + 1])
                            && startsNode(chars, at: column) {
                    throw LessonError(SourceLocation(line: firstLine + offset, column: column + 1),
                                      "YAML \(c == "&" ? "anchors (&name)" : "aliases (*name)") are not supported in lesson files",
                                      hint: "write the value out in full; to share settings between variants, put them in the experiment's base")
                }
                previous = c
            }
        }
    }

    /// Whether a value starts at `column`: after indentation, "- ", ": ", "? ", "[", "{" or ",".
    private static func startsNode(_ chars: [Character], at column: Int) -> Bool {
        var j = column - 1
        if j < 0 || "[{,".contains(chars[j]) { return true }
        guard chars[j] == " " || chars[j] == "\t" else { return false }
        while j >= 0 && (chars[j] == " " || chars[j] == "\t") { j -= 1 }
        return j < 0 || ":-?[{,".contains(chars[j])
    }

    private static func isAnchorCharacter(_ c: Character) -> Bool {
        !(c.isWhitespace || c == "," || c == "[" || c == "]" || c == "{" || c == "}")
    }

    private static func location(_ mark: Mark?, firstLine: Int) -> SourceLocation {
        guard let mark else { return SourceLocation(line: firstLine) }
        return SourceLocation(line: firstLine + mark.line - 1, column: mark.column)
    }

    private static func yamlError(_ error: YamlError, firstLine: Int) -> LessonError {
        let hint = "check indentation, and put a space after each ':'; quote text that contains ': ' or starts with a symbol"
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            let detail = context.map { "\($0.text), \(problem)" } ?? problem
            return LessonError(location(mark, firstLine: firstLine), "YAML syntax error: \(detail)", hint: hint)
        default:
            return LessonError(SourceLocation(line: firstLine), "YAML error: \(error)", hint: hint)
        }
    }

    private static func convert(_ node: Node, firstLine: Int, budget: inout Int) throws(LessonError) -> YAMLValue {
        let here = location(node.mark, firstLine: firstLine)
        budget -= 1
        if budget < 0 {
            throw LessonError(here, "the YAML holds more than \(maximumValues) values", hint: "experiments are short; split this one up")
        }
        switch node {
        case .scalar(let s):
            return .scalar(s.string, quoted: s.style != .plain, here)
        case .sequence(let seq):
            var items: [YAMLValue] = []
            for item in seq { items.append(try convert(item, firstLine: firstLine, budget: &budget)) }
            return .sequence(items, here)
        case .mapping(let map):
            var entries: [YAMLEntry] = []
            for (key, value) in map {
                entries.append(YAMLEntry(key: key.string ?? "", keyLocation: location(key.mark, firstLine: firstLine),
                                         value: try convert(value, firstLine: firstLine, budget: &budget)))
            }
            return .mapping(entries, here)
        case .alias:
            throw LessonError(here, "YAML aliases (*name) are not supported in lesson files", hint: "write the value out in full")
        }
    }

    /// `overlay`'s entries replace or (for mappings) merge into this mapping's, recursively.
    func merged(with overlay: YAMLValue) -> YAMLValue {
        guard case .mapping(var base, let location) = self, case .mapping(let top, _) = overlay else { return overlay }
        for entry in top {
            if let index = base.firstIndex(where: { $0.key == entry.key }) {
                base[index].value = base[index].value.merged(with: entry.value)
                base[index].keyLocation = entry.keyLocation
            } else {
                base.append(entry)
            }
        }
        return .mapping(base, location)
    }
}

/// A mapping entry: key, where the key is, value.
struct YAMLEntry: Sendable {
    var key: String
    var keyLocation: SourceLocation
    var value: YAMLValue
}
