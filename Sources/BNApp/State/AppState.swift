// The whole app as a value: which screen, which cell, which overlay, what each run showed last.
// `handle(_:)` maps a key to the next state plus the effects the host must carry out; the host
// feeds run snapshots back through `apply(_:)`. No clocks, threads or terminals in here.

import BNEngine
import BNLessons
import BNPlots
import Foundation

/// Which screen fills the body.
public enum AppScreen: Equatable, Sendable {
    case lessonList
    case notebook
}

/// What is drawn on top of the screen.
public enum AppOverlay: Equatable, Sendable {
    case none
    case help
    case knobs
}

/// What the app knows about one experiment's latest run.
public struct ExperimentRun: Sendable {
    public var snapshot: RunSnapshot
    /// The knobs the run was started with; a tweaked run is not judged.
    public var knobs: Knobs
    /// Unique per run in this process, so views can cache what a run's result draws.
    public var generation = 0
    public var isTweaked: Bool { knobs.isTweaked }
    /// The lesson engine's result, once the run has ended.
    public var result: ExperimentResult? { snapshot.result }
}

/// The app's state. Mutate it only through `handle(_:)` and `apply(_:)`.
public struct AppState: Sendable {
    public var lessons: [Notebook]
    public var screen: AppScreen = .lessonList
    public var overlay: AppOverlay = .none
    /// Terminal size in cells.
    public var width: Int
    public var height: Int
    /// The highlighted lesson on the list.
    public var listSelection = 0
    /// The first lesson the list shows: the list scrolls to keep the selection whole on screen
    /// (`Layout.measure`, from `LessonListView.firstShown`).
    public internal(set) var listTop = 0
    /// The open lesson (an index into `lessons`).
    public var lessonIndex = 0
    /// The current cell of the open lesson.
    public var cellIndex = 0
    /// The first body row shown (lines of the notebook scrolled off the top).
    public var scroll = 0
    /// Each cell's first row in notebook coordinates, plus the total height as a last entry, as the
    /// notebook view last measured them (`Layout.measure(_:)`, which the host calls after every change).
    public private(set) var cellTops: [Int] = []
    /// A cell to bring into view once the view has measured the cells (a run just changed their heights).
    private var scrollTarget: Int?
    /// The highlighted knob in the knobs overlay.
    public var knobSelection = 0
    /// Knobs per experiment, keyed by `runKey`.
    public var knobs: [String: Knobs] = [:]
    /// Latest run per experiment, keyed by `runKey`.
    public var runs: [String: ExperimentRun] = [:]
    /// The experiment whose run is in progress (at most one runs at a time).
    public var activeRun: String?
    /// The option a learner picked per predict cell, keyed by "lesson/cell".
    public var predictions: [String: Int] = [:]
    /// A one-line message in the footer (errors, hints); cleared by the next key.
    public var message: String?
    public var wantsQuit = false
    /// The dashboard's second panel, cycled by `v`.
    public var dashboardView: DashboardView = .accuracy
    /// The page of variants the dashboards show, cycled by Tab on an experiment cell.
    public var variantPage = 0
    /// The page of hidden layers the dashboards show when not all fit, cycled by `h`.
    public var layerPage = 0
    /// Progress saved by earlier sessions, by lesson id (see Progress.swift).
    public var saved: [String: LessonProgress] = [:]
    /// Whether the screen shows ASCII only (`--ascii`, or a locale that is not UTF-8): math and
    /// symbols are transliterated (μ → mu) as headless output does, never shown as `?`.
    public var ascii = false
    /// A key that needs a second press to take effect (leaving or quitting mid-run).
    public var pendingConfirm: AppKey?
    /// Runs that have trained this long (seconds) ask before `q` or `l` throws them away.
    public static let confirmAfterSeconds = 3.0

    public init(lessons: [Notebook], width: Int, height: Int) {
        self.lessons = lessons
        self.width = width
        self.height = height
    }

