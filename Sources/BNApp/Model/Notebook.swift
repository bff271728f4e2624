// The notebook the app steps through: a parsed lesson's cells, in document order. A lesson file that
// does not parse becomes a notebook with no cells and its `file:line:column` error, so the list can
// show it instead of failing. Leaves out parsing itself: that is BNLessons' `LessonParser`.

import BNLessons
import Foundation

/// A lesson as the app shows it.
public struct Notebook: Sendable {
    public var id: String
    public var title: String
    public var summary: String
    /// A human estimate of the time to run everything, e.g. "1 min".
    public var estimatedTime: String
    /// The file it was read from.
    public var file: String
    /// The lesson's number, its front matter's `order`: the number the list, the README's table and
    /// the file name (`06-…`) all show. Nil for a file that does not parse.
    public var order: Int?
    public var cells: [CellContent]
    /// The parsed lesson behind the cells (nil for a file that does not parse, or a notebook built by
    /// hand): its prose's `{{ … }}` values are filled from the runs.
    public var source: Lesson?
    /// The parse error, `file:line:column: what is wrong (hint: …)`, when the file could not be read.
    public var error: String?
    /// The lesson ids each prose cell refers to (`[lesson: id]`), by cell index: `g` opens the first.
    public var references: [Int: [String]] = [:]

    public init(id: String, title: String, summary: String, estimatedTime: String, file: String = "",
                cells: [CellContent], error: String? = nil) {
        self.id = id
        self.title = title
        self.summary = summary
        self.estimatedTime = estimatedTime
        self.file = file
        self.cells = cells
        self.error = error
    }

    /// The notebook of a parsed lesson: one cell per lesson cell.
    public init(_ lesson: Lesson) {
        self.init(id: lesson.id, title: lesson.title, summary: lesson.frontMatter.summary,
                  estimatedTime: lesson.frontMatter.estimatedTime, file: lesson.file,
                  cells: lesson.cells.map(\.content))
        order = lesson.frontMatter.order
        source = lesson
    }

    /// A lesson file that could not be parsed: listed with its error, never opened.
    public static func broken(file: String, error: LessonError) -> Notebook {
        let name = LessonLocator.names(ofFile: file)[0]
        return Notebook(id: name, title: name, summary: "", estimatedTime: "?", file: file, cells: [],
                        error: error.summary)
    }

    /// The experiment named `name`.
    public func experiment(named name: String) -> ExperimentSpec? {
        for cell in cells { if case .experiment(let e) = cell, e.name == name { return e } }
        return nil
    }
}
