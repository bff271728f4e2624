// The app's lesson list: a second file with an id already taken is listed with an error naming both.

@testable import BNApp
import Foundation
import Testing

@Suite struct CatalogTests {
    @Test func aSecondLessonWithTheSameIdIsListedBrokenNamingBothFiles() throws {
        let directory = NSTemporaryDirectory() + "bnlab-catalog-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let text = "---\nid: same\ntitle: T\norder: 1\nsummary: s\nestimated_time: 1 s\n---\nProse.\n"
        for name in ["01-a.md", "02-b.md"] { try text.write(toFile: directory + "/" + name, atomically: true, encoding: .utf8) }
        let lessons = LessonCatalog.load(directory: directory)
        #expect(lessons.count == 2)
        #expect(lessons[0].error == nil && lessons[0].file.hasSuffix("01-a.md"))
        let error = try #require(lessons[1].error)
        #expect(error.contains("02-b.md") && error.contains("01-a.md") && error.contains("lesson id 'same'"))
        var list = lessons
        #expect(LessonCatalog.find("b", in: &list) == 1)  // the file name without its number still finds it
    }
}
