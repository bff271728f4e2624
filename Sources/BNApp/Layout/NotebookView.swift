// The notebook body: every cell drawn into its own grid at the body's width, stacked with a blank
// row between cells, and the visible window copied into the frame. The current cell is marked in
// the left gutter. Experiment cells hold the live dashboard (or a non-training run's tables); plot,
// claim and predict cells read the experiment's finished `ExperimentResult` through the lesson
// engine (`PlotCells`, `ClaimEvaluator`, `PredictEvaluator`).

import BNEngine
import BNLessons
import BNPlots
import Foundation

public enum NotebookView {
    /// Columns left of the cell text: a marker for the current cell and a space.
    static let gutter = 2

    /// The content width of cells for a frame `width` wide.
    static func contentWidth(_ width: Int) -> Int { max(10, width - gutter - 1) }

    /// Each cell's first row in notebook coordinates, plus the total height as a last entry.
    public static func cellTops(_ lesson: Notebook, state: AppState) -> [Int] {
        var tops = [0]
        for (i, cell) in lesson.cells.enumerated() {
            tops.append(tops[i] + height(of: cell, index: i, state: state) + 1)
        }
        return tops
    }

    /// A cell's height in rows at the state's size.
    static func height(of cell: CellContent, index: Int, state: AppState) -> Int {
        let width = contentWidth(state.width)
        switch cell {
        case .prose(let raw):
            // Prose changes only when a run fills its `{{ … }}` values: measured once per text and width.
            let text = proseText(raw, index: index, state: state)
            let key = "\(state.lesson?.id ?? "")/\(index)/\(width)/\(state.ascii)/\(text.hashValue)"
            return proseHeights.value(key) { proseLines(text, width: width, ascii: state.ascii).count }
        case .experiment(let e):
            guard let run = state.run(of: e.name) else { return 3 }
            if e.kind == .train { return 2 + dashboardHeight(state) }
            return 2 + (run.result.map { PlotCells.grid(of: shownTables(e, $0, in: state), width: width, ascii: state.ascii).height } ?? 0)
        case .plot(let p):
            guard let plot = plotGrid(p, state: state, width: width, ascii: false) else { return 1 }
            return plot.height
        case .predict(let p): return predictLines(p, index: index, state: state, width: width, unicode: !state.ascii).count
        case .claims(let claims): return claimLines(claims, state: state, width: width, unicode: !state.ascii).count
        }
    }

    /// The dashboard fills the body less the experiment's two header rows and a little context.
    /// With the cell scrolled to the body's second row, the whole dashboard is in view.
    static func dashboardHeight(_ state: AppState) -> Int { max(12, Layout.bodyHeight(state.height) - 3) }

    /// A prose cell's text with its `{{ … }}` values filled from the finished runs (a placeholder
    /// where an experiment has not run yet), as headless fills them.
    /// Filled once per cell and set of finished runs (by generation): not re-parsed every frame.
    static func proseText(_ text: String, index: Int, state: AppState) -> String {
        guard text.contains("{{"), let source = state.lesson?.source else { return text }
        var results: [String: ExperimentResult] = [:]
        var key = "\(state.lesson?.id ?? "")/\(index)"
        for e in source.experiments {
            guard let run = state.run(of: e.name), let result = finishedResult(run) else { continue }
            results[e.name] = result
            key += "/\(e.name)=\(run.generation)"
        }
        return filledProse.value(key) { source.filledProse(cell: index, results: results) }
    }

    /// The result claims, plots and predictions read: only a run that finished.
    static func finishedResult(_ run: ExperimentRun?) -> ExperimentResult? {
        guard let run, run.snapshot.phase == .finished || isDivergedButDone(run) else { return nil }
        return run.result
    }

