// Numbers in prose that come from the run: `{{ EXPRESSION | FORMAT }}` is any claim expression, shown
// from the run's own records (a placeholder before the run), and `[cite: SOURCE]` marks a figure
// quoted from a paper or other software, so a reader can tell a measured number from a quoted one.
//
//   value   = "{{" [ experiment ":" ] expr [ "|" format ] "}}"
//   format  = "percent" [digits] | "points" [digits] | "fixed" digits | "digits" digits | "int"
//
// The expression reads the nearest experiment above the prose (else the first below), unless it
// names one (`{{ depth: final test_accuracy of bn }}`). Lessons are checked when parsed: a bad
// expression is a located error like a bad claim.

import Foundation

/// How a `{{ … }}` value is written.
public enum ValueFormat: Sendable, Equatable {
    /// formatNumber (4 significant digits); "never (in N steps)" for a threshold never reached.
    case plain
    /// × 100 with this many decimals and a "%" sign: 0.9123 → "91.2%".
    case percent(Int)
    /// × 100 with this many decimals, no sign (a difference of accuracies in points): 0.0035 → "0.4".
    case points(Int)
    /// This many decimals.
    case fixed(Int)
    /// This many significant digits.
    case digits(Int)
    /// Rounded to a whole number.
    case int

    /// `value` written in this format.
    public func text(_ value: Double) -> String {
        guard value.isFinite else { return formatNumber(value) }
        switch self {
        case .plain: return formatNumber(value)
        case .percent(let d): return String(format: "%.\(d)f%%", value * 100)
        case .points(let d): return String(format: "%.\(d)f", value * 100)
        case .fixed(let d): return String(format: "%.\(d)f", value)
        case .digits(let d): return String(format: "%.\(d)g", value)
        case .int: return String(format: "%.0f", value)
        }
    }
}

/// One parsed `{{ … }}`.
public struct ProseValue: Sendable {
    /// The characters `{{ … }}` span in the markdown, as offsets in its Characters.
    public var range: Range<Int>
    public var experiment: String
    public var expression: Expression
    public var format: ValueFormat
}

public enum ProseValues {
    /// What a value shows before its experiment has run.
    public static let placeholder = "[…]"
    /// Most digits a format may ask for (`percent 10`). The expression inside obeys the claim limits.
    static let maximumDigits = 10

    /// The markdown with every `{{ … }}` replaced by its value from `results` (a placeholder where the
    /// experiment has not run, or `results` is nil), and every `[cite: SOURCE]` left for ProseRenderer.
    /// `experiments` are the lesson's, in order; `defaultExperiment` is the one a value reads unless it names one.
    public static func fill(_ markdown: String, experiments: [ExperimentSpec], defaultExperiment: String?,
                            results: [String: ExperimentResult]?) -> String {
        guard markdown.contains("{{") else { return markdown }
        let chars = Array(markdown)
        guard let values = try? parse(markdown, firstLine: 1, experiments: experiments, defaultExperiment: defaultExperiment) else {
            return markdown
        }
        var out = "", cursor = 0
        for value in values {
            out += String(chars[cursor..<value.range.lowerBound])
            if let result = results?[value.experiment] {
                out += text(of: value, in: result)
            } else {
                out += placeholder
            }
            cursor = value.range.upperBound
        }
        out += String(chars[cursor...])
        return out
    }

    /// A value's text from a finished run.
    public static func text(of value: ProseValue, in result: ExperimentResult) -> String {
        var evaluation = Evaluation(result: result)
        let number = evaluation.value(value.expression)
        if case .measurement = value.expression, let never = evaluation.measured.first?.neverIn {
            return "never (in \(never) steps)"
        }
        return value.format.text(number)
    }

