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