    /// A run that ended with an unexpected divergence still has numbers worth showing.
    private static func isDivergedButDone(_ run: ExperimentRun) -> Bool {
        if case .failed = run.snapshot.phase { return run.result != nil && !(run.result?.cancelled ?? true) }
        return false
    }

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
            // The cell's rows that fall inside `rect` (a cell may be scrolled part-way off it).
            grid.draw(cellGrid, x: rect.x + gutter, y: rect.y + top, clip: Rect(x: 0, y: rect.y, width: grid.width, height: rect.height))
            if i == state.cellIndex {
                for row in max(0, -top)..<min(h, rect.height - top) {
                    grid.put(marker, x: rect.x, y: rect.y + top + row, style: Style(foreground: .cyan, bold: true))
                }
            }
        }
    }

    static func renderCell(_ cell: CellContent, index: Int, state: AppState, width: Int, height: Int,
                           glyphs: GlyphSet, unicode: Bool) -> Grid {
        var grid = Grid(width: width, height: height)
        switch cell {
        case .prose(let raw):
            for (y, line) in proseLines(proseText(raw, index: index, state: state), width: width, ascii: !unicode).enumerated() {
                var x = 0
                for span in line { x = grid.put(span.text, x: x, y: y, style: span.style) }
            }
        case .experiment(let e):
            renderExperiment(e, index: index, state: state, into: &grid, glyphs: glyphs)
        case .plot(let p):
            if let plot = plotGrid(p, state: state, width: width, ascii: !unicode) {
                grid.draw(plot, x: 0, y: 0)
            } else {
                grid.put("plot (\(p.view.rawValue) of \(p.experiment)): run the experiment above to see this plot",
                         x: 0, y: 0, style: Style(dim: true))
            }
        case .predict(let p):
            put(predictLines(p, index: index, state: state, width: width, unicode: unicode), into: &grid)
        case .claims(let claims):
            put(claimLines(claims, state: state, width: width, unicode: unicode), into: &grid)
        }
        return grid
    }

    /// The plot cell's grid from its experiment's finished run, drawn once per run, width and glyphs.
    static func plotGrid(_ p: PlotSpec, state: AppState, width: Int, ascii: Bool) -> Grid? {
        let run = state.run(of: p.experiment)
        guard let result = finishedResult(run), let run else { return nil }
        let key = "\(state.lesson?.id ?? "")/\(p.location.line)/\(width)/\(ascii)/\(run.generation)"
        return plotGrids.value(key) { PlotCells.grid(for: p, result: result, width: width, ascii: ascii) }
    }

    /// Prose styles; meaning survives without colour (headings have rules, math is Unicode).
    static func proseStyle(_ style: ProseStyle) -> Style {
        switch style {
        case .plain: .plain
        case .strong: Style(bold: true)
        case .emphasis: Style(foreground: .yellow)
        case .code: Style(foreground: .green)
        case .math: Style(foreground: .cyan)
        case .heading: Style(foreground: .magenta, bold: true)
        }
    }

    static func renderExperiment(_ e: ExperimentSpec, index: Int, state: AppState, into grid: inout Grid, glyphs: GlyphSet) {
        // The variants by name when they fit; else how many (the dashboard's key names them).
        var title = "experiment: \(e.name)  (\(e.variantNames.joined(separator: " vs ")))"
        if title.count > grid.width { title = "experiment: \(e.name)  (\(e.variants.count) variants)" }
        let ellipsis = TextLayout.ellipsis(unicode: !state.ascii)
        grid.put(TextLayout.fitted(title, width: grid.width, ellipsis: ellipsis), x: 0, y: 0, style: Style(bold: true))
        guard let run = state.run(of: e.name) else {
            let caption = shown(ExperimentCaption.text(e), ascii: state.ascii)
            grid.put(TextLayout.fitted(caption, width: grid.width, ellipsis: ellipsis), x: 0, y: 1, style: Style(dim: true))
            let hint = e.kind == .train ? "Enter runs it  \(state.ascii ? "-" : "·")  t changes knobs first" : "Enter runs it (instant)"
            grid.put(index == state.cellIndex ? hint : "n moves here, Enter runs it", x: 0, y: 2, style: Style(foreground: .cyan))
            return
        }
        let status = RunStatusText.line(run)
        grid.put(status, x: 0, y: 1, style: Style(foreground: run.isTweaked ? .yellow : .cyan, bold: true))
        let body = Rect(x: 0, y: 2, width: grid.width, height: grid.height - 2)
        if e.kind == .train {
            Dashboard(snapshot: run.snapshot, view: state.dashboardView, page: state.variantPage, layerPage: state.layerPage,
                      dimensions: dimensions(e, state: state)).render(into: &grid, in: body, glyphs: glyphs)
        } else if let result = run.result {
            grid.draw(PlotCells.grid(of: shownTables(e, result, in: state), width: body.width, ascii: glyphs == .ascii),
                      x: body.x, y: body.y, clip: body)
        }
    }

    /// What tells `e`'s variants apart (seeds, a sweep), worked out once per lesson and experiment.
    static func dimensions(_ e: ExperimentSpec, state: AppState) -> VariantDimensions {
        experimentDimensions.value("\(state.lesson?.id ?? "")/\(e.name)/\(e.runCount)") { VariantDimensions.of(e) }
    }

    /// A non-training run's tables, unless a plot cell of the lesson already shows them.
    static func shownTables(_ e: ExperimentSpec, _ result: ExperimentResult, in state: AppState) -> [NumberTable] {
        let plotted = state.lesson?.cells.contains { if case .plot(let p) = $0 { p.experiment == e.name } else { false } } ?? false
        return plotted ? [] : result.variants.flatMap(\.tables)
    }

    /// Styled lines into the cell's grid, from its top-left corner.
    static func put(_ lines: [[StyledText]], into grid: inout Grid) {
        for (y, line) in lines.enumerated() {
            var x = 0
            for span in line { x = grid.put(span.text, x: x, y: y, style: span.style) }
        }
    }

    /// Text as the screen can show it: transliterated to ASCII (μ → mu) when it shows ASCII only.
    static func shown(_ text: String, ascii: Bool) -> String { ascii ? ASCIIFallback.convert(text) : text }

    /// A prose cell's lines: ProseRenderer wraps (in ASCII, after transliterating, as headless output
    /// does); a line still wider than the width (a preformatted block's) is wrapped here, never cut.
    static func proseLines(_ text: String, width: Int, ascii: Bool) -> [[StyledText]] {
        var lines: [[StyledText]] = []
        for line in ProseRenderer.render(text, width: width, ascii: ascii) {
            let spans = line.spans.map { StyledText($0.text, proseStyle($0.style)) }
            if spans.reduce(0, { $0 + $1.text.count }) <= width {
                lines.append(spans)
            } else {
                let indent = spans.first.map { $0.text.prefix { $0 == " " }.count } ?? 0
                lines += TextLayout.wrap(spans, width: width, indent: min(indent, width / 4))
            }
        }
        return lines
    }

    /// A predict cell: the question, the options, then the hint or (after the run) the verdict with
    /// its numbers, every part wrapped to the width.
    static func predictLines(_ p: Predict, index: Int, state: AppState, width: Int, unicode: Bool) -> [[StyledText]] {
        let ascii = !unicode
        var lines = TextLayout.wrap([StyledText("predict: " + shown(p.question, ascii: ascii), Style(bold: true))], width: width)
        let chosen = state.predictions["\(state.lesson?.id ?? "")/\(index)"]
        let run = state.run(of: p.experiment)
        let outcome = finishedResult(run).map { PredictEvaluator.evaluate(p, in: $0) }
        let answer = outcome?.answer.flatMap { p.options.firstIndex(of: $0) }
        for (i, option) in p.options.enumerated() {
            var mark = chosen == i ? (unicode ? "◉" : "(*)") : (unicode ? "○" : "( )")
            if answer == i { mark += unicode ? " ✓" : " <- right" }
            lines += TextLayout.wrap([StyledText("  \(i + 1). \(mark) \(shown(option, ascii: ascii))")], width: width, indent: 7)
        }
        if let outcome {
            var verdict = chosen == nil ? "answer: " : chosen == answer ? "you were right: " : "not this time: "
            verdict += outcome.answer ?? "the numbers cannot tell"
            let numbers = outcome.values.map { "\($0.expression) = \(formatNumber($0.value))" }.joined(separator: ", ")
            lines += TextLayout.wrap([StyledText(shown(verdict + "  (" + numbers + ")", ascii: ascii), Style(foreground: .green))],
                                     width: width)
            if run?.isTweaked == true { lines.append([StyledText("(revealed on a tweaked run)", Style(dim: true))]) }
        } else {
            lines += TextLayout.wrap([StyledText(chosen == nil ? "press 1-\(p.options.count) to predict, then run the experiment"
                                                 : "prediction locked in: run \(p.experiment) to see", Style(dim: true))], width: width)
        }
        return lines
    }

    /// A claims cell: a title, then per claim its mark, text and (after the run) the numbers it
    /// compared, wrapped to the width with continuation lines indented: a claim is never cut.
    static func claimLines(_ claims: [Claim], state: AppState, width: Int, unicode: Bool) -> [[StyledText]] {
        let ascii = !unicode
        let experiment = claims.first?.experiment ?? ""
        var lines: [[StyledText]] = [[StyledText("claims about \(experiment)", Style(bold: true))]]
        let run = state.run(of: experiment)
        let result = finishedResult(run)
        let dot = unicode ? "· " : "- "
        for claim in claims {
            let text = shown(claim.text, ascii: ascii)
            var spans: [StyledText]
            if let result {
                let outcome = ClaimEvaluator.evaluate(claim, in: result)
                var detail = "  " + outcome.comparisonText
                if let note = outcome.note { detail += "  (\(note))" }
                detail = shown(detail, ascii: ascii)
                switch outcome.verdict {
                case .pass, .fail:
                    let passed = outcome.verdict == .pass
                    let mark = passed ? (unicode ? "✓" : "[ok]") : (unicode ? "✗" : "[FAIL]")
                    spans = [StyledText(mark + " ", Style(foreground: passed ? .green : .red, bold: true)), StyledText(text),
                             StyledText(detail, Style(dim: true))]
                case .notJudged:
                    spans = [StyledText(dot + text), StyledText("  not judged (tweaked run)", Style(foreground: .yellow)),
                             StyledText(detail, Style(dim: true))]
                }
            } else {
                let pending = run?.snapshot.phase.isActive == true ? "waiting for the run"
                    : run?.snapshot.phase == .cancelled ? "stopped: rerun to check" : "run the experiment to check"
                spans = [StyledText(dot + text), StyledText("  " + pending, Style(dim: true))]
            }
            lines += TextLayout.wrap(spans, width: width, indent: 2)
        }
        return lines
    }
}

