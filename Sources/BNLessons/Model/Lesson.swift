// A parsed lesson: front matter and cells in document order.

/// A lesson: metadata plus the cells a learner reads and runs, top to bottom.
public struct Lesson: Sendable {
    public var frontMatter: FrontMatter
    public var cells: [LessonCell]
    /// The path the lesson was read from (as given), used in error messages.
    public var file: String

    public init(frontMatter: FrontMatter, cells: [LessonCell], file: String) {
        self.frontMatter = frontMatter
        self.cells = cells
        self.file = file
    }

    public var id: String { frontMatter.id }
    public var title: String { frontMatter.title }

    /// The experiments, in order.
    public var experiments: [ExperimentSpec] {
        cells.compactMap { if case .experiment(let e) = $0.content { return e } else { return nil } }
    }

    /// The experiment named `name`.
    public func experiment(named name: String) -> ExperimentSpec? {
        experiments.first { $0.name == name }
    }
}

/// The lesson's YAML front matter.
public struct FrontMatter: Sendable, Equatable {
    public var id: String
    public var title: String
    public var order: Int
    public var summary: String
    /// A human estimate at scale 1, e.g. "2 min".
    public var estimatedTime: String

    public init(id: String, title: String, order: Int, summary: String, estimatedTime: String) {
        self.id = id
        self.title = title
        self.order = order
        self.summary = summary
        self.estimatedTime = estimatedTime
    }
}

/// One cell and the line its source starts on.
public struct LessonCell: Sendable {
    public var location: SourceLocation
    public var content: CellContent

    public init(location: SourceLocation, content: CellContent) {
        self.location = location
        self.content = content
    }
}

/// What a cell is: what the lesson parser produces, the headless runner prints and the app shows.
public enum CellContent: Sendable {
    /// Markdown text (may contain `$…$` math).
    case prose(String)
    /// A set of runs to make: the source of every number the lesson shows.
    case experiment(ExperimentSpec)
    /// A view of an experiment's record.
    case plot(PlotSpec)
    /// Assertions over an experiment's record, each checked after the run.
    case claims([Claim])
    /// A question answered by the experiment's numbers.
    case predict(Predict)

    /// The fence info string that introduces this kind of cell ("prose" for plain text).
    public var kindName: String {
        switch self {
        case .prose: return "prose"
        case .experiment: return "experiment"
        case .plot: return "plot"
        case .claims(let claims): return claims.first?.kind == .check ? "check" : "claim"
        case .predict: return "predict"
        }
    }

    /// The experiment the cell belongs to: itself, or the one its plot, claims or prediction read.
    public var experimentName: String? {
        switch self {
        case .experiment(let e): e.name
        case .plot(let p): p.experiment
        case .claims(let c): c.first?.experiment
        case .predict(let p): p.experiment
        case .prose: nil
        }
    }
}
