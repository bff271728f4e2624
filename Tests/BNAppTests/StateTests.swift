// Keys → state: the meanings the footer, the help and the end-to-end test rely on.

@testable import BNApp
import BNEngine
import BNLessons
import Testing

@Suite struct StateTests {
    @Test func enterOnTheListOpensTheSelectedLesson() {
        var s = Fixtures.state()
        do { let effects = s.press(.down); #expect(effects == []) }
        #expect(s.listSelection == 1)
        _ = s.press(.character("k"))
        _ = s.press(.enter)
        #expect(s.screen == .notebook)
        #expect(s.lesson?.id == "toy-lesson")
        #expect(s.cellIndex == 0)
    }

    @Test func nAndBMoveBetweenCellsAndStopAtTheEnds() {
        var s = Fixtures.state()
        let opened = s.open(lessonID: "toy-lesson")
        #expect(opened)
        _ = s.press(.character("b"))
        #expect(s.cellIndex == 0)
        _ = s.press(.character("n"))
        _ = s.press(.right)
        #expect(s.cellIndex == 2)
        for _ in 0..<5 { _ = s.press(.character("n")) }
        #expect(s.cellIndex == 4)
        _ = s.press(.left)
        #expect(s.cellIndex == 3)
    }

    @Test func enterOnAnExperimentStartsARunAndQuitCancelsIt() {
        var s = Fixtures.state()
        _ = s.open(lessonID: "toy-lesson")
        _ = s.press(.character("n"))
        _ = s.press(.character("n"))
        do { let effects = s.press(.enter); #expect(effects == [.startRun(lesson: "toy-lesson", experiment: "toy")]) }
        #expect(s.activeRun == "toy-lesson/toy")
        #expect(s.run(of: "toy")?.snapshot.phase == .loading)
        // Rerunning cancels the run in progress first.
        do { let effects = s.press(.enter); #expect(effects == [.cancelRun, .startRun(lesson: "toy-lesson", experiment: "toy")]) }
        do { let effects = s.press(.character("q")); #expect(effects == [.cancelRun, .quit]) }
        #expect(s.wantsQuit)
    }

    @Test func qQuitsFromTheListAndFromOverlays() {
        var s = Fixtures.state()
        do { let effects = s.press(.character("q")); #expect(effects == [.quit]) }
        var h = Fixtures.state()
        _ = h.press(.character("?"))
        do { let effects = h.press(.character("q")); #expect(effects == [.quit]) }
    }

    @Test func enterOnAPredictCellRunsItsExperiment() {
        var s = Fixtures.state()
        _ = s.open(lessonID: "toy-lesson")
        _ = s.press(.character("n"))
        do { let effects = s.press(.enter); #expect(effects == [.startRun(lesson: "toy-lesson", experiment: "toy")]) }
    }

    @Test func spacePausesAndResumesOnlyWhileARunIsActive() {
        var s = Fixtures.state()
        _ = s.open(lessonID: "toy-lesson")
        do { let effects = s.press(.space); #expect(effects == []) }
        #expect(s.message != nil)
        _ = s.press(.character("n"))
        _ = s.press(.character("n"))
        _ = s.press(.enter)
        do { let effects = s.press(.space); #expect(effects == [.setPaused(true)]) }
        #expect(s.run(of: "toy")?.snapshot.phase == .paused)
        do { let effects = s.press(.space); #expect(effects == [.setPaused(false)]) }
        #expect(s.run(of: "toy")?.snapshot.phase == .training)
    }

    @Test func helpOpensWithQuestionMarkAndClosesWithEscape() {
        var s = Fixtures.state()
        _ = s.press(.character("?"))
        #expect(s.overlay == .help)
        _ = s.press(.character("n"))  // keys under an overlay do not reach the screen below
        #expect(s.screen == .lessonList)
        _ = s.press(.escape)
        #expect(s.overlay == .none)
    }

    @Test func knobsOpenOnlyNearAnExperimentAndMarkTheRunTweaked() {
        var s = Fixtures.state()
        _ = s.open(lessonID: "toy-lesson")
        _ = s.press(.character("t"))
        #expect(s.overlay == .none)  // the first cell is prose with no experiment above it
        _ = s.press(.character("n"))
        _ = s.press(.character("n"))
        _ = s.press(.character("t"))
        #expect(s.overlay == .knobs)
        _ = s.press(.right)  // batch size: lesson → 2
        #expect(s.knobs(of: "toy").batchSize == 2)
        #expect(s.runOptions(of: "toy").knobs == Knobs(batchSize: 2))
        do { let effects = s.press(.enter); #expect(effects == [.startRun(lesson: "toy-lesson", experiment: "toy")]) }
        #expect(s.overlay == .none)
        #expect(s.run(of: "toy")?.isTweaked == true)
        _ = s.press(.character("t"))
        _ = s.press(.character("r"))
        #expect(s.knobs(of: "toy") == Knobs())
    }

    @Test func aFinishedRunEndsTheActiveRunAndKeepsItsResult() {
        var s = Fixtures.state()
        _ = s.open(lessonID: "toy-lesson")
        _ = s.press(.end)
        _ = s.press(.enter)
        Fixtures.runToEnd(&s, "toy")
        #expect(s.activeRun == nil)
        #expect(s.run(of: "toy")?.snapshot.phase == .finished)
        #expect(s.run(of: "toy")?.result?.variants.map(\.record.steps) == [30, 30])
        do { let effects = s.press(.space); #expect(effects == []) }
    }

    @Test func enterOnLessonZerosExperimentRunsTheTransform() {
        var s = AppState(lessons: [Fixtures.transform], width: 120, height: 40)
        _ = s.open(lessonID: "bn-transform")
        let experimentCell = Fixtures.transform.cells.firstIndex { if case .experiment = $0 { true } else { false } } ?? 0
        while s.cellIndex < experimentCell { _ = s.press(.character("n")) }
        do { let effects = s.press(.enter); #expect(effects == [.startRun(lesson: "bn-transform", experiment: "transform")]) }
        Fixtures.runToEnd(&s, "transform")
        #expect(s.run(of: "transform")?.snapshot.phase == .finished)
        #expect(s.run(of: "transform")?.result?.variants.first?.tables.isEmpty == false)
    }

    @Test func knobsOnATransformSayThereIsNothingToTweak() {
        var s = AppState(lessons: [Fixtures.transform], width: 120, height: 40)
        _ = s.open(lessonID: "bn-transform")
        _ = s.press(.end)
        _ = s.press(.character("t"))
        #expect(s.overlay == .none)
        #expect(s.message?.contains("nothing trains") == true)
    }

    @Test func aBrokenLessonIsListedButNotOpened() {
        let broken = Notebook.broken(file: "lessons/09-bad.md",
                                     error: LessonError(file: "lessons/09-bad.md", SourceLocation(line: 3, column: 7), "bad key"))
        var s = AppState(lessons: [broken], width: 80, height: 24)
        _ = s.press(.enter)
        #expect(s.screen == .lessonList)
        #expect(s.message?.contains("error") == true)
    }

    @Test func lReturnsToTheListAndStopsTheRun() {
        var s = Fixtures.state()
        _ = s.open(lessonID: "toy-lesson")
        _ = s.press(.end)
        _ = s.press(.enter)
        do { let effects = s.press(.character("l")); #expect(effects == [.cancelRun]) }
        #expect(s.screen == .lessonList)
        #expect(s.activeRun == nil)
        #expect(s.run(of: "toy")?.snapshot.phase == .cancelled)
    }

    @Test func digitsPickAnAnswerOnAPredictCell() {
        var s = Fixtures.state()
        _ = s.open(lessonID: "toy-lesson")
        _ = s.press(.character("n"))
        _ = s.press(.character("2"))
        #expect(s.predictions["toy-lesson/1"] == 1)
        _ = s.press(.character("9"))
        #expect(s.predictions["toy-lesson/1"] == 1)
    }

    @Test func resizeUpdatesTheSize() {
        var s = Fixtures.state()
        _ = s.press(.resize(width: 120, height: 40))
        #expect(s.width == 120 && s.height == 40)
        #expect(s.fitsMinimumSize)
        _ = s.press(.resize(width: 79, height: 40))
        #expect(!s.fitsMinimumSize)
    }

    @Test func knobsCycleThroughLessonAndBack() {
        var k = Knobs()
        k.cycle(.placement, by: -1)
        #expect(k.placement == .after)
        k.cycle(.placement, by: 1)
        #expect(k.placement == nil)
        #expect(!k.isTweaked)
        k.cycle(.optimizer, by: 1)
        k.cycle(.activation, by: 1)
        k.cycle(.placement, by: 2)
        k.cycle(.learningRate, by: -1)
        #expect(k == Knobs(learningRate: 3, placement: .before, activation: .sigmoid, optimizer: .sgd))
    }
}
