// The lesson list: title, estimated time and marks (run, claims passed) per lesson, with its
// summary; a lesson file that does not parse shows its `file:line:column` error instead.

import BNLessons
import BNPlots

enum LessonListView {
    /// The first body row an entry can take: below the "Lessons" heading and a blank row.
    static let entriesOffset = 3
    /// The most lines under a title: a summary or a parse error longer than this ends in an ellipsis.
    static let maximumLinesUnder = 4

    /// One lesson's entry as the list shows it at a width.
    struct Entry {
        /// The title with its pointer and number, wrapped beside `right`.
        var titleLines: [String]
        /// The estimated time and the marks, on the title's first row.
        var right: String
        /// The summary, or the parse error, wrapped, and its column (under the title's first letter).
        var under: [String]
        var underColumn: Int
        var isError: Bool
        /// Rows taken: the title's, the lines under it, a blank row.
        var height: Int { titleLines.count + under.count + 1 }
    }

    static func entry(_ i: Int, _ state: AppState, width: Int, unicode: Bool) -> Entry {
        let lesson = state.lessons[i]
        let selected = i == state.listSelection
        let marks = lesson.error == nil ? Marks.text(for: lesson, in: state, unicode: unicode) : (unicode ? "✗ error" : "[error]")
        let right = (lesson.error == nil ? "~" + NotebookView.shown(lesson.estimatedTime, ascii: !unicode) : "")
            + (marks.isEmpty ? "" : "  " + marks)
        // The lesson's own number (front matter `order`), as in the README and the file name.
        let lead = (selected ? (unicode ? "▸ " : "> ") : "  ") + (lesson.order.map { "\($0). " } ?? "")
        let titleLines = TextLayout.wrap(NotebookView.shown(lesson.title, ascii: !unicode), width: width - right.count - 1,
                                         indent: String(repeating: " ", count: lead.count), firstPrefix: lead)
        // Under the title's first letter, and no further left than under a one-digit number's.
        let underColumn = max(5, lead.count), underWidth = width - underColumn
        var under = TextLayout.wrap(NotebookView.shown(lesson.error ?? lesson.summary, ascii: !unicode), width: underWidth)
        if under.count > maximumLinesUnder {
            under = Array(under.prefix(maximumLinesUnder))
            let ellipsis = TextLayout.ellipsis(unicode: unicode)
            under[maximumLinesUnder - 1] = TextLayout.fitted(under[maximumLinesUnder - 1] + " " + ellipsis, width: underWidth, ellipsis: ellipsis)
        }
        if under == [""] { under = [] }
        return Entry(titleLines: titleLines, right: right, under: under, underColumn: underColumn, isError: lesson.error != nil)
    }

    static func render(_ state: AppState, into grid: inout Grid, in rect: Rect, unicode: Bool) {
        var y = rect.y + 1
        grid.put("Lessons", x: rect.x + 2, y: y, style: Style(bold: true), clip: rect)
        if state.lessons.isEmpty {
            grid.put("No lessons found. Pass --lessons DIR or set BNLAB_LESSONS.", x: rect.x + 2, y: y + 2, clip: rect)
            return
        }
        let width = rect.width - 4
        let entries = state.lessons.indices.map { entry($0, state, width: width, unicode: unicode) }
        let heights = entries.map(\.height), rows = rect.height - entriesOffset
        let first = firstShown(selection: state.listSelection, top: state.listTop, heights: heights, rows: rows)
        let last = lastShown(from: first, heights: heights, rows: rows)
        // What the window hides, on the heading's row: the footer's ↑↓ bring it in.
        let above = first, below = state.lessons.count - 1 - last
        if above > 0 || below > 0 {
            var parts = [String]()
            if above > 0 { parts.append((unicode ? "↑ " : "^ ") + "\(above) more above") }
            if below > 0 { parts.append((unicode ? "↓ " : "v ") + "\(below) more below") }
            let hint = parts.joined(separator: "  ")
            grid.put(hint, x: max(rect.x + 10, rect.x + 2 + width - hint.count), y: y, style: Style(dim: true), clip: rect)
        }
        y += entriesOffset - 1
        for i in first...last {
            let entry = entries[i], selected = i == state.listSelection
            let titleWidth = width - entry.right.count - 1
            grid.put(entry.right, x: rect.x + 2 + titleWidth + 1, y: y, style: Style(dim: !selected), clip: rect)
            for (k, line) in entry.titleLines.enumerated() where y < rect.maxY {
                // A continuation line's indent stays out of the highlight.
                let indent = k == 0 ? 0 : line.prefix { $0 == " " }.count
                grid.put(String(line.dropFirst(indent)), x: rect.x + 2 + indent, y: y, style: Style(bold: true, reverse: selected),
                         clip: Rect(x: rect.x + 2, y: y, width: titleWidth, height: 1))
                y += 1
            }
            let style = entry.isError ? Style(foreground: .red) : Style(dim: true)
            for line in entry.under where y < rect.maxY {
                grid.put(line, x: rect.x + 2 + entry.underColumn, y: y, style: style, clip: rect)
                y += 1
            }
            y += 1
        }
    }

