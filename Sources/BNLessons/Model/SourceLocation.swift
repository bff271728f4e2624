// Where something sits in a lesson file, and the one error type every user-caused problem becomes.
//
// Deliberately left out: multi-line error spans and "notes"; one line with a hint is what a
// learner editing a lesson needs.

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

    public init(file: String = "", _ location: SourceLocation, _ message: String, hint: String? = nil) {
        self.file = file
        self.location = location
        self.message = message
        self.hint = hint
    }

    /// The one-line form printed by `--headless` and `list`.
    public var description: String {
        var text = "\(file):\(location.line):\(location.column): \(message)"
        if let hint { text += " (hint: \(hint))" }
        return text
    }

    /// The same error, attributed to `file`.
    func inFile(_ file: String) -> LessonError {
        var copy = self
        copy.file = file
        return copy
    }
}
