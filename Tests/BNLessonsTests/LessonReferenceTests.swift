// `[lesson: id]` in prose: written out as the lesson's current number and title, checked for its
// syntax when parsed and for its id when the lessons are loaded together (a located error).

@testable import BNLessons
import Foundation
import Testing

@Suite struct LessonReferenceTests {
    /// A lessons folder with the given files (name → text), removed after `body`.
    func withFolder(_ files: [String: String], _ body: (String) throws -> Void) throws {
        try withTemporaryDirectory("bnlab-refs") { directory in
            for (name, text) in files { try text.write(toFile: directory + "/" + name, atomically: true, encoding: .utf8) }
            try body(directory)
        }
    }

    func lesson(_ id: String, order: Int, title: String, _ prose: String) -> String {
        "---\nid: \(id)\ntitle: \(title)\norder: \(order)\nsummary: s\nestimated_time: 1 s\n---\n\n" + prose + "\n"
    }

    @Test func aReferenceReadsAsTheLessonsCurrentNumberAndTitle() throws {
        let files = [
            "01-first.md": lesson("first", order: 1, title: "First things", "See [lesson: second-one] for more.\n[Lesson: first] is this one."),
            "02-second.md": lesson("second-one", order: 7, title: "Second", "Back to [lesson:first]."),
        ]
        try withFolder(files) { directory in
            let lessons = try LessonLocator.lessons([], directory: directory)
            guard case .prose(let first)? = lessons[0].cells.first?.content, case .prose(let second)? = lessons[1].cells.first?.content else {
                Issue.record("no prose cells")
                return
            }
            #expect(first.trimmingCharacters(in: .whitespacesAndNewlines) == "See lesson 7 (Second) for more.\nLesson 1 (First things) is this one.")
            #expect(second.trimmingCharacters(in: .whitespacesAndNewlines) == "Back to lesson 1 (First things).")
            // One lesson named on the command line still reads the folder's numbers and titles.
            let one = try LessonLocator.lessons(["first"], directory: directory)
            guard case .prose(let alone)? = one[0].cells.first?.content else { Issue.record("no prose"); return }
            #expect(alone.contains("See lesson 7 (Second)"))
        }
    }

    @Test func anUnknownIdIsALocatedErrorNamingTheNearestOne() throws {
        let files = [
            "01-first.md": lesson("first", order: 1, title: "First", "Text.\nAs [lesson: secnd] shows."),
            "02-second.md": lesson("second", order: 2, title: "Second", "Text."),
        ]
        try withFolder(files) { directory in
            do throws(LessonError) {
                _ = try LessonLocator.lessons([], directory: directory)
                Issue.record("an unknown id was accepted")
            } catch {
                // Front matter is 7 lines, then a blank line: the prose starts on line 9.
                #expect(error.file.hasSuffix("01-first.md"))
                #expect(error.location == SourceLocation(line: 10, column: 4))
                #expect(error.message == "no lesson with id 'secnd'")
                #expect(error.hint == "did you mean 'second'?")
            }
        }
    }

    @Test func malformedReferencesAreParseErrors() {
        let unclosed = parseError(lessonText("Prose [lesson: first\nmore.\n"))
        #expect(unclosed?.message == "this '[lesson:' is never closed on its line")
        #expect(unclosed?.location == SourceLocation(line: 8, column: 7))
        #expect(parseError(lessonText("Prose [lesson: two words].\n"))?.message == "'two words' is not a lesson id")
        #expect(parseError(lessonText("Prose [lesson: ].\n"))?.message == "'' is not a lesson id")
        #expect(parseError(lessonText("Prose [lesson: ok-id_2].\n")) == nil)
    }

    /// The shipped lessons refer to each other by id only: a number in prose would drift again.
    @Test func shippedLessonsReferToOtherLessonsByIdOnly() throws {
        let lessons = try LessonLocator.lessons([], directory: Paths.lessons)
        var references = 0
        for file in try LessonLocator.lessonFiles(in: Paths.lessons) {
            let text = try String(contentsOfFile: file, encoding: .utf8)
            #expect(text.firstMatch(of: /[Ll]essons? [0-9]/) == nil, "\(file) names a lesson by number")
            references += text.matches(of: /\[[Ll]esson: *[a-z0-9_-]+\]/).count
        }
        #expect(references >= 9)
        // And every one of them was written out: no raw reference is left in the loaded prose.
        for lesson in lessons {
            for cell in lesson.cells {
                if case .prose(let text) = cell.content { #expect(!text.contains("[lesson:") && !text.contains("[Lesson:")) }
            }
        }
    }
}
