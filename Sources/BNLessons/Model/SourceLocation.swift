// Where something sits in a lesson file, and the one error type every user-caused problem becomes.
//
// Deliberately left out: multi-line error spans and "notes"; one line with a hint per problem is
// what a learner editing a lesson needs. A file with several problems reports them all, in file
// order, like a compiler (`more`).

/// A 1-based line and column in a lesson file.
public struct SourceLocation: Hashable, Sendable, Codable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int = 1) {
        self.line = line
        self.column = column
    }

    public var description: String { "\(line):\(column)" }
}

/// A problem in a lesson file a user can fix: `file:line:column: message (hint)`.
public struct LessonError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var location: SourceLocation
    public var message: String
    public var hint: String?
    /// The file's further errors, in file order, after this one.
    public var more: [LessonError] = []

    public init(file: String = "", _ location: SourceLocation, _ message: String, hint: String? = nil) {
        self.file = file
        self.location = location
        self.message = message
        self.hint = hint
    }

    /// The form printed by `--headless` and `list`: one line per error.
    public var description: String {
        ([self] + more).map { e in
            var text = "\(e.file):\(e.location.line):\(e.location.column): \(e.message)"
            if let hint = e.hint { text += " (hint: \(hint))" }
            return text
        }.joined(separator: "\n")
    }

    /// One line: the first error, and how many more follow (for the app's lesson list).
    public var summary: String {
        let first = LessonError(file: file, location, message, hint: hint).description
        return more.isEmpty ? first : first + " (and \(more.count) more error\(more.count == 1 ? "" : "s"); bnlab --headless \(file) lists them)"
    }

    /// Every error, this one first.
    public var all: [LessonError] { [self] + more }

    /// The same error (and its followers), attributed to `file`.
    func inFile(_ file: String) -> LessonError {
        var copy = self
        copy.file = file
        copy.more = more.map { $0.inFile(file) }
        return copy
    }

    /// `errors` (non-empty, in any order) as one error: the first in file order, the rest in `more`.
    static func collected(_ errors: [LessonError]) -> LessonError? {
        let flat = errors.flatMap(\.all).enumerated().sorted {
            ($0.element.location.line, $0.element.location.column, $0.offset) < ($1.element.location.line, $1.element.location.column, $1.offset)
        }.map(\.element)
        guard var first = flat.first else { return nil }
        first.more = Array(flat.dropFirst())
        return first
    }
}