/// One line saying what an experiment compares, from its first variant's plan.
enum ExperimentCaption {
    static func text(_ e: ExperimentSpec) -> String {
        guard let first = e.variants.first else { return e.kind.rawValue }
        switch first.plan {
        case .train(let plan):
            let config = plan.config
            let hidden = config.network.layers.dropLast()
            let widths = hidden.map { String($0.outputs) }.joined(separator: "-")
            let activation = hidden.first?.activation.rawValue ?? "linear"
            return "\(plan.data.dataset), hidden \(widths.isEmpty ? "none" : widths) \(activation), "
                + "\(config.optimizer.name) lr \(formatNumber(Double(config.optimizer.learningRate))), "
                + "batch \(config.batchSize), \(config.steps) steps"
        case .transform(let plan):
            return "one batch of \(plan.examples) examples × \(plan.features) features through BN"
        case .batchNoise(let plan):
            return "spread of batch means on \(plan.data.dataset) for batch sizes "
                + plan.batchSizes.map(String.init).joined(separator: ", ")
        }
    }
}

/// What the notebook view has drawn or measured, by key: it asks for every plot's grid and every
/// prose cell's height after each key, snapshot and frame, and neither changes for a given key (a
/// finished run's plots, prose at one width). Cleared whole when it holds more than `limit`.
///
/// NOTE: `@unchecked Sendable` is safe because `values` is only touched while holding `lock`.
final class ViewCache<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [String: Value] = [:]
    private let limit: Int

    init(limit: Int) { self.limit = limit }

    func value(_ key: String, make: () -> Value) -> Value {
        if let hit = lock.withLock({ values[key] }) { return hit }
        let value = make()
        lock.withLock {
            if values.count > limit { values.removeAll() }
            values[key] = value
        }
        return value
    }
}

/// Plot grids, by lesson, plot, width, glyphs and run.
let plotGrids = ViewCache<Grid>(limit: 256)
/// Prose cells' heights, by lesson, cell and width.
let proseHeights = ViewCache<Int>(limit: 4096)
/// Experiments' variant dimensions, by lesson and experiment.
let experimentDimensions = ViewCache<VariantDimensions>(limit: 256)
/// Prose cells' text with `{{ … }}` filled, by lesson, cell and the finished runs' generations.
let filledProse = ViewCache<String>(limit: 1024)