    /// Every `{{ … }}` in `markdown` (whose first line is `firstLine` of the file), checked against the experiments.
    static func parse(_ markdown: String, firstLine: Int, experiments: [ExperimentSpec],
                      defaultExperiment: String?) throws(LessonError) -> [ProseValue] {
        let chars = Array(markdown)
        var values: [ProseValue] = []
        var i = 0, line = firstLine, lineStart = 0
        while i + 1 < chars.count {
            if chars[i] == "\n" { line += 1; lineStart = i + 1; i += 1; continue }
            guard chars[i] == "{", chars[i + 1] == "{" else { i += 1; continue }
            let open = i
            let column = open - lineStart + 1
            var close = open + 2
            while close + 1 < chars.count, !(chars[close] == "}" && chars[close + 1] == "}"), chars[close] != "\n" { close += 1 }
            guard close + 1 < chars.count, chars[close] == "}", chars[close + 1] == "}" else {
                throw LessonError(SourceLocation(line: line, column: column), "this '{{' is never closed on its line",
                                  hint: "write {{ expression }} on one line, e.g. {{ final test_accuracy of bn | percent }}")
            }
            var inner = String(chars[(open + 2)..<close])
            var innerColumn = column + 2
            // An experiment name before ':'.
            var experiment = defaultExperiment
            if let colon = inner.firstIndex(of: ":") {
                let name = inner[..<colon].trimmingCharacters(in: .whitespaces)
                guard let spec = experiments.first(where: { $0.name == name }) else {
                    throw LessonError(SourceLocation(line: line, column: innerColumn), "no experiment named '\(name)' in this lesson",
                                      hint: NearestName.hint(for: name, in: experiments.map(\.name)))
                }
                experiment = spec.name
                innerColumn += inner.distance(from: inner.startIndex, to: colon) + 1
                inner = String(inner[inner.index(after: colon)...])
            }
            guard let experimentName = experiment, let spec = experiments.first(where: { $0.name == experimentName }) else {
                throw LessonError(SourceLocation(line: line, column: column), "this lesson has no experiment for {{ … }} to read",
                                  hint: "values in prose read the run of an experiment cell")
            }
            var format = ValueFormat.plain
            var expressionText = inner
            if let bar = inner.firstIndex(of: "|") {
                expressionText = String(inner[..<bar])
                let formatColumn = innerColumn + inner.distance(from: inner.startIndex, to: bar) + 1
                format = try parseFormat(String(inner[inner.index(after: bar)...]), at: SourceLocation(line: line, column: formatColumn))
            }
            let leading = expressionText.prefix { $0 == " " }.count
            let expression = try ClaimParser.expression(expressionText.trimmingCharacters(in: .whitespaces),
                                                        at: SourceLocation(line: line, column: innerColumn + leading),
                                                        context: ClaimContext(spec))
            values.append(ProseValue(range: open..<(close + 2), experiment: spec.name, expression: expression, format: format))
            i = close + 2
        }
        return values
    }

    static func parseFormat(_ text: String, at location: SourceLocation) throws(LessonError) -> ValueFormat {
        let words = text.split(separator: " ").map(String.init)
        let hint = "formats: percent [decimals], points [decimals], fixed N, digits N, int"
        guard let name = words.first, words.count <= 2 else {
            throw LessonError(location, "expected a format after '|'", hint: hint)
        }
        var count: Int?
        if words.count == 2 {
            guard let n = Int(words[1]), (0...maximumDigits).contains(n) else {
                throw LessonError(location, "'\(words[1])' is not a number of digits 0…\(maximumDigits)", hint: hint)
            }
            count = n
        }
        switch name {
        case "percent": return .percent(count ?? 1)
        case "points": return .points(count ?? 1)
        case "fixed": return .fixed(count ?? 2)
        case "digits": return .digits(max(1, count ?? 3))
        case "int" where count == nil: return .int
        default:
            throw LessonError(location, "unknown format '\(text.trimmingCharacters(in: .whitespaces))'", hint: hint)
        }
    }
}

extension Lesson {
    /// The experiment a prose cell's `{{ … }}` values read: the nearest above it, else the first below.
    public func defaultExperiment(forCell index: Int) -> String? {
        let above = cells[..<min(index, cells.count)].reversed().lazy.compactMap { cell -> String? in
            if case .experiment(let spec) = cell.content { return spec.name } else { return nil }
        }.first
        return above ?? experiments.first { spec in
            cells[min(index, cells.count)...].contains { if case .experiment(let s) = $0.content { return s.name == spec.name } else { return false } }
        }?.name
    }

    /// Prose cell `index` with its `{{ … }}` values filled from `results` (placeholders where an
    /// experiment has not run, or `results` is nil). The app and headless render this text.
    public func filledProse(cell index: Int, results: [String: ExperimentResult]?) -> String {
        guard cells.indices.contains(index), case .prose(let markdown) = cells[index].content else { return "" }
        return ProseValues.fill(markdown, experiments: experiments, defaultExperiment: defaultExperiment(forCell: index), results: results)
    }
}
