// YAML as a small located tree: Yams parses, this keeps each value's line and column in the lesson
// file so every error can point at the exact spot.
//
// Deliberately left out: anchors/aliases and tags beyond what Yams resolves (lessons do not need them).

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
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw yamlError(error, firstLine: firstLine)
        } catch {
            throw LessonError(SourceLocation(line: firstLine), "YAML error: \(error)")
        }
        guard let node else { return nil }
        return convert(node, firstLine: firstLine)
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

    private static func convert(_ node: Node, firstLine: Int) -> YAMLValue {
        let here = location(node.mark, firstLine: firstLine)
        switch node {
        case .scalar(let s):
            return .scalar(s.string, quoted: s.style != .plain, here)
        case .sequence(let seq):
            return .sequence(seq.map { convert($0, firstLine: firstLine) }, here)
        case .mapping(let map):
            return .mapping(map.map { key, value in
                YAMLEntry(key: key.string ?? "", keyLocation: location(key.mark, firstLine: firstLine),
                          value: convert(value, firstLine: firstLine))
            }, here)
        case .alias:
            return .scalar("", quoted: true, here)
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
