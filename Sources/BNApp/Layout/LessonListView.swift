// The lesson list: title, estimated time and marks (run, claims passed) per lesson, with its
// summary; a lesson file that does not parse shows its `file:line:column` error instead.

import BNLessons
import BNPlots

enum LessonListView {
    static func render(_ state: AppState, into grid: inout Grid, in rect: Rect, unicode: Bool) {
        var y = rect.y + 1
        grid.put("Lessons", x: rect.x + 2, y: y, style: Style(bold: true), clip: rect)
        y += 2
        if state.lessons.isEmpty {
            grid.put("No lessons found. Pass --lessons-directory DIR or set BNLAB_LESSONS.", x: rect.x + 2, y: y, clip: rect)
            return
        }
        let width = rect.width - 4
        for (i, lesson) in state.lessons.enumerated() {
            guard y < rect.maxY - 1 else { break }
            let selected = i == state.listSelection
            let pointer = selected ? (unicode ? "▸ " : "> ") : "  "
            let marks = lesson.error == nil ? Marks.text(for: lesson, in: state, unicode: unicode) : (unicode ? "✗ error" : "[error]")
            let right = (lesson.error == nil ? "~" + lesson.estimatedTime : "") + (marks.isEmpty ? "" : "  " + marks)
            // The lesson's own number (front matter `order`), as in the README and the file name.
            let title = "\(pointer)\(lesson.order.map { "\($0). " } ?? "")\(NotebookView.shown(lesson.title, ascii: !unicode))"
            grid.put(title, x: rect.x + 2, y: y, style: Style(bold: true, reverse: selected),
                     clip: Rect(x: rect.x + 2, y: y, width: width - right.count - 1, height: 1))
            grid.put(right, x: rect.x + 2 + width - right.count, y: y, style: Style(dim: !selected), clip: rect)
            y += 1
            let under = NotebookView.shown(lesson.error ?? lesson.summary, ascii: !unicode)
            let style = lesson.error == nil ? Style(dim: true) : Style(foreground: .red)
            for line in TextLayout.wrap(under, width: width - 5).prefix(lesson.error == nil ? 2 : 3) where y < rect.maxY {
                grid.put(line, x: rect.x + 7, y: y, style: style, clip: rect)
                y += 1
            }
            y += 1
        }
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
