// `bnlab list`: one line per lesson for a pipe, titles wrapped under themselves on a terminal.

@testable import BNLessons
import Foundation
import Testing

struct LessonListTests {
    static func list(width: Int?, directory: String = Paths.lessons) -> (code: Int32, lines: [Substring]) {
        var out = ""
        let code = LessonList.run(lessonsDirectory: directory, width: width, output: &out, errors: { _ in })
        return (code, out.split(separator: "\n", omittingEmptySubsequences: false).dropLast())
    }

    @Test func aPipeGetsOneLinePerLesson() throws {
        let lessons = try LessonLocator.lessons([], directory: Paths.lessons)
        let (code, lines) = Self.list(width: nil)
        #expect(code == 0)
        #expect(lines.count == lessons.count + 1)
        for (line, lesson) in zip(lines.dropFirst(), lessons) {
            #expect(line.hasPrefix(lesson.id + " ") && line.hasSuffix(lesson.title))
        }
    }

    /// A title longer than the terminal (the parser allows 120 characters) wraps under the title column;
    /// no line is wider than the terminal and no word is lost.
    @Test func aTerminalGetsTitlesWrappedToItsWidth() throws {
        try withTemporaryDirectory("bnlab-list") { dir in
            let title = (1...17).map { "word\($0)" }.joined(separator: " ")  // 109 characters: the front matter allows 120
            try """
            ---
            id: long-title
            title: \(title)
            order: 1
            summary: A lesson with a long title.
            estimated_time: 5 s
            ---

            Text.
            """.write(toFile: dir + "/long.md", atomically: true, encoding: .utf8)
            for width in [48, 60, 80] {
                let (code, lines) = Self.list(width: width, directory: dir)
                #expect(code == 0)
                #expect(lines.count > 2)
                #expect(lines.allSatisfy { $0.count <= width }, "\(lines)")
                let words = lines.dropFirst().flatMap { $0.split(separator: " ") }.map(String.init)
                #expect(words == ["long-title", "5", "s"] + title.split(separator: " ").map(String.init))
            }
        }
    }

    /// Without Unicode (a locale that is not UTF-8, or --ascii) titles and times are spelled in ASCII.
    @Test func asciiSpellsTitlesAndTimes() throws {
        try withTemporaryDirectory("bnlab-list") { dir in
            try """
            ---
            id: greek
            title: Train only γ and β, μ ≈ 0
            order: 1
            summary: Greek.
            estimated_time: ≈ 5 s
            ---

            Text.
            """.write(toFile: dir + "/greek.md", atomically: true, encoding: .utf8)
            for width in [nil, 80] {
                var out = ""
                #expect(LessonList.run(lessonsDirectory: dir, width: width, ascii: true, output: &out, errors: { _ in }) == 0)
                #expect(out.allSatisfy { $0.isASCII }, "\(out)")
                #expect(out.contains("~ 5 s  Train only gamma and beta, mu ~ 0"), "\(out)")
                out = ""
                #expect(LessonList.run(lessonsDirectory: dir, width: width, ascii: false, output: &out, errors: { _ in }) == 0)
                #expect(out.contains("≈ 5 s  Train only γ and β, μ ≈ 0"), "\(out)")
            }
        }
    }
}
