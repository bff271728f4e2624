// Reads and parses a whole lesson file: size and encoding checks, front matter, cells, then the
// cross-references (claims, plots and predicts against their experiments).
//
// Lesson files are data: nothing here runs a command or opens another file.

import BNFiles
import Foundation

public enum LessonParser {
    /// Larger files are refused: lessons are short documents.
    public static let maximumFileSize = 1 << 20

    /// Reads and parses the lesson at `path`.
    public static func load(path: String) throws(LessonError) -> Lesson {
        let bytes: [UInt8]
        do { bytes = try InputFile.read(path, limit: maximumFileSize) } catch {
            let (message, hint): (String, String) = switch error.reason {
            case .missing: ("no such file", "give a lesson id or the path of a .md file")
            case .notRegular(kind: "a directory"):
                ("this is a directory, not a lesson file", "give a .md file, or use --lessons DIR to choose the lessons folder")
            case .notRegular: (error.message, "give the path of a .md file")
            case .tooLarge: (error.message, "lessons are short documents: split it into several lessons")
            case .unreadable: (error.message, "check its permissions")
            }
            throw LessonError(file: path, SourceLocation(line: 1), message, hint: hint)
        }
        do {
            return try parse(bytes: bytes, file: path)
        } catch {
            throw error.inFile(path)
        }
    }

