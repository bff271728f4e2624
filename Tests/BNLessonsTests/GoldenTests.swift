// The tiny test lesson's exact headless output, fixed in a golden file.
// To refresh after an intended change: BNLAB_UPDATE_GOLDEN=1 swift test --filter tinyLesson

import BNLessons
import BNEngine
import Foundation
import Testing

@Test func tinyLessonHeadlessOutputMatchesGolden() throws {
    let run = headless(HeadlessOptions(lessons: [Paths.fixture("tiny.md")]))
    let golden = Paths.repository.appendingPathComponent("Tests/BNLessonsTests/Fixtures/tiny.expected.txt")
    // The lesson path differs between machines; the golden file holds it as <tiny.md>.
    let output = run.output.replacingOccurrences(of: Paths.fixture("tiny.md"), with: "<tiny.md>")
    if ProcessInfo.processInfo.environment["BNLAB_UPDATE_GOLDEN"] != nil {
        try output.write(to: golden, atomically: true, encoding: .utf8)
    }
    let expected = try String(contentsOf: golden, encoding: .utf8)
    #expect(run.code == 0, "\(run.errors)")
    #expect(output == expected)
}

@Test func tinyLessonJSONReportHasSeriesClaimsAndIsReplacedAtomically() throws {
    let path = NSTemporaryDirectory() + "bnlab-report-\(UUID().uuidString).json"
    defer { try? FileManager.default.removeItem(atPath: path) }
    let run = headless(HeadlessOptions(lessons: [Paths.fixture("tiny.md")], json: path))
    #expect(run.code == 0)
    let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any]
    let lessons = object?["lessons"] as? [[String: Any]]
    let experiments = lessons?.first?["experiments"] as? [[String: Any]]
    let variants = experiments?.first?["variants"] as? [[String: Any]]
    #expect(variants?.map { $0["name"] as? String } == ["plain", "bn"])
    let claims = lessons?.first?["claims"] as? [[String: Any]]
    #expect(claims?.count == 3)
    #expect(claims?.allSatisfy { $0["verdict"] as? String == "pass" } == true)
    #expect(object?["exit_code"] as? Int == 0)
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory()).filter { $0.contains("tmp-") && $0.hasPrefix((path as NSString).lastPathComponent) }
    #expect(leftovers.isEmpty)
}

@Test func sameSeedGivesSameNumbersInParallelAndInSequence() throws {
    let lesson = try LessonParser.load(path: Paths.fixture("tiny.md"))
    let parallel = try ExperimentRunner.run(lesson.experiments[0], options: RunOptions(parallel: true))
    let sequential = try ExperimentRunner.run(lesson.experiments[0], options: RunOptions(parallel: false))
    for (a, b) in zip(parallel.variants, sequential.variants) {
        #expect(a.record.series[MetricKey("test_loss")] == b.record.series[MetricKey("test_loss")])
    }
    #expect(parallel.variants[0].record.series[MetricKey("test_loss")] != parallel.variants[1].record.series[MetricKey("test_loss")])
}
