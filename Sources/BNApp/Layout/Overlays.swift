// Boxes drawn over the screen: the `?` help and the `t` knobs.

import BNLessons
import BNPlots

enum Overlays {
    static let helpLines: [(String, String)] = [
        ("↑ ↓  j k", "scroll"),
        ("→ n  ← b", "next / previous cell"),
        ("Enter", "run the current cell's experiment; open a lesson"),
        ("Tab", "next page of variants on a dashboard"),
        ("h", "next page of layers on a dashboard"),
        ("Space", "pause / resume training"),
        ("t", "knobs: change settings, then rerun"),
        ("v", "cycle the dashboard's second panel"),
        ("1-9", "pick an answer in a predict cell"),
        ("g", "open the lesson a text cell refers to"),
        ("l", "back to the lesson list"),
        ("x", "on the list: forget a lesson's progress"),
        ("?", "this help"),
        ("Esc", "close an overlay"),
        ("q", "quit"),
    ]

    static func help(_ state: AppState, into grid: inout Grid, unicode: Bool) {
        let lines = helpLines.map { key, action in
            let k = unicode ? key : key.replacingArrows()
            return k.padding(to: 10) + action
        }
        box(title: "keys", lines: lines + ["", "Esc closes this help"], into: &grid, unicode: unicode)
    }

    static let knobKeys = "←→ change  ↑↓ choose  Enter rerun  r reset  Esc close"

    static func knobs(_ state: AppState, into grid: inout Grid, unicode: Bool) {
        guard let experiment = state.currentExperiment else { return }
        let knobs = state.knobs(of: experiment.name)
        let (left, right) = unicode ? ("‹", "›") : ("<", ">")
        var lines = Knobs.Field.allCases.map { field in
            let pointer = field.rawValue == state.knobSelection ? (unicode ? "▸ " : "> ") : "  "
            var value = knobs.text(field)
            if Knobs.refusal(field, in: experiment) != nil { return pointer + field.label.padding(to: 16) + "compared by the variants: fixed" }
            if value == "lesson", let lessonValue = Knobs.lessonValue(field, in: experiment) { value += ": " + lessonValue }
            return pointer + field.label.padding(to: 16) + "\(left) \(value) \(right)"
        }
        lines += ["", knobs.isTweaked ? "tweaked: claims will show \"not judged\"" : "as the lesson says: claims are judged",
                  unicode ? knobKeys : knobKeys.replacingArrows()]
        box(title: "knobs: \(experiment.name)", lines: lines, into: &grid, unicode: unicode,
            highlight: state.knobSelection)
    }

    /// A centred, bordered box; `highlight` is a line drawn in reverse video.
    static func box(title: String, lines: [String], into grid: inout Grid, unicode: Bool, highlight: Int? = nil) {
        let inner = min(grid.width - 4, max(title.count + 4, lines.map(\.count).max() ?? 0) + 2)
        let height = min(grid.height - 2, lines.count + 2)
        let x0 = (grid.width - inner - 2) / 2, y0 = (grid.height - height) / 2
        let (h, v, tl, tr, bl, br): (Character, Character, Character, Character, Character, Character) =
            unicode ? ("─", "│", "┌", "┐", "└", "┘") : ("-", "|", "+", "+", "+", "+")
        let frame = Style(bold: true)
        grid.fill(Rect(x: x0, y: y0, width: inner + 2, height: height))
        for x in (x0 + 1)..<(x0 + inner + 1) {
            grid.put(h, x: x, y: y0, style: frame)
            grid.put(h, x: x, y: y0 + height - 1, style: frame)
        }
        for y in (y0 + 1)..<(y0 + height - 1) {
            grid.put(v, x: x0, y: y, style: frame)
            grid.put(v, x: x0 + inner + 1, y: y, style: frame)
        }
        grid.put(tl, x: x0, y: y0, style: frame)
        grid.put(tr, x: x0 + inner + 1, y: y0, style: frame)
        grid.put(bl, x: x0, y: y0 + height - 1, style: frame)
        grid.put(br, x: x0 + inner + 1, y: y0 + height - 1, style: frame)
        grid.put(" \(title) ", x: x0 + 2, y: y0, style: frame)
        let clip = Rect(x: x0 + 1, y: y0 + 1, width: inner, height: height - 2)
        for (i, line) in lines.enumerated() {
            grid.put(" " + line, x: x0 + 1, y: y0 + 1 + i, style: Style(reverse: i == highlight), clip: clip)
        }
    }
}

extension String {
    func padding(to width: Int) -> String { count >= width ? self + " " : self + String(repeating: " ", count: width - count) }

    func replacingArrows() -> String {
        String(map { c -> Character in
            switch c {
            case "↑": "^"
            case "↓": "v"
            case "→": ">"
            case "←": "<"
            default: c
            }
        })
    }
}
