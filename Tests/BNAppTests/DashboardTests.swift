// The dashboard with 1 to 40 variants at 80 and 120 columns (a made-up snapshot, so no training):
// unique labels, a key naming every shown variant in full, paging with Tab, numbers whole or
// dropped; and text that wraps instead of being cut (claims, predictions), ASCII transliteration,
// and the keys that keep a run from being lost.
//
// Whole frames are compared with Tests/BNAppTests/Snapshots/*.txt; after a deliberate change to
// the layout, rerun with BNLAB_RECORD_SNAPSHOTS=1 to rewrite them, and read the diff.

@testable import BNApp
import BNEngine
import BNLessons
import BNPlots
import Foundation
import Testing

@Suite struct DashboardTests {
    static let sizes = [(80, 24), (120, 40)]
    static let counts = [1, 6, 12, 40]

    static let snapshotDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots").path

    /// Compares `grid` with the stored snapshot `name`, or stores it when recording.
    func expectSnapshot(_ grid: Grid, _ name: String) throws {
        let path = Self.snapshotDirectory + "/\(name).txt"
        let text = grid.lines.map { $0.replacingOccurrences(of: " +$", with: "", options: .regularExpression) }.joined(separator: "\n") + "\n"
        if ProcessInfo.processInfo.environment["BNLAB_RECORD_SNAPSHOTS"] != nil {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return
        }
        let stored = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text == stored, "\(name) differs from \(path):\n\(text)")
    }

    @Test func labelsAreUniqueForHundredsOfVariants() {
        let labels = (0..<400).map(VariantLabels.label)
        #expect(Set(labels).count == 400)
        #expect(labels.allSatisfy { $0.count <= 2 })
        #expect(labels.prefix(3) == ["a", "b", "c"])
    }

    @Test(arguments: counts)
    func everySizeShowsAPageOfColumnsWithTheirFullNamesAndWholeNumbers(count: Int) throws {
        for (width, height) in Self.sizes {
            let s = Fixtures.dashboardState(variants: count, width: width, height: height)
            let grid = Layout.render(s, unicode: true)
            let lines = grid.lines
            let text = lines.joined(separator: "\n")
            let paging = VariantPaging(count: count, width: NotebookView.contentWidth(width))
            #expect(paging.perPage <= GlyphSet.unicode.seriesMarkers.count)
            #expect(paging.perPage == min(count, width >= 120 ? 6 : 4))
            // Every variant on the page is named in full next to its label, on one line.
            for v in paging.variants(page: 0) {
                let entry = VariantLabels.label(v) + " " + Fixtures.variantNames(count)[v]
                #expect(lines.contains { $0.contains(entry + " ") || $0.hasSuffix(entry) }, "\(count)@\(width): no key entry '\(entry)'")
            }
            if paging.pages > 1 {
                #expect(text.contains("variants 1-\(paging.perPage) of \(count) (Tab: next)"))
            }
            // A statistic is shown whole or not at all: μ, σ and sat are always followed by a number.
            #expect(text.firstMatch(of: /[μσ] ?(?![ ]?-?[0-9])/) == nil, "cut statistic at \(count)@\(width):\n\(text)")
            #expect(text.firstMatch(of: /sat(?! [0-9])/) == nil)
            // Out-of-range counts never run together or into each other.
            #expect(text.firstMatch(of: /◂[0-9.kMG]*▸|[0-9.kMG]◂|▸[0-9]/) == nil, "run-together counts at \(count)@\(width):\n\(text)")
            #expect(text.contains("◂2.1k"))
            // The experiment's title names the variants or says how many: never a cut list.
            let names = Fixtures.variantNames(count).joined(separator: " vs ")
            #expect(text.contains("experiment: sweep  (\(names))") || text.contains("experiment: sweep  (\(count) variants)"))
            // Legends name series by label: never a cut name.
            #expect(!text.contains("zscore_b "))
            try expectSnapshot(grid, "dashboard-\(count)-\(width)x\(height)")
        }
    }

    @Test func tabPagesThroughTheVariantsAndThenMovesOn() {
        var s = Fixtures.dashboardState(variants: 12, width: 80, height: 24)
        let cell = s.cellIndex
        #expect(s.variantPages == 3)
        _ = s.press(.tab)
        #expect(s.variantPage == 1 && s.cellIndex == cell)
        var text = Layout.render(s, unicode: true).text
        #expect(text.contains("variants 5-8 of 12"))
        #expect(text.contains("e adam_plain_lr0_01"))
        #expect(!text.contains("a zscore"))
        _ = s.press(.tab)
        _ = s.press(.tab)
        #expect(s.variantPage == 0)
        text = Layout.render(s, unicode: true).text
        #expect(text.contains("variants 1-4 of 12"))
        // One page: Tab is the next cell, as before.
        var one = Fixtures.dashboardState(variants: 2, width: 120, height: 40)
        let before = one.cellIndex
        _ = one.press(.tab)
        #expect(one.cellIndex == before + 1)
    }

    @Test func theStatusLineGivesStepsPerSecondPerVariantAndTheTimeLeft() {
        let s = Fixtures.dashboardState(variants: 6, width: 120, height: 40)
        let text = Layout.render(s, unicode: true).text
        // 120 steps per variant in 12.5 s: 9.6 steps/s each; 80 steps left at that rate: 8.3 s.
        #expect(text.contains("training  step 120/200  10 steps/s per variant  12.5 s  ~9 s left"))
    }

    /// Lines of the cell whose first line starts with `header`, up to the next blank line.
    func cellText(_ grid: Grid, from header: String) -> String {
        let lines = grid.lines.map { String($0.dropFirst(2)) }
        guard let start = lines.firstIndex(where: { $0.hasPrefix(header) }) else { return "" }
        return lines[start...].prefix { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.joined(separator: " ")
    }

    func normalized(_ s: String) -> String { s.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }

    @Test(arguments: [80, 120])
    func longClaimsAndPredictionsWrapWithEveryNumber(width: Int) throws {
        let lesson = Fixtures.manyVariants(12)
        var s = AppState(lessons: [lesson], width: width, height: 60)
        _ = s.open(lessonID: lesson.id)
        _ = s.press(.character("n"))
        _ = s.press(.character("3"))
        _ = s.press(.enter)
        Fixtures.runToEnd(&s, "sweep")
        #expect(s.run(of: "sweep")?.snapshot.phase == .finished)
        let result = try #require(s.run(of: "sweep")?.result)
        guard case .claims(let claims)? = lesson.cells.last else { Issue.record("no claims cell"); return }
        let outcome = ClaimEvaluator.evaluate(claims[0], in: result)
        #expect(claims[0].text.count + outcome.comparisonText.count > width)

        _ = s.press(.end)
        let grid = Layout.render(s, unicode: true)
        let claimsText = normalized(cellText(grid, from: "claims about sweep"))
        #expect(claimsText.contains(normalized(claims[0].text + " " + outcome.comparisonText)), "\(claimsText)")

        _ = s.press(.home)
        _ = s.press(.character("n"))
        let predictGrid = Layout.render(s, unicode: true)
        guard case .predict(let p) = lesson.cells[1] else { Issue.record("no predict cell"); return }
        let predictText = normalized(cellText(predictGrid, from: "predict:"))
        #expect(predictText.contains(normalized(p.question)))
        let verdict = PredictEvaluator.evaluate(p, in: result)
        for value in verdict.values {
            #expect(predictText.contains("\(value.expression) = \(formatNumber(value.value))"), "\(predictText)")
        }
    }

    @Test func asciiShowsMathTransliteratedNotQuestionMarks() {
        let lesson = Fixtures.manyVariants(6)
        var s = AppState(lessons: [lesson], width: 80, height: 24)
        _ = s.open(lessonID: lesson.id)
        let text = Layout.render(s, unicode: false).text
        #expect(text.contains("Prose with math: mu_B = 1/m Sum_i x_i and gamma."), "\(text)")
        #expect(text.allSatisfy { $0.isASCII })
        // The dashboard in ASCII: `mean`/`sd` captions and < > markers, nothing else.
        let dashboard = Layout.render(Fixtures.dashboardState(variants: 12, width: 120, height: 40), unicode: false).text
        #expect(dashboard.allSatisfy { $0.isASCII }, "\(dashboard)")
        #expect(dashboard.contains("mean "))
    }

    /// A state whose active run has trained `seconds`.
    func training(seconds: Double) -> AppState {
        var s = Fixtures.dashboardState(variants: 6, width: 80, height: 24)
        let key = AppState.runKey(lesson: "many-6", experiment: "sweep")
        s.activeRun = key
        s.runs[key]?.snapshot.elapsed = seconds
        return s
    }

    @Test func quittingOrLeavingALongRunAsksFirst() {
        var s = training(seconds: 40)
        do { let effects = s.press(.character("q")); #expect(effects == []) }
        #expect(!s.wantsQuit)
        #expect(s.message?.contains("sweep is training (40 s): press q again") == true)
        _ = s.press(.character("j"))  // any other key: keep training
        #expect(s.pendingConfirm == nil && s.activeRun != nil)
        _ = s.press(.character("q"))
        do { let effects = s.press(.character("q")); #expect(effects == [.cancelRun, .quit]) }
        #expect(s.wantsQuit)

        var l = training(seconds: 40)
        do { let effects = l.press(.character("l")); #expect(effects == []) }
        #expect(l.screen == .notebook && l.activeRun != nil)
        do { let effects = l.press(.character("l")); #expect(effects == [.cancelRun]) }
        #expect(l.screen == .lessonList && l.activeRun == nil)

        // A run of a second or two is not worth a question.
        var short = training(seconds: 1)
        do { let effects = short.press(.character("q")); #expect(effects == [.cancelRun, .quit]) }
    }

    @Test func enterOnProseSaysWhichExperimentInsteadOfRerunning() {
        let lesson = Fixtures.manyVariants(6)
        var s = AppState(lessons: [lesson], width: 80, height: 24)
        _ = s.open(lessonID: lesson.id)
        do { let effects = s.press(.enter); #expect(effects == []) }
        #expect(s.message?.contains("Next experiment: sweep (n 2x)") == true)
        #expect(s.activeRun == nil)
    }
}

@Suite struct LayerPagingTests {
    /// Rows of bars of each histogram block in the first column of `grid`: the rows between a block's
    /// top (the column headers, or the tick labels under the block above) and its axis row,
    /// less a caption row.
    static func barRows(_ grid: Grid) -> [Int] {
        let lines = grid.lines
        guard let header = lines.firstIndex(where: { $0.contains("a zscore") && !$0.contains("experiment") && !$0.contains("variants") })
        else { return [] }
        var rows: [Int] = []
        var top = header
        for (i, line) in lines.enumerated() where i > header && line.contains("◂2.1k") {
            rows.append((top + 1..<i).filter { !lines[$0].contains("μ") }.count)
            top = i + 1
        }
        return rows
    }

    @Test(arguments: [(80, 24), (120, 40)])
    func everyHistogramKeepsThreeBarRowsAndHPagesTheLayersThatDoNotFit(size: (Int, Int)) {
        let (width, height) = size
        var s = Fixtures.dashboardState(variants: 12, width: width, height: height)
        let first = Layout.render(s, unicode: true)
        let rows = Self.barRows(first)
        #expect(!rows.isEmpty && rows.allSatisfy { $0 >= 3 }, "\(width)x\(height): bar rows \(rows)\n\(first.text)")
        if width == 80 {
            // Three hidden layers do not fit at 80x24: two on the first page, then the third.
            #expect(s.layerPages == 2)
            #expect(first.text.contains("layers L1-L2 of 3 (h: next)"))
            #expect(!first.text.contains("L3 in"))
            _ = s.press(.character("h"))
            let second = Layout.render(s, unicode: true)
            #expect(second.text.contains("layer L3 of 3 (h: next)") && second.text.contains("L3 in") && !second.text.contains("L1 in"))
            #expect(Self.barRows(second).allSatisfy { $0 >= 3 })
            _ = s.press(.character("h"))
            #expect(s.layerPage == 0)
        } else {
            #expect(s.layerPages == 1)
            #expect(first.text.contains("L1 in") && first.text.contains("L3 in"))
            _ = s.press(.character("h"))
            #expect(s.message?.contains("every hidden layer is on screen") == true)
        }
    }

    @Test func layerPagingKeepsFiveRowsPerHistogramAndEvenPages() {
        #expect(LayerPaging(count: 3, rows: 10).perPage == 2)
        #expect(LayerPaging(count: 3, rows: 15).perPage == 3)
        #expect(LayerPaging(count: 5, rows: 20) == LayerPaging(count: 5, rows: 20))
        #expect(LayerPaging(count: 5, rows: 20).perPage == 3)  // 4 fit, but 3 + 2 beats 4 + 1
        #expect(LayerPaging(count: 3, rows: 36).bothStages && !LayerPaging(count: 3, rows: 35).bothStages)
        for rows in 0..<60 {
            for count in 0..<8 {
                let p = LayerPaging(count: count, rows: rows)
                let covered = (0..<p.pages).flatMap { Array(p.layers(page: $0)) }
                #expect(covered == Array(0..<count))
                if rows >= LayerPaging.minimumBlockHeight, count > 0 { #expect(rows / p.perPage >= LayerPaging.minimumBlockHeight) }
            }
        }
    }
}