    /// Parses lesson bytes, which must be UTF-8.
    public static func parse(bytes: [UInt8], file: String) throws(LessonError) -> Lesson {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw invalidUTF8(bytes).inFile(file)
        }
        return try parse(text: text, file: file)
    }

    /// Parses lesson text. A UTF-8 byte order mark and CRLF line endings are read as if absent.
    public static func parse(text: String, file: String) throws(LessonError) -> Lesson {
        var text = text
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        // "\r\n" is one Character in Swift, so splitting on "\n" would not see it: normalize first.
        if text.contains("\r\n") { text = text.replacingOccurrences(of: "\r\n", with: "\n") }
        do {
            return try parseUnattributed(text)
        } catch {
            throw error.inFile(file)
        }
    }

    /// Parses every part it can and reports every error, in file order. A cell whose experiment
    /// failed to parse is skipped silently (its experiment's error says what to fix).
    private static func parseUnattributed(_ text: String) throws(LessonError) -> Lesson {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
        if lines.allSatisfy({ $0.allSatisfy(\.isWhitespace) }) {
            throw LessonError(SourceLocation(line: 1), "the file is empty",
                              hint: "start with front matter: ---, id: …, title: …, order: …, ---")
        }
        guard lines[0].trimmingCharacters(in: .whitespaces) == "---" else {
            throw LessonError(SourceLocation(line: 1), "the lesson has no front matter",
                              hint: "start the file with a '---' line, then id, title, order, summary, estimated_time, then '---'")
        }
        guard let end = lines.indices.dropFirst().first(where: { lines[$0].trimmingCharacters(in: .whitespaces) == "---" }) else {
            throw LessonError(SourceLocation(line: 1), "the front matter is never closed", hint: "add a '---' line after it")
        }
        var errors: [LessonError] = []
        var frontMatter: FrontMatter?
        do {
            frontMatter = try FrontMatter.parse(lines[1..<end].joined(separator: "\n"), firstLine: 2)
        } catch {
            errors.append(error)
        }
        let raw: [RawCell]
        do {
            raw = try CellSplitter.split(Array(lines[(end + 1)...]), firstLine: end + 2, errors: &errors)
        } catch {
            throw LessonError.collected(errors + [error]) ?? error
        }
        // Each experiment cell, parsed once: its spec, or nil when it has an error.
        var parsed: [Int: ExperimentSpec] = [:]
        for (index, cell) in raw.enumerated() where cell.kind == "experiment" {
            do {
                parsed[index] = try ExperimentParser.parse(cell.body, firstLine: cell.bodyLine, fence: cell.location)
            } catch {
                errors.append(error)
            }
        }
        // A predict cell is asked before its experiment runs: it reads the next experiment below it.
        // `brokenBelow`: that next experiment exists but did not parse.
        var upcoming: [Int: ExperimentSpec] = [:], brokenBelow: Set<Int> = []
        var next: ExperimentSpec?, nextBroken = false
        for (index, cell) in raw.enumerated().reversed() {
            if cell.kind == "experiment" { next = parsed[index]; nextBroken = parsed[index] == nil }
            if cell.kind == "predict" {
                upcoming[index] = next
                if nextBroken { brokenBelow.insert(index) }
            }
        }
        var cells: [LessonCell] = []
        var experiments: [String: ExperimentSpec] = [:]
        var current: ExperimentSpec?
        var currentBroken = false
        for (index, cell) in raw.enumerated() {
            do throws(LessonError) {
                switch cell.kind {
                case "prose":
                    cells.append(LessonCell(location: cell.location, content: .prose(cell.body)))
                case "experiment":
                    guard let spec = parsed[index] else { current = nil; currentBroken = true; continue }
                    currentBroken = false
                    if experiments[spec.name] != nil {
                        throw LessonError(spec.location, "a second experiment named '\(spec.name)'", hint: "give each experiment its own name")
                    }
                    experiments[spec.name] = spec
                    current = spec
                    cells.append(LessonCell(location: cell.location, content: .experiment(spec)))
                case "claim", "check":
                    if currentBroken { continue }
                    guard let current else { throw noExperiment(cell) }
                    let claims = try parseClaims(cell, context: ClaimContext(current), kind: cell.kind == "check" ? .check : .finding)
                    cells.append(LessonCell(location: cell.location, content: .claims(claims)))
                case "plot":
                    if currentBroken { continue }
                    let plot = try PlotParser.parse(cell, experiments: experiments, current: current)
                    cells.append(LessonCell(location: cell.location, content: .plot(plot)))
                default:  // "predict"
                    if brokenBelow.contains(index) || (upcoming[index] == nil && currentBroken) { continue }
                    guard let target = upcoming[index] ?? current else { throw noExperiment(cell) }
                    let predict = try PredictParser.parse(cell, experiment: target)
                    cells.append(LessonCell(location: cell.location, content: .predict(predict)))
                }
            } catch {
                errors.append(error)
            }
        }
        if let error = LessonError.collected(errors) { throw error }
        guard let frontMatter else { throw LessonError(SourceLocation(line: 2), "the front matter did not parse") }
        let lesson = Lesson(frontMatter: frontMatter, cells: cells, file: "")
        // Values in prose ({{ … }}) may read any experiment of the lesson, so they are checked last;
        // references to other lessons ([lesson: id]) are checked for their syntax here, for their id
        // when the lessons are loaded together (LessonReferences).
        for (index, cell) in cells.enumerated() {
            guard case .prose(let markdown) = cell.content else { continue }
            do {
                _ = try LessonReferences.parse(markdown, firstLine: cell.location.line)
            } catch {
                errors.append(error)
            }
            guard markdown.contains("{{") else { continue }
            do {
                _ = try ProseValues.parse(markdown, firstLine: cell.location.line, experiments: lesson.experiments,
                                          defaultExperiment: lesson.defaultExperiment(forCell: index))
            } catch {
                errors.append(error)
            }
        }
        if let error = LessonError.collected(errors) { throw error }
        return lesson
    }

    private static func noExperiment(_ cell: RawCell) -> LessonError {
        if cell.kind == "predict" {
            return LessonError(cell.location, "this predict cell has no experiment to ask about",
                               hint: "a predict reads the next experiment below it (or, if there is none, the nearest above); add one")
        }
        return LessonError(cell.location, "this \(cell.kind) cell comes before any experiment",
                           hint: "a \(cell.kind) reads the nearest experiment above it; move it below one")
    }

    /// One claim per non-blank line; lines starting with '#' are comments.
    private static func parseClaims(_ cell: RawCell, context: ClaimContext, kind: ClaimKind) throws(LessonError) -> [Claim] {
        var claims: [Claim] = []
        for (offset, line) in cell.body.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let leading = line.prefix { $0 == " " || $0 == "\t" }.count
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.isEmpty || text.hasPrefix("#") { continue }
            var claim = try ClaimParser.claim(text, at: SourceLocation(line: cell.bodyLine + offset, column: leading + 1), context: context)
            claim.kind = kind
            claims.append(claim)
        }
        if claims.isEmpty { throw LessonError(cell.location, "empty \(cell.kind) cell", hint: "write one \(cell.kind) per line") }
        return claims
    }

    /// Where the first invalid UTF-8 byte is.
    static func invalidUTF8(_ bytes: [UInt8]) -> LessonError {
        var line = 1, lineStart = 0
        var index = 0
        while index < bytes.count {
            let valid = (1...4).contains { length in
                index + length <= bytes.count && String(validating: bytes[index..<(index + length)], as: UTF8.self) != nil
            }
            if !valid { break }
            let length = (1...4).first { index + $0 <= bytes.count && String(validating: bytes[index..<(index + $0)], as: UTF8.self) != nil } ?? 1
            if bytes[index] == UInt8(ascii: "\n") { line += 1; lineStart = index + 1 }
            index += length
        }
        let column = (String(validating: bytes[lineStart..<min(index, bytes.count)], as: UTF8.self)?.count ?? 0) + 1
        let byte = index < bytes.count ? String(bytes[index], radix: 16) : "?"
        return LessonError(SourceLocation(line: line, column: column), "the file is not UTF-8 text (byte 0x\(byte))",
                           hint: "save the lesson as UTF-8")
    }
}
