// Prose values in the app: `{{ … }}` shows a placeholder before its experiment runs and the run's own
// number after, as headless renders it (issue 12, "numbers in prose come from the run").

@testable import BNApp
import BNEngine
import BNLessons
import Testing

@Suite struct ProseValueTests {
    static let text = Fixtures.toyText.replacingOccurrences(
        of: "# Heading\n",
        with: "# Heading\n\nBN reaches {{ toy: final test_accuracy of bn | percent 1 }} here.\n")

    static func screen(_ state: AppState) -> String {
        Layout.render(state, unicode: true).text
    }

    @Test func aProseValueIsAPlaceholderBeforeTheRunAndTheRunsNumberAfter() throws {
        let notebook = Notebook(try LessonParser.parse(text: Self.text, file: "values.md"))
        var state = AppState(lessons: [notebook], width: 100, height: 40)
        let opened = state.open(lessonID: "toy-lesson")
        #expect(opened)
        Layout.measure(&state)
        let before = Self.screen(state)
        #expect(!before.contains("{{"), "raw template shown:\n\(before)")
        #expect(before.contains("BN reaches"))
        _ = state.press(.character("n"))
        _ = state.press(.character("n"))
        _ = state.press(.enter)
        Fixtures.runToEnd(&state, "toy")
        _ = state.press(.home)
        Layout.measure(&state)
        let after = Self.screen(state)
        let result = try #require(state.run(of: "toy")?.result)
        let accuracy = try #require(result.variant(named: "bn")?.record.series[MetricKey("test_accuracy")]?.values.last)
        let expected = String(format: "%.1f%%", accuracy * 100)
        #expect(after.contains("BN reaches \(expected) here"), "expected \(expected) in:\n\(after)")
    }
}
