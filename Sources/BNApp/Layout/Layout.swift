// The whole frame as a function of state: header, body (lesson list or notebook), footer, overlay.
// Also the message shown when the terminal is too small. Leaves out colour decisions beyond a few
// styles: meaning is always carried by text and glyphs too.

import BNLessons
import BNPlots

/// Frame layout: sizes and the top-level render.
public enum Layout {
    public static let minimumWidth = 80
    public static let minimumHeight = 24

    /// Body rows between the header row and the footer row.
    public static func bodyHeight(_ height: Int) -> Int { max(0, height - 2) }

    /// Measures what the screen shows at the state's size and lets the state scroll with it: the
    /// open notebook's cells, or the lesson list's entries around the selection. Hosts call it after
    /// every key and snapshot, before rendering.
    public static func measure(_ state: inout AppState) {
        switch state.screen {
        case .lessonList:
            state.listTop = LessonListView.firstShown(state)
        case .notebook:
            guard let lesson = state.lesson else { return }
            state.measured(cellTops: NotebookView.cellTops(lesson, state: state))
        }
    }

    /// Renders the whole frame for `state` at its size.
    public static func render(_ state: AppState, unicode: Bool) -> Grid {
        var state = state
        state.ascii = !unicode
        var grid = Grid(width: state.width, height: state.height)
        guard state.fitsMinimumSize else {
            renderTooSmall(into: &grid)
            return grid
        }
        let glyphs = unicode ? GlyphSet.unicode : GlyphSet.ascii
        renderHeader(state, into: &grid, unicode: unicode)
        let body = Rect(x: 0, y: 1, width: state.width, height: bodyHeight(state.height))
        switch state.screen {
        case .lessonList: LessonListView.render(state, into: &grid, in: body, unicode: unicode)
        case .notebook: NotebookView.render(state, into: &grid, in: body, glyphs: glyphs, unicode: unicode)
        }
        renderFooter(state, into: &grid)
        switch state.overlay {
        case .none: break
        case .help: Overlays.help(state, into: &grid, unicode: unicode)
        case .knobs: Overlays.knobs(state, into: &grid, unicode: unicode)
        }
        return grid
    }

    static func renderTooSmall(into grid: inout Grid) {
        let lines = [
            "bnlab needs at least \(minimumWidth)x\(minimumHeight)",
            "this terminal is \(grid.width)x\(grid.height)",
            "enlarge the window, or press q to quit",
        ]
        let top = max(0, (grid.height - lines.count) / 2)
        for (i, line) in lines.enumerated() {
            grid.put(line, x: max(0, (grid.width - line.count) / 2), y: top + i, style: Style(bold: i == 0))
        }
    }

    static func renderHeader(_ state: AppState, into grid: inout Grid, unicode: Bool) {
        let bar = Style(reverse: true)
        grid.fill(Rect(x: 0, y: 0, width: grid.width, height: 1), with: Cell(" ", style: bar))
        var left = " bnlab"
        var right = ""
        switch state.screen {
        case .lessonList:
            left += " | lessons"
        case .notebook:
            if let lesson = state.lesson {
                left += " | " + (lesson.order.map { "\($0). " } ?? "") + NotebookView.shown(lesson.title, ascii: state.ascii)
                right = "cell \(state.cellIndex + 1)/\(lesson.cells.count) "
            }
        }
        if let active = state.activeRun, let run = state.runs[active] {
            right = RunStatusText.short(run) + "  " + right
        }
        // A title too long for the bar ends in an ellipsis after a whole word.
        left = TextLayout.fitted(left, width: grid.width - right.count - 1, ellipsis: TextLayout.ellipsis(unicode: unicode))
        grid.put(left, x: 0, y: 0, style: Style(bold: true, reverse: true), clip: Rect(x: 0, y: 0, width: grid.width - right.count - 1, height: 1))
        grid.put(right, x: max(0, grid.width - right.count), y: 0, style: bar)
    }

    static func renderFooter(_ state: AppState, into grid: inout Grid) {
        let y = grid.height - 1
        let text: String
        if let message = state.message {
            text = " " + message
        } else {
            switch (state.overlay, state.screen) {
            case (.help, _): text = " Esc closes help   q quit"
            case (.knobs, _): text = " ↑↓ choose  ←→ change  Enter rerun  r reset  Esc close"
            case (.none, .lessonList): text = " ↑↓ choose  Enter open  x forget progress  ? help  q quit"
            case (.none, .notebook): text = " ↑↓ scroll  n/b cells  Enter run  Space pause  t knobs  l list  ? help  q quit"
            }
        }
        let shown = state.ascii ? ASCIIFallback.convert(text.replacingArrows()) : text
        grid.put(shown, x: 0, y: y, style: Style(dim: state.message == nil, reverse: state.message != nil))
    }
}
