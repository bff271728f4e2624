// Frames as a learner sees them, at fixed sizes: exact lines for small, stable screens.

@testable import BNApp
import BNEngine
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

    @Test func theLessonListShowsTitlesSummariesAndTimes() {
        let grid = Layout.render(Fixtures.state(), unicode: true)
        #expect(grid.lines == [
            " bnlab | lessons                                                                ",
            "                                                                                ",
            "  Lessons                                                                       ",
            "                                                                                ",
            "  ▸ 1. Toy lesson                                                         ~1 s  ",
            "       A toy lesson for tests.                                                  ",
            "                                                                                ",
            "    2. Second lesson                                                    ~2 min  ",
            "       Another one.                                                             ",
            "                                                                                ",
            "                                                                                ",
            "                                                                                ",
            "                                                                                ",
            "                                                                                ",
            "                                                                                ",
            "                                                                                ",
            "                                                                                ",
            "                                                                                ",
            "                                                                                ",
            "                                                                                ",
            "                                                                                ",
            "                                                                                ",
            "                                                                                ",
            " ↑↓ choose  Enter open  ? help  q quit                                          ",
        ])
    }

    @Test func theHelpOverlayListsEveryKeyInASCII() {
        var s = Fixtures.state()
        _ = s.handle(.character("?"))
        let grid = Layout.render(s, unicode: false)
        #expect(grid.lines == [
            " bnlab | lessons                                                                ",
            "                                                                                ",
            "  Lessons                                                                       ",
            "                                                                                ",
            "  > 1. Toy l+- keys -----------------------------------------------+      ~1 s  ",
            "       A toy| ^ v  j k  scroll                                     |            ",
            "            | > n  < b  next / previous cell                       |            ",
            "    2. Secon| Enter     run or rerun the experiment; open a lesson |    ~2 min  ",
            "       Anoth| Space     pause / resume training                    |            ",
            "            | t         knobs: change settings, then rerun         |            ",
            "            | v         cycle the dashboard's second panel         |            ",
            "            | 1-9       pick an answer in a predict cell           |            ",
            "            | l         back to the lesson list                    |            ",
            "            | ?         this help                                  |            ",
            "            | Esc       close an overlay                           |            ",
            "            | q         quit                                       |            ",
            "            |                                                      |            ",
            "            | Esc closes this help                                 |            ",
            "            +------------------------------------------------------+            ",
            "                                                                                ",
            "                                                                                ",
            "                                                                                ",
            "                                                                                ",
            " Esc closes help   q quit                                                       ",
        ])
    }

    /// The toy notebook after a finished run, scrolled to its claims.
    func finishedNotebook(tweaked: Bool) -> Grid {
        var s = Fixtures.state()
        _ = s.open(lessonID: "toy-lesson")
        _ = s.handle(.character("n"))
        _ = s.handle(.character("2"))
        _ = s.handle(.end)
        if tweaked {
            _ = s.handle(.character("t"))
            _ = s.handle(.right)
        }
        _ = s.handle(.enter)
        s.apply(Fixtures.finishedSnapshot())
        _ = s.handle(.end)  // the dashboard pushed the claims down
        return Layout.render(s, unicode: true)
    }

    @Test func claimsShowTheirVerdictAndNumbersWhenTheRunEnds() {
        let text = finishedNotebook(tweaked: false).text
        #expect(text.contains("✓ bn trains  1 > 0"))
    }

    @Test func claimsOnATweakedRunAreNotJudged() {
        let text = finishedNotebook(tweaked: true).text
        #expect(text.contains("· bn trains  not judged (tweaked run)"))
        #expect(text.contains("not judged"))
    }

    @Test func aPredictionIsRevealedAfterTheRun() {
        var s = Fixtures.state()
        _ = s.open(lessonID: "toy-lesson")
        _ = s.handle(.character("n"))
        _ = s.handle(.character("2"))
        #expect(Layout.render(s, unicode: true).text.contains("prediction locked in: run toy to see"))
        _ = s.handle(.enter)
        s.apply(Fixtures.finishedSnapshot())
        _ = s.handle(.home)
        #expect(Layout.render(s, unicode: true).text.contains("you were right: bn  (bn higher)"))
    }

    @Test func everyFrameFitsItsSizeAndNeverTraps() {
        for (w, h) in [(80, 24), (120, 40), (200, 60), (79, 24), (10, 3), (0, 0)] {
            var s = Fixtures.state(width: w, height: h)
            _ = s.open(lessonID: "toy-lesson")
            _ = s.handle(.end)
            _ = s.handle(.enter)
            s.apply(Fixtures.finishedSnapshot())
            let grid = Layout.render(s, unicode: true)
            #expect(grid.width == w && grid.height == h)
        }
    }
}