    /// The first entry to show in `rows` rows so that the selected one is whole on screen (if it fits
    /// at all), scrolled as little as possible from `top`, and with no rows left empty at the bottom
    /// while entries above are hidden. Entries i…j take Σ heights − 1 rows (the last one's blank row
    /// may fall off the screen).
    static func firstShown(selection: Int, top: Int, heights: [Int], rows: Int) -> Int {
        guard !heights.isEmpty else { return 0 }
        let selection = min(max(0, selection), heights.count - 1)
        func span(_ range: ClosedRange<Int>) -> Int { range.reduce(0) { $0 + heights[$1] } - 1 }
        var first = min(max(0, top), selection)
        while first < selection && span(first...selection) > rows { first += 1 }
        while first > 0 && span((first - 1)...(heights.count - 1)) <= rows { first -= 1 }
        return first
    }

    /// The last entry whose first title row fits in `rows` rows when the list starts at `first`: at least `first`.
    static func lastShown(from first: Int, heights: [Int], rows: Int) -> Int {
        var last = first, used = heights[first]
        while last + 1 < heights.count && used + 1 <= rows {
            last += 1
            used += heights[last]
        }
        return last
    }

    /// The first entry shown for `state` in a body of its size (what `Layout.measure` keeps in `listTop`).
    static func firstShown(_ state: AppState) -> Int {
        let width = state.width - 4, unicode = !state.ascii
        return firstShown(selection: state.listSelection, top: state.listTop,
                          heights: state.lessons.indices.map { entry($0, state, width: width, unicode: unicode).height },
                          rows: Layout.bodyHeight(state.height) - entriesOffset)
    }
}

/// A lesson's marks on the list: whether it has been run, how many claims passed (this session's
/// runs over the saved progress of earlier sessions), or that a tweaked run's claims were not judged.
enum Marks {
    /// What this session's runs of `lesson` show: experiments run to the end, claim counts per
    /// experiment whose run finished.
    static func live(_ lesson: Notebook, in state: AppState) -> (ran: Set<String>, claims: [String: ClaimCounts]) {
        var ran = Set<String>()
        var claims: [String: ClaimCounts] = [:]
        for cell in lesson.cells {
            switch cell {
            case .experiment(let e):
                if state.runs[AppState.runKey(lesson: lesson.id, experiment: e.name)]?.result?.cancelled == false { ran.insert(e.name) }
            case .claims(let list):
                for claim in list {
                    guard let run = state.runs[AppState.runKey(lesson: lesson.id, experiment: claim.experiment)],
                          run.snapshot.phase == .finished, let result = run.result else { continue }
                    var counts = claims[claim.experiment] ?? ClaimCounts()
                    counts.total += 1
                    switch ClaimEvaluator.evaluate(claim, in: result).verdict {
                    case .pass: counts.passed += 1
                    case .notJudged: counts.notJudged += 1
                    case .fail: break
                    }
                    claims[claim.experiment] = counts
                }
            default: break
            }
        }
        return (ran, claims)
    }