    /// Starts on `lessonID`'s first cell instead of the list; returns false if there is no such lesson.
    public mutating func open(lessonID: String) -> Bool {
        guard let index = lessons.firstIndex(where: { $0.id == lessonID }) else { return false }
        openLesson(index)
        return true
    }

    public static func runKey(lesson: String, experiment: String) -> String { "\(lesson)/\(experiment)" }

    public var lesson: Notebook? { lessons.indices.contains(lessonIndex) ? lessons[lessonIndex] : nil }

    public var currentCell: CellContent? {
        guard screen == .notebook, let lesson, lesson.cells.indices.contains(cellIndex) else { return nil }
        return lesson.cells[cellIndex]
    }

    /// The experiment of the current cell, or the nearest one above it.
    public var currentExperiment: ExperimentSpec? {
        guard let lesson, screen == .notebook, !lesson.cells.isEmpty else { return nil }
        if let cell = currentCell, let name = cell.experimentName { return lesson.experiment(named: name) }
        for i in stride(from: min(cellIndex, lesson.cells.count - 1), through: 0, by: -1) {
            if case .experiment(let e) = lesson.cells[i] { return e }
        }
        return nil
    }

    public func run(of experiment: String) -> ExperimentRun? {
        guard let lesson else { return nil }
        return runs[Self.runKey(lesson: lesson.id, experiment: experiment)]
    }

    /// How a run of `experiment` goes: the lesson's own settings (scale 1) with its knobs, a snapshot after every step (the controller throttles them) and variants in parallel.
    public func runOptions(of experiment: String) -> RunOptions {
        RunOptions(scale: 1, knobs: knobs(of: experiment), snapshotInterval: 1, parallel: true)
    }

    public func knobs(of experiment: String) -> Knobs {
        guard let lesson else { return Knobs() }
        return knobs[Self.runKey(lesson: lesson.id, experiment: experiment)] ?? Knobs()
    }

    /// Whether the terminal is big enough for the layouts.
    public var fitsMinimumSize: Bool { width >= Layout.minimumWidth && height >= Layout.minimumHeight }

    // MARK: Keys

    /// Handles one key: updates the state and returns what the host must do.
    public mutating func handle(_ key: AppKey) -> [AppEffect] {
        message = nil
        if case .resize(let w, let h) = key {
            width = w
            height = h
            return []
        }
        // Leaving or quitting would throw away a run of more than a few seconds: ask first.
        let confirmed = pendingConfirm == key
        pendingConfirm = nil
        let leaves = key == .character("l") && screen == .notebook && overlay == .none
        if (key == .character("q") || leaves) && !confirmed, let question = confirmQuestion(leaves ? "go back to the list" : "quit") {
            pendingConfirm = key
            message = question
            return []
        }
        if key == .character("x") && screen == .lessonList && overlay == .none, lessons.indices.contains(listSelection) {
            let lesson = lessons[listSelection]
            if confirmed {
                resetProgress(of: lesson.id)
                message = "progress of '\(lesson.title)' forgotten"
            } else {
                pendingConfirm = key
                message = "press x again to forget your predictions, runs and claims in '\(lesson.title)'"
            }
            return []
        }
        if key == .character("q") {
            wantsQuit = true
            return activeRun == nil ? [.quit] : [.cancelRun, .quit]
        }
        switch overlay {
        case .help:
            if key == .escape || key == .character("?") || key == .enter { overlay = .none }
            return []
        case .knobs:
            return handleKnobs(key)
        case .none:
            break
        }
        if key == .character("?") {
            overlay = .help
            return []
        }
        switch screen {
        case .lessonList: return handleList(key)
        case .notebook: return handleNotebook(key)
        }
    }

