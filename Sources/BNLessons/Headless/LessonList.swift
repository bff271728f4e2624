// `bnlab list`: id, title and estimated run time of every lesson, in order.

import BNPlots
import Foundation

public enum LessonList {
    /// Prints the lessons; returns the exit code (2 if a lesson does not parse).
    public static func run(lessonsDirectory: String?) -> Int32 {
        var out = ""
        let code = run(lessonsDirectory: lessonsDirectory, output: &out, errors: { StandardStream.error.write(VisibleText.sanitize($0) + "\n") })
        StandardStream.printOrExit(VisibleText.sanitize(out))
        return code
    }

    static func run(lessonsDirectory: String?, output: inout String, errors: (String) -> Void) -> Int32 {
        let directory = LessonLocator.directory(explicit: lessonsDirectory)
        let lessons: [Lesson]
        do {
            lessons = try LessonLocator.lessons([], directory: directory)
        } catch {
            errors(error.description)
            return HeadlessExitCode.badInput
        }
        let idWidth = lessons.reduce(2) { max($0, $1.id.count) }
        let titleWidth = lessons.reduce(5) { max($0, $1.title.count) }
        func pad(_ s: String, _ n: Int) -> String { s + String(repeating: " ", count: max(0, n - s.count)) }
        output += pad("ID", idWidth) + "  " + pad("TITLE", titleWidth) + "  TIME\n"
        for lesson in lessons {
            output += pad(lesson.id, idWidth) + "  " + pad(lesson.title, titleWidth) + "  " + lesson.frontMatter.estimatedTime + "\n"
        }
        return HeadlessExitCode.success
    }
}