    static func text(for lesson: Notebook, in state: AppState, unicode: Bool) -> String {
        let saved = state.saved[lesson.id] ?? LessonProgress()
        let live = live(lesson, in: state)
        let ran = !live.ran.isEmpty || !saved.ran.isEmpty
        guard ran else { return "" }
        let claims = saved.claims.merging(live.claims) { _, new in new }
        var total = 0
        for cell in lesson.cells { if case .claims(let list) = cell { total += list.count } }
        let passed = claims.values.reduce(0) { $0 + $1.passed }
        let notJudged = claims.values.reduce(0) { $0 + $1.notJudged }
        let check = unicode ? "✓" : "+"
        guard total > 0 else { return "\(check) run" }
        if notJudged > 0 && passed == 0 { return "\(check) run, tweaked: not judged" }
        return "\(check) run, \(passed)/\(total) claims" + (notJudged > 0 ? ", \(notJudged) not judged" : "")
    }
}

/// Run status as text: the header's short form and the experiment cell's status line.
enum RunStatusText {
    static func short(_ run: ExperimentRun) -> String {
        let s = run.snapshot
        let percent = s.totalSteps > 0 ? 100 * s.stepsDone / s.totalSteps : 0
        switch s.phase {
        case .loading: return "loading"
        case .training: return "training \(percent)%"
        case .paused: return "paused \(percent)%"
        case .finished: return "done"
        case .cancelled: return "stopped"
        case .failed: return "failed"
        }
    }

    /// Seconds left at the average rate so far; nil before two seconds of training (too noisy).
    static func secondsLeft(_ s: RunSnapshot) -> Double? {
        guard s.elapsed >= 2, s.stepsDone > 0, s.totalSteps > s.stepsDone else { return nil }
        return Double(s.totalSteps - s.stepsDone) * s.elapsed / Double(s.stepsDone)
    }

    /// `42 s`, `3 min 5 s`, `2 h 10 min`.
    static func duration(_ seconds: Double) -> String {
        let t = Int(seconds.rounded(.up))
        if t < 60 { return "\(t) s" }
        if t < 3600 { return "\(t / 60) min \(t % 60) s" }
        return "\(t / 3600) h \(t % 3600 / 60) min"
    }

    static func line(_ run: ExperimentRun) -> String {
        let s = run.snapshot
        var parts: [String]
        switch s.phase {
        case .loading: parts = ["loading data"]
        case .training: parts = ["training"]
        case .paused: parts = ["PAUSED (Space resumes)"]
        case .finished: parts = ["finished"]
        case .cancelled: parts = ["stopped"]
        case .failed(let message): return "failed: " + message
        }
        // Kinds that do not train (transform, batch_noise) have no steps to count.
        if s.phase != .loading && s.totalSteps > 0 {
            let perVariant = s.variantNames.isEmpty ? s.stepsDone : s.stepsDone / s.variantNames.count
            let perVariantTotal = s.variantNames.isEmpty ? s.totalSteps : s.totalSteps / s.variantNames.count
            parts.append("step \(perVariant)/\(perVariantTotal)")
            // The rate per variant (variants train side by side), and the time left at the rate so far.
            let variants = max(1, s.variantNames.count)
            parts.append("\(Int((s.stepsPerSecond / Double(variants)).rounded())) steps/s per variant")
            parts.append(NumberFormat.fixed(s.elapsed, decimals: 1) + " s")
            if s.phase.isActive, let left = RunStatusText.secondsLeft(s) { parts.append("~" + RunStatusText.duration(left) + " left") }
        }
        if run.isTweaked { parts.append("TWEAKED") }
        return parts.joined(separator: "  ")
    }
}
