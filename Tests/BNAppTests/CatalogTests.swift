// The app's lesson list: a second file with an id already taken is listed with an error naming both.

@testable import BNApp
import Foundation
import Testing

@Suite struct CatalogTests {
    /// Runs `body` with a fresh lessons folder under the temporary folder, removed afterwards whatever
    /// `body` does.
    private func withLessonsFolder(_ body: (String) throws -> Void) throws {
        let directory = NSTemporaryDirectory() + "bnlab-catalog-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try body(directory)
    }

    @Test func aSecondLessonWithTheSameIdIsListedBrokenNamingBothFiles() throws {
        try withLessonsFolder { directory in
            let text = "---\nid: same\ntitle: T\norder: 1\nsummary: s\nestimated_time: 1 s\n---\nProse.\n"
            for name in ["01-a.md", "02-b.md"] {
                try text.write(toFile: directory + "/" + name, atomically: true, encoding: .utf8)
            }
            let lessons = LessonCatalog.load(directory: directory)
            #expect(lessons.count == 2)
            #expect(lessons[0].error == nil && lessons[0].file.hasSuffix("01-a.md"))
            let error = try #require(lessons[1].error)
            #expect(error.contains("02-b.md") && error.contains("01-a.md") && error.contains("lesson id 'same'"))
            var list = lessons
            #expect(LessonCatalog.find("b", in: &list) == 1)  // the file name without its number still finds it
        }
    }

    @Test func referencesShowTheLessonsNumberAndTitleAndGOpensIt() throws {
        try withLessonsFolder { directory in
            func text(_ id: String, _ order: Int, _ prose: String) -> String {
                "---\nid: \(id)\ntitle: Title \(id)\norder: \(order)\nsummary: s\nestimated_time: 1 s\n---\n\(prose)\n"
            }
            for (id, order, prose) in [("a", 1, "See [lesson: b] first."), ("b", 4, "Plain prose."), ("c", 5, "See [lesson: nope].")] {
                try text(id, order, prose).write(toFile: directory + "/0\(order)-\(id).md", atomically: true, encoding: .utf8)
            }
            let lessons = LessonCatalog.load(directory: directory)
            #expect(lessons.map(\.id) == ["a", "b", "05-c"])
            // An unknown id: the lesson is listed with the located error.
            #expect(lessons[2].error?.contains("05-c.md:8:5: no lesson with id 'nope'") == true,
                    "\(lessons[2].error ?? "")")

            var s = AppState(lessons: lessons, width: 80, height: 24)
            _ = s.open(lessonID: "a")
            Layout.measure(&s)
            #expect(Layout.render(s, unicode: true).text.contains("See lesson 4 (Title b) first."))
            _ = s.press(.character("g"))
            #expect(s.lesson?.id == "b" && s.screen == .notebook)
            #expect(s.message?.contains("opened 4. Title b") == true)
            _ = s.press(.character("g"))
            #expect(s.lesson?.id == "b")
            #expect(s.message?.contains("refers to no other lesson") == true)
        }
    }
}
