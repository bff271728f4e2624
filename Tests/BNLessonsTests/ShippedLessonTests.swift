// Every shipped lesson parses, and runs headless at CI scale with all its claims holding.

import BNLessons
import Foundation
import Testing

@Test func everyShippedLessonParses() throws {
    let files = try LessonLocator.lessonFiles(in: Paths.lessons)
    #expect(!files.isEmpty)
    for file in files {
        let lesson = try LessonParser.load(path: file)
        #expect(!lesson.cells.isEmpty, "\(file)")
    }
}

@Test func lessonZeroRunsHeadlessWithEveryClaimHolding() {
    let run = headless(HeadlessOptions(lessons: ["bn-transform"], scale: 0.1, lessonsDirectory: Paths.lessons))
    #expect(run.code == 0, "\(run.output)\n\(run.errors)")
    #expect(run.output.contains("✓ check identity_error < 1e-5"))
    #expect(run.output.contains("answer: 3 (one per feature)"))
    #expect(!run.output.contains("✗"))
}

