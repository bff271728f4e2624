// The notebook body: every cell drawn into its own grid at the body's width, stacked with a blank
// row between cells, and the visible window copied into the frame. The current cell is marked in
// the left gutter. Experiment cells hold the live dashboard; claims and predictions read its run.

import BNEngine
import BNPlots

public enum NotebookView {
    /// Columns left of the cell text: a marker for the current cell and a space.
    static let gutter = 2

    /// The content width of cells for a frame `width` wide.
    static func contentWidth(_ width: Int) -> Int { max(10, width - gutter - 1) }

    /// Each cell's first row in notebook coordinates, plus the total height as a last entry.
    public static func cellTops(_ lesson: Notebook, state: AppState) -> [Int] {
        var tops = [0]
        for (i, cell) in lesson.cells.enumerated() {
            tops.append(tops[i] + height(of: cell, state: state) + 1)
        }
        return tops
    }

    /// A cell's height in rows at the state's size.
    static func height(of cell: NotebookCell, state: AppState) -> Int {
        let width = contentWidth(state.width)
        switch cell {
        case .prose(let text): return TextLayout.prose(text, width: width, unicode: true).count
        case .experiment(let e): return state.run(of: e.name) == nil ? 3 : 2 + dashboardHeight(state)
        case .predict(let p): return 3 + p.options.count
        case .claims(let c): return 1 + c.claims.count
        }
    }

    /// The dashboard fills the body less the experiment's two header rows and a little context.
    /// With the cell scrolled to the body's second row, the whole dashboard is in view.
    static func dashboardHeight(_ state: AppState) -> Int { max(12, Layout.bodyHeight(state.height) - 4) }

    static func render(_ state: AppState, into grid: inout Grid, in rect: Rect, glyphs: GlyphSet, unicode: Bool) {
        guard let lesson = state.lesson else { return }
        let tops = cellTops(lesson, state: state)
        let width = contentWidth(state.width)
        let marker: Character = unicode ? "▌" : ">"
        for (i, cell) in lesson.cells.enumerated() {
            let top = tops[i] - state.scroll
            let h = tops[i + 1] - tops[i] - 1
            guard top < rect.height, top + h > 0 else { continue }
            let cellGrid = renderCell(cell, index: i, state: state, width: width, height: h, glyphs: glyphs, unicode: unicode)
            for row in max(0, -top)..<min(h, rect.height - top) {
                let y = rect.y + top + row
                for x in 0..<cellGrid.width { grid[rect.x + gutter + x, y] = cellGrid[x, row] }
                if i == state.cellIndex { grid.put(marker, x: rect.x, y: y, style: Style(foreground: .cyan, bold: true)) }
            }
        }
    }

    static func renderCell(_ cell: NotebookCell, index: Int, state: AppState, width: Int, height: Int,
                           glyphs: GlyphSet, unicode: Bool) -> Grid {
        var grid = Grid(width: width, height: height)
        let dim = Style(dim: true), bold = Style(bold: true)
        switch cell {
        case .prose(let text):
            for (y, line) in TextLayout.prose(text, width: width, unicode: unicode).enumerated() {
                grid.put(line.text, x: 0, y: y, style: line.style)
            }
        case .experiment(let e):
            let title = "experiment: \(e.name)  (\(e.variants.map(\.name).joined(separator: " vs ")))"
            grid.put(title, x: 0, y: 0, style: bold)
            guard let run = state.run(of: e.name) else {
                grid.put(e.caption, x: 0, y: 1, style: dim)
                grid.put(index == state.cellIndex ? "Enter runs it  ·  t changes knobs first" : "n moves here, Enter runs it",
                         x: 0, y: 2, style: Style(foreground: .cyan))
                return grid
            }
            let status = RunStatusText.line(run)
            grid.put(status, x: 0, y: 1, style: Style(foreground: run.isTweaked ? .yellow : .cyan, bold: true))
            Dashboard(snapshot: run.snapshot, view: state.dashboardView)
                .render(into: &grid, in: Rect(x: 0, y: 2, width: width, height: height - 2), glyphs: glyphs)
        case .predict(let p):
            grid.put("predict: " + p.question, x: 0, y: 0, style: bold)
            let key = "\(state.lesson?.id ?? "")/\(index)"
            let chosen = state.predictions[key]
            let run = state.run(of: p.experiment)
            let answer = run.flatMap { $0.snapshot.phase == .finished ? p.answer($0.snapshot.recordsByVariant) : nil }
            for (i, option) in p.options.enumerated() {
                var mark = chosen == i ? (unicode ? "◉" : "(*)") : (unicode ? "○" : "( )")
                if let answer, answer.option == i { mark += unicode ? " ✓" : " <- right" }
                grid.put("  \(i + 1). \(mark) \(option)", x: 0, y: 1 + i)
            }
            let y = 1 + p.options.count
            if let answer {
                var verdict = chosen == nil ? "answer: " : chosen == answer.option ? "you were right: " : "not this time: "
                verdict += p.options.indices.contains(answer.option) ? p.options[answer.option] : "?"
                grid.put(verdict + "  (" + answer.explanation + ")", x: 0, y: y, style: Style(foreground: .green))
                if run?.isTweaked == true { grid.put("(revealed on a tweaked run)", x: 0, y: y + 1, style: dim) }
            } else {
                grid.put(chosen == nil ? "press 1-\(p.options.count) to predict, then run the experiment"
                         : "prediction locked in: run \(p.experiment) to see", x: 0, y: y, style: dim)
            }
        case .claims(let c):
            let run = state.run(of: c.experiment)
            let judged = run.map { $0.snapshot.phase == .finished && !$0.isTweaked } ?? false
            grid.put("claims about \(c.experiment)", x: 0, y: 0, style: bold)
            for (i, claim) in c.claims.enumerated() {
                let y = 1 + i
                if judged, let run {
                    let verdict = claim.judge(run.snapshot.recordsByVariant)
                    let mark = verdict.passed ? (unicode ? "✓" : "[ok]") : (unicode ? "✗" : "[FAIL]")
                    let x = grid.put("\(mark) ", x: 0, y: y, style: Style(foreground: verdict.passed ? .green : .red, bold: true))
                    let after = grid.put(claim.text, x: x, y: y)
                    grid.put("  " + verdict.detail, x: after, y: y, style: dim)
                } else {
                    let pending = run?.snapshot.phase == .finished ? "not judged (tweaked run)"
                        : run?.snapshot.phase.isActive == true ? "waiting for the run" : "run the experiment to check"
                    let x = grid.put((unicode ? "· " : "- ") + claim.text, x: 0, y: y)
                    grid.put("  " + pending, x: x, y: y, style: dim)
                }
            }
        }
        return grid
    }
}
