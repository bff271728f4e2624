// `bnlab list`: id, title and estimated run time of every lesson, in order.

import BNPlots
import Foundation

public enum LessonList {
    /// Prints the lessons; returns the exit code (2 if a lesson does not parse).
    public static func run(lessonsDirectory: String?, ascii: Bool = false) -> Int32 {
        var out = ""
        let code = run(lessonsDirectory: lessonsDirectory, width: terminalWidth(), ascii: ascii, output: &out,
                       errors: { StandardStream.error.write(VisibleText.sanitize($0) + "\n") })
        StandardStream.printOrExit(VisibleText.sanitize(out))
        return code
    }

    /// Standard output's width in columns if it is a terminal; nil (lines are not wrapped) for a pipe
    /// or a file, where a script wants one lesson per line.
    static func terminalWidth() -> Int? {
        guard isatty(1) == 1 else { return nil }
        var size = winsize()
        guard ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
        return Int(size.ws_col)
    }

    /// The list laid out for `width` columns (nil: no wrapping).
    static func run(lessonsDirectory: String?, width: Int?, ascii: Bool = false, output: inout String, errors: (String) -> Void) -> Int32 {
        let directory = LessonLocator.directory(explicit: lessonsDirectory)
        let lessons: [Lesson]
        do {
            lessons = try LessonLocator.lessons([], directory: directory)
        } catch {
            errors(error.description)
            return HeadlessExitCode.badInput
        }
        // ID and TIME are short columns; the title comes last and, on a terminal, wraps under itself,
        // so that no line is wider than the terminal whatever the titles' lengths.
        func spelled(_ text: String) -> String { ascii ? ASCIIFallback.convert(text) : text }
        let idWidth = lessons.reduce(2) { max($0, $1.id.count) }
        let timeWidth = lessons.reduce(4) { max($0, spelled($1.frontMatter.estimatedTime).count) }
        let titleColumn = idWidth + 2 + timeWidth + 2
        func pad(_ s: String, _ n: Int) -> String { s + String(repeating: " ", count: max(0, n - s.count)) }
        output += pad("ID", idWidth) + "  " + pad("TIME", timeWidth) + "  TITLE\n"
        for lesson in lessons {
            let title = width.map { TextLayout.wrap(spelled(lesson.title), width: max(20, $0 - titleColumn)) } ?? [spelled(lesson.title)]
            output += pad(lesson.id, idWidth) + "  " + pad(spelled(lesson.frontMatter.estimatedTime), timeWidth) + "  " + title[0] + "\n"
            for more in title.dropFirst() { output += String(repeating: " ", count: titleColumn) + more + "\n" }
        }
        return HeadlessExitCode.success
    }
}