    private mutating func handleList(_ key: AppKey) -> [AppEffect] {
        switch key {
        case .up, .character("k"): listSelection = max(0, listSelection - 1)
        case .down, .character("j"): listSelection = min(lessons.count - 1, listSelection + 1)
        case .home: listSelection = 0
        case .end: listSelection = max(0, lessons.count - 1)
        case .enter, .right, .character("n"):
            guard lessons.indices.contains(listSelection) else { break }
            if lessons[listSelection].error != nil {
                message = "this lesson file has an error (shown in the list): fix it and restart bnlab"
            } else {
                openLesson(listSelection)
            }
        default: break
        }
        return []
    }

    private mutating func openLesson(_ index: Int) {
        lessonIndex = index
        listSelection = index
        screen = .notebook
        cellIndex = 0
        scroll = 0
        scrollTarget = nil
        cellTops = []
    }

    private mutating func handleNotebook(_ key: AppKey) -> [AppEffect] {
        guard let lesson else { return [] }
        let bodyHeight = Layout.bodyHeight(height)
        switch key {
        case .tab where variantPages > 1:
            variantPage = (variantPage + 1) % variantPages
        case .right, .character("n"), .tab: moveCell(to: min(lesson.cells.count - 1, cellIndex + 1))
        case .left, .character("b"): moveCell(to: max(0, cellIndex - 1))
        case .down, .character("j"): scrollBy(1)
        case .up, .character("k"): scrollBy(-1)
        case .pageDown: scrollBy(max(1, bodyHeight - 2))
        case .pageUp: scrollBy(-max(1, bodyHeight - 2))
        case .home: moveCell(to: 0)
        case .end: moveCell(to: max(0, lesson.cells.count - 1))
        case .character("l"):
            screen = .lessonList
            listSelection = lessonIndex
            if activeRun != nil { return [.cancelRun] + stopActive() }
        case .character("t"):
            if let e = currentExperiment, e.kind != .train {
                message = "\(e.name) is a \(e.kind.rawValue) experiment: nothing trains, so there are no knobs"
            } else if currentExperiment != nil {
                overlay = .knobs
                knobSelection = 0
            } else {
                message = "no experiment here to tweak: move to an experiment cell (n)"
            }
        case .space:
            return togglePause()
        case .character("v"):
            let sweeps = currentExperiment.map { NotebookView.dimensions($0, state: self).isSweep } ?? false
            dashboardView = dashboardView.next(sweeps: sweeps)
        case .character("g"):
            guard let ids = lesson.references[cellIndex], let id = ids.first,
                  let target = lessons.firstIndex(where: { $0.id == id }) else {
                message = "this cell refers to no other lesson: g opens the lesson a text cell refers to"
                return []
            }
            if activeRun != nil {
                message = "a run is training here: let it finish (or l to stop it) before g opens another lesson"
                return []
            }
            return openReferenced(target, from: lesson)
        case .character("h"):
            let pages = layerPages
            if pages > 1 {
                layerPage = (layerPage + 1) % pages
            } else {
                message = "every hidden layer is on screen: h pages through layers when they do not fit"
            }
        case .enter:
            // Only a cell that belongs to an experiment runs it: Enter on prose never reruns the
            // experiment above (minutes of work), it says where to go instead.
            guard currentCell?.experimentName != nil else {
                message = enterHint
                return []
            }
            return startCurrentRun()
        case .character(let c) where c.isNumber:
            if case .predict(let p) = currentCell, let n = c.wholeNumberValue, n >= 1, n <= p.options.count {
                predictions["\(lesson.id)/\(cellIndex)"] = n - 1
            }
        default: break
        }
        return []
    }

