// Frames as a learner sees them, at fixed sizes: exact lines for small, stable screens.

@testable import BNApp
import BNEngine
import BNLessons
import BNPlots
import Testing

@Suite struct LayoutTests {
    @Test func belowTheMinimumSizeTheFrameSaysSo() {
        let grid = Layout.render(Fixtures.state(width: 44, height: 5), unicode: true)
        #expect(grid.lines == [
            "                                            ",
            "         bnlab needs at least 80x24         ",
            "           this terminal is 44x5            ",
            "   enlarge the window, or press q to quit   ",
            "                                            ",
        ])
    }

    @Test func theLessonListShowsTitlesSummariesTimesMarksAndParseErrors() {
        let broken = Notebook.broken(
            file: "lessons/09-bad.md",
            error: LessonError(file: "lessons/09-bad.md", SourceLocation(line: 12, column: 3), "unknown key 'stpes'",
                               hint: "did you mean 'steps'?"))
        var s = AppState(lessons: [Fixtures.transform, Fixtures.toy, broken], width: 80, height: 24)
        _ = s.open(lessonID: "toy-lesson")
        _ = s.press(.end)
        _ = s.press(.enter)
        Fixtures.runToEnd(&s, "toy")
        _ = s.press(.character("l"))
        #expect(Layout.render(s, unicode: true).lines == [
            " bnlab | lessons                                                                ",
            "                                                                                ",
            "  Lessons                                                                       ",
            "                                                                                ",
            "    0. The BN transform, step by step                                     ~1 s  ",
            "       One mini-batch through batch normalization by hand - mean, variance,     ",
            "       normalize, scale and shift.                                              ",
            "                                                                                ",
            "  ▸ 1. Toy lesson                                      ~1 s  ✓ run, 1/2 claims  ",
            "       A toy lesson for tests.                                                  ",
            "                                                                                ",
            "    09-bad                                                             ✗ error  ",
            "       lessons/09-bad.md:12:3: unknown key 'stpes' (hint: did you mean          ",
            "       'steps'?)                                                                ",
            "                                                                                ",
            "                                                                                ",
            "                                                                                ",
            "                                                                                ",
            "                                                                                ",
            "                                                                                ",
            "                                                                                ",
            "                                                                                ",
            "                                                                                ",
            " ↑↓ choose  Enter open  x forget progress  ? help  q quit                       ",
        ])
    }

    /// Forty lessons, summaries of one to three lines and parse errors among them: more than any
    /// screen shows at once.
    static let manyLessons: [Notebook] = (0..<40).map { i in
        if i % 13 == 5 {
            return Notebook.broken(file: "lessons/#\(i)#-bad.md",
                                   error: LessonError(file: "lessons/#\(i)#-bad.md", SourceLocation(line: i, column: 1),
                                                      String(repeating: "a long parse error ", count: 1 + i % 9)))
        }
        let summary = String(repeating: "Words of summary \(i). ", count: 1 + (i * 7) % 12)
        let title = "#\(i)# Lesson" + String(repeating: " with a title too long for one line", count: i % 7 == 3 ? 3 : 0)
        return Notebook(id: "lesson-\(i)", title: title, summary: summary, estimatedTime: "\(i) s", cells: [])
    }

    @Test func theLessonListScrollsToKeepTheSelectionWholeOnScreen() {
        for (w, h, unicode) in [(80, 24, false), (80, 24, true), (100, 31, true), (80, 90, false)] {
            var s = AppState(lessons: Self.manyLessons, width: w, height: h)
            let pointer = unicode ? "▸ " : "> "
            var keys = [AppKey](repeating: .down, count: 45) + [AppKey](repeating: .up, count: 45)
            keys += [.end, .home, .end, .up, .up, .home, .down]
            for key in keys {
                let top = s.listTop, before = s.listSelection
                _ = s.press(key)
                let lines = Layout.render(s, unicode: unicode).lines
                // The selected title, with its pointer, and every line under it are on screen (below the heading).
                let entry = LessonListView.entry(s.listSelection, s, width: w - 4, unicode: unicode)
                let titleRow = lines.firstIndex { $0.contains(pointer) }
                #expect(titleRow.map { lines[$0].contains("#\(s.listSelection)#") } == true, "\(w)x\(h) \(key)")
                if let titleRow {
                    #expect(titleRow >= 4)
                    for (k, line) in (entry.titleLines + entry.under).enumerated() {
                        #expect(titleRow + k < h - 1 && lines[titleRow + k].contains(line), "\(w)x\(h) \(key)")
                    }
                }
                // The list moves only as far as the selection asks, and only its way.
                if s.listSelection > before { #expect(s.listTop >= top) }
                if s.listSelection < before { #expect(s.listTop <= top) }
                if s.listSelection == before { #expect(s.listTop == top) }
                // The heading says how many are hidden above and below: no more, no less.
                let above = s.listTop, shownTitles = Self.manyLessons.indices.filter { i in lines.contains { $0.contains("#\(i)#") } }.count
                let below = Self.manyLessons.count - above - shownTitles
                #expect(lines[2].contains("\(above) more above") == (above > 0), "\(w)x\(h) \(key): \(lines[2])")
                #expect(lines[2].contains("\(below) more below") == (below > 0), "\(w)x\(h) \(key): \(lines[2])")
            }
            #expect(s.listSelection == 1)
        }
    }

    @Test func aResizedListStillShowsTheSelectionAndFillsTheScreen() {
        var s = AppState(lessons: Self.manyLessons, width: 80, height: 24)
        _ = s.press(.end)
        let deep = s.listTop
        #expect(deep > 0)
        _ = s.press(.resize(width: 80, height: 200))  // everything fits: nothing hidden above
        #expect(s.listTop == 0)
        #expect(!Layout.render(s, unicode: true).lines[2].contains("more"))
        _ = s.press(.resize(width: 80, height: 24))
        #expect(s.listTop == deep)
    }

    @Test func aProseCellShowsHeadingsAndUnicodeMath() {
        var s = AppState(lessons: [Fixtures.toy], width: 80, height: 24)
        _ = s.open(lessonID: "toy-lesson")
        let grid = Layout.render(s, unicode: true)
        #expect(Array(grid.lines.prefix(11)) == [
            " bnlab | 1. Toy lesson                                                 cell 1/5 ",
            "▌ Heading                                                                       ",
            "▌ ═══════                                                                       ",
            "▌                                                                               ",
            "▌ Some prose about BN: x̂ = (x − μ) / √(σ² + ε).                                 ",
            "                                                                                ",
            "  predict: Which reaches the higher test accuracy?                              ",
            "    1. ○ plain                                                                  ",
            "    2. ○ bn                                                                     ",
            "  press 1-2 to predict, then run the experiment                                 ",
            "                                                                                ",
        ])
        #expect(grid[2, 1].style.bold)  // the heading
        #expect(grid[23, 4].style == Style(foreground: .cyan))  // the math
    }

    @Test func theHelpOverlayListsEveryKeyInASCII() {
        var s = Fixtures.state()
        _ = s.press(.character("?"))
        let grid = Layout.render(s, unicode: false)
        #expect(grid.lines == [
            " bnlab | lessons                                                                ",
            "                                                                                ",
            "  Lessons+- keys -----------------------------------------------------+         ",
            "         | ^ v  j k  scroll                                           |         ",
            "  > 1. To| > n  < b  next / previous cell                             |   ~1 s  ",
            "       A | Enter     run the current cell's experiment; open a lesson |         ",
            "         | Tab       next page of variants on a dashboard             |         ",
            "    Secon| h         next page of layers on a dashboard               | ~2 min  ",
            "       An| Space     pause / resume training                          |         ",
            "         | t         knobs: change settings, then rerun               |         ",
            "         | v         cycle the dashboard's second panel               |         ",
            "         | 1-9       pick an answer in a predict cell                 |         ",
            "         | g         open the lesson a text cell refers to            |         ",
            "         | l         back to the lesson list                          |         ",
            "         | x         on the list: forget a lesson's progress          |         ",
            "         | ?         this help                                        |         ",
            "         | Esc       close an overlay                                 |         ",
            "         | q         quit                                             |         ",
            "         |                                                            |         ",
            "         | Esc closes this help                                       |         ",
            "         +------------------------------------------------------------+         ",
            "                                                                                ",
            "                                                                                ",
            " Esc closes help   q quit                                                       ",
        ])
    }

    /// The toy notebook after a real run to the end, scrolled to its claims.
    func finishedNotebook(tweaked: Bool) -> Grid {
        var s = Fixtures.state()
        _ = s.open(lessonID: "toy-lesson")
        _ = s.press(.character("n"))
        _ = s.press(.character("2"))
        _ = s.press(.character("n"))
        if tweaked {
            _ = s.press(.character("t"))
            _ = s.press(.right)
        }
        _ = s.press(.enter)
        Fixtures.runToEnd(&s, "toy")
        _ = s.press(.end)  // the dashboard pushed the claims down
        return Layout.render(s, unicode: true)
    }

    @Test func claimsShowTheirVerdictAndNumbersWhenTheRunEnds() {
        let lines = finishedNotebook(tweaked: false).lines
        #expect(lines.contains { $0.hasPrefix("▌ ✓ final test_accuracy of bn > 0.1  0.") && $0.contains(" > 0.1") })
        #expect(lines.contains { $0.hasPrefix("▌ ✗ final test_accuracy of bn > 2  0.") && $0.contains(" > 2") })
    }

    @Test func claimsOnATweakedRunAreNotJudged() {
        let text = finishedNotebook(tweaked: true).text
        #expect(text.contains("· final test_accuracy of bn > 0.1  not judged (tweaked run)"))
        #expect(text.contains("· final test_accuracy of bn > 2  not judged (tweaked run)"))
        #expect(!text.contains("✓") && !text.contains("✗"))
    }

    @Test func aPredictionIsAskedBeforeAndRevealedAfterTheRun() {
        var s = Fixtures.state()
        _ = s.open(lessonID: "toy-lesson")
        _ = s.press(.character("n"))
        #expect(Layout.render(s, unicode: true).text.contains("press 1-2 to predict, then run the experiment"))
        _ = s.press(.character("2"))
        #expect(Layout.render(s, unicode: true).text.contains("prediction locked in: run toy to see"))
        _ = s.press(.enter)
        Fixtures.runToEnd(&s, "toy")
        _ = s.press(.home)
        _ = s.press(.character("n"))
        let text = Layout.render(s, unicode: true).text
        #expect(text.contains("you were right: bn") || text.contains("not this time: plain"))
        #expect(text.contains("final test_accuracy of plain = 0."))
    }

    @Test func aPlotWaitsForItsRunThenShowsTheEnginesGrid() {
        var s = Fixtures.state(width: 100, height: 30)
        _ = s.open(lessonID: "toy-lesson")
        _ = s.press(.end)
        #expect(Layout.render(s, unicode: true).text.contains("run the experiment above to see this plot"))
        _ = s.press(.enter)
        Fixtures.runToEnd(&s, "toy")
        _ = s.press(.end)
        let text = Layout.render(s, unicode: true).text
        #expect(!text.contains("run the experiment above to see this plot"))
        #expect(text.contains("test_accuracy"))
    }

    /// Without Unicode (`--ascii`, a locale that is not UTF-8) every screen and overlay, before and
    /// after a run, draws ASCII only: nothing reaches the terminal as `?`.
    @Test func anASCIIScreenDrawsOnlyASCII() {
        var s = AppState(lessons: [Fixtures.transform, Fixtures.toy] + Self.manyLessons, width: 80, height: 24)
        var frames = [(String, Grid)]()
        func look(_ what: String) { frames.append((what, Layout.render(s, unicode: false))) }
        look("list")
        _ = s.press(.down); _ = s.press(.down); look("list scrolled")
        _ = s.press(.character("?")); look("help"); _ = s.press(.escape)
        _ = s.open(lessonID: "toy-lesson")
        look("notebook")
        _ = s.press(.character("n")); _ = s.press(.character("2")); _ = s.press(.character("n"))
        _ = s.press(.character("t")); look("knobs"); _ = s.press(.right); look("knobs tweaked"); _ = s.press(.escape)
        _ = s.press(.enter)
        Fixtures.runToEnd(&s, "toy")
        look("after the run")
        _ = s.press(.end); look("claims")
        _ = s.press(.character("l")); look("list after a run")
        // Lesson 0 after its transform ran, every cell in turn: tables, prose, math and claims.
        _ = s.open(lessonID: "bn-transform")
        let experimentCell = Fixtures.transform.cells.firstIndex { if case .experiment = $0 { true } else { false } } ?? 0
        while s.cellIndex < experimentCell { _ = s.press(.character("n")) }
        _ = s.press(.enter)
        Fixtures.runToEnd(&s, "transform")
        for cell in 0..<Fixtures.transform.cells.count {
            look("transform, cell \(cell)")
            _ = s.press(.character("n"))
        }
        for (what, grid) in frames {
            for line in grid.lines { #expect(line.allSatisfy { $0.isASCII }, "\(what): \(line)") }
        }
        // The overlays were open when looked at, and the list had scrolled.
        func frame(_ what: String) -> String { frames.first { $0.0 == what }?.1.text ?? "" }
        #expect(frame("knobs").contains("<> change  ^v choose"))
        #expect(frame("help").contains("next / previous cell"))
        #expect(frame("list scrolled").contains("more below"))
    }

    /// Without a plot cell for it, a transform's experiment cell shows the run's own number tables,
    /// spelled for the screen and with their columns lined up.
    @Test func anExperimentWithoutAPlotShowsItsTables() {
        let t = Fixtures.transform
        let bare = Notebook(id: "bare", title: "Bare", summary: "", estimatedTime: "1 s",
                            cells: t.cells.filter { if case .plot = $0 { false } else { true } })
        for unicode in [true, false] {
            var s = AppState(lessons: [bare], width: 80, height: 40)
            _ = s.open(lessonID: "bare")
            while s.currentCell?.experimentName == nil { _ = s.press(.character("n")) }
            _ = s.press(.enter)
            Fixtures.runToEnd(&s, "transform")
            let lines = Layout.render(s, unicode: unicode).lines
            let mean = lines.first { $0.contains(unicode ? "μ (batch mean)" : "mu (batch mean)") }
            let gamma = lines.first { $0.contains(unicode ? "γ " : "gamma ") }
            #expect(mean != nil && gamma != nil, "\(lines)")
            // Numbers are right-aligned: the last column ends at one screen column on both rows.
            func end(_ line: String?) -> Int? { line.flatMap { l in l.lastIndex { $0 != " " }.map { l.distance(from: l.startIndex, to: $0) } } }
            #expect(end(mean) != nil && end(mean) == end(gamma), "\(String(describing: mean)) / \(String(describing: gamma))")
            #expect(mean?.contains("-1.75") == true)
        }
    }

    @Test func everyFrameFitsItsSizeAndNeverTraps() {
        var finished = Fixtures.state()
        _ = finished.open(lessonID: "toy-lesson")
        _ = finished.press(.end)
        _ = finished.press(.enter)
        Fixtures.runToEnd(&finished, "toy")
        for (w, h) in [(80, 24), (120, 40), (200, 60), (79, 24), (10, 3), (0, 0)] {
            var s = finished
            _ = s.press(.resize(width: w, height: h))
            for _ in 0..<6 {
                let grid = Layout.render(s, unicode: true)
                #expect(grid.width == w && grid.height == h)
                _ = s.press(.character("b"))
            }
        }
    }
}
