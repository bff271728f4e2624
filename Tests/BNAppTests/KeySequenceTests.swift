// Whatever a learner presses, at whatever size: seeded random key sequences (resizes among them, down
// to 0 × 0) drive the app's state, and every frame is drawn and checked.

@testable import BNApp
import BNEngine
import BNPlots
import Testing

@Suite struct KeySequenceTests {
    static let keys: [AppKey] = [.up, .down, .left, .right, .pageUp, .pageDown, .home, .end, .enter, .escape,
                                 .backspace, .tab, .space] + "nbjklthvgx?0123456789rq\u{1B}é".map { .character($0) }

    @Test func randomKeysAtRandomSizesNeverBreakAFrame() {
        var random = SplitMix64(seed: 2026)
        func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &random) }
        let lessons = [Fixtures.transform, Fixtures.toy] + LayoutTests.manyLessons
        var frames = 0
        for sequence in 0..<60 {
            var s = AppState(lessons: lessons, width: 80, height: 24)
            let unicode = sequence % 2 == 0
            for _ in 0..<50 {
                let key: AppKey
                switch int(0...19) {
                case 0: key = .resize(width: int(0...130), height: int(0...50))
                case 1: key = .resize(width: 80, height: 24)
                default: key = Self.keys[int(0...(Self.keys.count - 1))]
                }
                _ = s.press(key)
                let grid = Layout.render(s, unicode: unicode)
                frames += 1
                #expect(grid.width == s.width && grid.height == s.height)
                #expect(s.lessons.indices.contains(s.listSelection))
                if let lesson = s.lesson, s.screen == .notebook { #expect(lesson.cells.isEmpty || lesson.cells.indices.contains(s.cellIndex)) }
                let lines = grid.lines
                if !unicode { #expect(lines.allSatisfy { $0.allSatisfy(\.isASCII) }, "sequence \(sequence): \(lines)") }
                // On the list, the selected lesson is on screen whatever came before.
                if s.screen == .lessonList && s.overlay == .none && s.fitsMinimumSize {
                    let pointer = unicode ? "▸ " : "> "
                    #expect(lines.dropFirst(3).dropLast().contains { $0.contains(pointer) }, "sequence \(sequence), \(s.width)x\(s.height)")
                }
            }
        }
        #expect(frames == 60 * 50)
    }
}