    private mutating func handleKnobs(_ key: AppKey) -> [AppEffect] {
        guard let lesson, let experiment = currentExperiment else {
            overlay = .none
            return []
        }
        let runKey = Self.runKey(lesson: lesson.id, experiment: experiment.name)
        let fields = Knobs.Field.allCases
        switch key {
        case .escape, .character("t"): overlay = .none
        case .up, .character("k"): knobSelection = (knobSelection + fields.count - 1) % fields.count
        case .down, .character("j"), .tab: knobSelection = (knobSelection + 1) % fields.count
        case .right, .character("l"), .character("+"), .space, .left, .character("h"), .character("-"), .backspace:
            let field = fields[knobSelection]
            if let refusal = Knobs.refusal(field, in: experiment) {
                message = refusal
                return []
            }
            let forward = [AppKey.right, .character("l"), .character("+"), .space].contains(key)
            knobs[runKey, default: Knobs()].cycle(field, by: forward ? 1 : -1)
        case .character("r"): knobs[runKey] = Knobs()
        case .enter:
            overlay = .none
            return startCurrentRun()
        default: break
        }
        return []
    }

    /// Pages of variants the current experiment cell's dashboard has at this width (1 elsewhere).
    public var variantPages: Int {
        guard case .experiment(let e)? = currentCell, e.kind == .train, run(of: e.name) != nil else { return 1 }
        return VariantPaging(count: NotebookView.dimensions(e, state: self).columns.count, width: NotebookView.contentWidth(width)).pages
    }

    /// Opens the lesson at `target`, saying where the learner came from.
    private mutating func openReferenced(_ target: Int, from lesson: Notebook) -> [AppEffect] {
        openLesson(target)
        let number = lessons[target].order.map { "\($0). " } ?? ""
        message = "opened \(number)\(lessons[target].title) (referred to by \(lesson.title)); l goes back to the list"
        return []
    }

    /// Pages of hidden layers the current experiment cell's dashboard has at this size (1 elsewhere).
    public var layerPages: Int {
        guard case .experiment(let e)? = currentCell, e.kind == .train, let run = run(of: e.name) else { return 1 }
        let rect = Rect(x: 0, y: 0, width: NotebookView.contentWidth(width), height: NotebookView.dashboardHeight(self))
        return Dashboard(snapshot: run.snapshot, view: dashboardView, page: variantPage, layerPage: layerPage,
                         dimensions: NotebookView.dimensions(e, state: self)).layout(rect).layers.pages
    }

    /// What Enter on a cell without an experiment says: the nearest experiment cell and how to get there.
    var enterHint: String {
        guard let lesson else { return "no experiment here" }
        let experiments = lesson.cells.indices.filter { if case .experiment = lesson.cells[$0] { true } else { false } }
        if let next = experiments.first(where: { $0 > cellIndex }), case .experiment(let e) = lesson.cells[next] {
            return "Enter runs the experiment of the current cell; this is text. Next experiment: \(e.name) (n \(next - cellIndex)x)"
        }
        if let previous = experiments.last(where: { $0 < cellIndex }), case .experiment(let e) = lesson.cells[previous] {
            return "Enter runs the experiment of the current cell; this is text. Previous experiment: \(e.name) (b \(cellIndex - previous)x)"
        }
        return "this lesson has no experiment to run"
    }

    /// The question to ask before `action` throws away the active run, or nil when nothing worth
    /// keeping is training (no run, or one that has trained less than `confirmAfterSeconds`).
    func confirmQuestion(_ action: String) -> String? {
        guard let active = activeRun, let run = runs[active], run.snapshot.phase.isActive,
              run.snapshot.elapsed + run.snapshot.loadSeconds >= Self.confirmAfterSeconds else { return nil }
        let name = active.split(separator: "/").last.map(String.init) ?? active
        let key = action == "quit" ? "q" : "l"
        return "\(name) is training (\(Int(run.snapshot.elapsed)) s): press \(key) again to stop it and \(action), any other key keeps it"
    }

    private mutating func togglePause() -> [AppEffect] {
        guard let active = activeRun, var run = runs[active] else {
            message = "nothing is training: Enter runs the experiment"
            return []
        }
        let pausing = run.snapshot.phase != .paused
        run.snapshot.phase = pausing ? .paused : .training
        runs[active] = run
        return [.setPaused(pausing)]
    }

    private mutating func startCurrentRun() -> [AppEffect] {
        guard let lesson, let experiment = currentExperiment else {
            message = "no experiment here: n moves to the next cell"
            return []
        }
        let key = Self.runKey(lesson: lesson.id, experiment: experiment.name)
        var effects: [AppEffect] = activeRun != nil ? [.cancelRun] : []
        effects += stopActive()
        let knobs = self.knobs(of: experiment.name)
        runs[key] = ExperimentRun(
            snapshot: RunSnapshot(phase: .loading, variantNames: RunController.runs(experiment).names,
                                  records: Array(repeating: RunRecord(), count: experiment.runCount), stepsDone: 0,
                                  totalSteps: RunController.plannedSteps(experiment, options: runOptions(of: experiment.name)),
                                  elapsed: 0),
            knobs: knobs, generation: RunGeneration.next())
        activeRun = key
        // A sweep opens on its sweep chart; other experiments never show that view.
        let sweeps = NotebookView.dimensions(experiment, state: self).isSweep
        if sweeps { dashboardView = .sweep } else if dashboardView == .sweep { dashboardView = .accuracy }
        // Bring the experiment's dashboard into view (Enter may come from its predict or plot cell).
        if let index = lesson.cells.firstIndex(where: { if case .experiment(let e) = $0 { e.name == experiment.name } else { false } }) {
            moveCell(to: index)
        }
        effects.append(.startRun(lesson: lesson.id, experiment: experiment.name))
        return effects
    }

    /// Marks the active run cancelled (the host stops its thread).
    private mutating func stopActive() -> [AppEffect] {
        if let active = activeRun, var run = runs[active], run.snapshot.phase.isActive {
            run.snapshot.phase = .cancelled
            runs[active] = run
        }
        activeRun = nil
        return []
    }

    // MARK: Runs

    /// Shows the newest snapshot of the active run.
    public mutating func apply(_ snapshot: RunSnapshot) {
        guard let active = activeRun, var run = runs[active] else { return }
        // A pause the learner just asked for wins over a snapshot sent before the thread saw it.
        let pausedLocally = run.snapshot.phase == .paused
        run.snapshot = snapshot
        if pausedLocally && snapshot.phase == .training { run.snapshot.phase = .paused }
        runs[active] = run
        if !snapshot.phase.isActive { activeRun = nil }
    }

    // MARK: Scrolling

    private mutating func moveCell(to index: Int) {
        cellIndex = index
        scrollTarget = index
        bringTargetIntoView()
    }

    private mutating func scrollBy(_ delta: Int) {
        scrollTarget = nil
        scroll += delta
        clampScroll()
        // The current cell follows the viewport: the last cell starting at or above its second row.
        if let i = cellTops.dropLast().lastIndex(where: { $0 <= scroll + 1 }) { cellIndex = i }
    }

    /// Takes the notebook view's measurement of the open lesson's cells (see `cellTops`), then
    /// brings a pending cell into view and keeps the scroll inside the notebook.
    public mutating func measured(cellTops tops: [Int]) {
        cellTops = tops
        bringTargetIntoView()
        scrollTarget = nil
        clampScroll()
    }

    private mutating func bringTargetIntoView() {
        guard let target = scrollTarget, cellTops.indices.contains(target) else { return }
        scroll = max(0, cellTops[target] - 1)
        clampScroll()
    }

    mutating func clampScroll() {
        guard screen == .notebook, lesson != nil else { scroll = 0; return }
        let total = cellTops.last ?? 0
        scroll = max(0, min(scroll, total - Layout.bodyHeight(height) / 2))
    }
}

/// Numbers runs across every `AppState` in the process (tests hold many), so a cache keyed by a
/// run's generation never mixes two runs up.
///
/// NOTE: `@unchecked Sendable` is safe because `last` is only touched while holding `lock`.
final class RunGeneration: @unchecked Sendable {
    private static let shared = RunGeneration()
    private let lock = NSLock()
    private var last = 0

    static func next() -> Int { shared.lock.withLock { shared.last += 1; return shared.last } }
}
