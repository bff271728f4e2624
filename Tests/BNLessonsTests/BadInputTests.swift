// One test per bad input in issue 4: each is exit 2 with a one-line file:line:column message and a hint.

import BNLessons
import Foundation
import Testing

/// The error for a lesson body; asserts the message is one line with a location and a hint.
private func error(_ body: String, frontMatter: Bool = true) -> LessonError? {
    let e = parseError(frontMatter ? lessonText(body) : body)
    if let e {
        #expect(!e.description.contains("\n"))
        #expect(e.description.hasPrefix("x.md:\(e.location.line):\(e.location.column): "))
        #expect(e.hint != nil, "no hint: \(e)")
    }
    return e
}

/// Runs headless on a lesson file with this text; returns the run.
private func runFile(_ text: String, json: String? = nil) -> Captured {
    let path = NSTemporaryDirectory() + "bnlab-bad-\(UUID().uuidString).md"
    try? text.write(toFile: path, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return headless(HeadlessOptions(lessons: [path], json: json))
}

@Test func emptyFileIsBadInput() {
    #expect(error("", frontMatter: false)?.message == "the file is empty")
    let run = runFile("")
    #expect(run.code == 2)
    #expect(run.errors.contains(":1:1: the file is empty"))
}

@Test func missingFrontMatterIsBadInput() {
    #expect(error("# Hello\n", frontMatter: false)?.message == "the lesson has no front matter")
}

@Test func unclosedFenceIsBadInput() {
    let e = error("text\n\n```experiment\nname: e\n")
    #expect(e?.message.contains("never closed") == true)
    #expect(e?.location.line == 10)
}

@Test func unknownCellTypeIsBadInput() {
    let e = error("```experimnt\nname: e\n```\n")
    #expect(e?.message == "unknown cell type 'experimnt'")
    #expect(e?.hint == "did you mean 'experiment'?")
    #expect(e?.location == SourceLocation(line: 8, column: 4))
}

@Test func yamlSyntaxErrorIsBadInput() {
    let e = error("```experiment\nname: e\ndata: [blobs\n```\n")
    #expect(e?.message.hasPrefix("YAML syntax error") == true)
    #expect((e?.location.line ?? 0) >= 10)
}

@Test func unknownKeySuggestsNearest() {
    let e = error(plainAndBNExperiment().replacingOccurrences(of: "batch_size: 10", with: "bach_size: 10"))
    #expect(e?.message == "unknown key 'bach_size' in experiment")
    #expect(e?.hint == "did you mean 'batch_size'?")
    #expect(e?.location == SourceLocation(line: 13, column: 1))
}

@Test func wrongTypeIsBadInput() {
    let e = error(plainAndBNExperiment().replacingOccurrences(of: "steps: 5", with: "steps: many"))
    #expect(e?.message == "'steps' must be a whole number, got 'many'")
    #expect(e?.location.line == 14)
}

@Test func batchSizeZeroIsBadInput() {
    #expect(error(plainAndBNExperiment().replacingOccurrences(of: "batch_size: 10", with: "batch_size: 0"))?.message.hasPrefix("batch_size: must be at least 1") == true)
}

@Test func batchLargerThanDatasetIsBadInput() {
    let e = error(plainAndBNExperiment().replacingOccurrences(of: "batch_size: 10", with: "batch_size: 500"))
    #expect(e?.message.contains("larger than the training set") == true)
    #expect(e?.location.line == 13)
}

@Test func negativeLearningRateIsBadInput() {
    let e = error(plainAndBNExperiment().replacingOccurrences(of: "learning_rate: 0.1", with: "learning_rate: -0.1"))
    #expect(e?.message.hasPrefix("learning_rate:") == true)
    #expect(e?.location.line == 12)
}

@Test func zeroStepsIsBadInput() {
    #expect(error(plainAndBNExperiment().replacingOccurrences(of: "steps: 5", with: "steps: 0"))?.message.hasPrefix("steps: must be at least 1") == true)
}

@Test func ghostSizeThatDoesNotDivideIsBadInput() {
    let e = error(plainAndBNExperiment().replacingOccurrences(of: "steps: 5", with: "steps: 5\nghost_batch_size: 3"))
    #expect(e?.message.contains("does not divide the batch size 10") == true)
}

@Test func batchNormWithBatchOfOneIsBadInput() {
    let e = error(plainAndBNExperiment().replacingOccurrences(of: "batch_size: 10", with: "batch_size: 1"))
    #expect(e?.message.contains("at least 2 examples") == true)
    #expect(e?.location.line == 13)
}

@Test func unknownDatasetActivationOptimizerAreBadInput() {
    #expect(error(plainAndBNExperiment().replacingOccurrences(of: "dataset: blobs", with: "dataset: mnst"))?.hint == "did you mean 'mnist'?")
    #expect(error(plainAndBNExperiment().replacingOccurrences(of: "activation: relu", with: "activation: sigmod"))?.hint == "did you mean 'sigmoid'?")
    #expect(error(plainAndBNExperiment().replacingOccurrences(of: "name: sgd", with: "name: adamm"))?.hint == "did you mean 'adam'?")
}

@Test func claimNamingUnknownVariantIsBadInput() {
    let e = error(plainAndBNExperiment() + "```claim\nfinal test_accuracy of bm > 0.5\n```\n")
    #expect(e?.message == "unknown variant 'bm' in experiment 'e'")
    #expect(e?.hint == "did you mean 'bn'?")
    #expect(e?.location == SourceLocation(line: 20, column: 24))
}

@Test func claimNamingUnknownMetricIsBadInput() {
    let e = error(plainAndBNExperiment() + "```claim\nfinal test_acuracy of bn > 0.5\n```\n")
    #expect(e?.message == "unknown metric 'test_acuracy' in experiment 'e'")
    #expect(e?.hint == "did you mean 'test_accuracy'?")
    #expect(e?.location == SourceLocation(line: 20, column: 7))
}

@Test func plotNamingUnknownLayerIsBadInput() {
    let e = error(plainAndBNExperiment() + "```plot\nview: histogram\nlayer: 7\n```\n")
    #expect(e?.message == "experiment 'e' has no layer 7")
    #expect(e?.location.line == 21)
}

@Test func nonUTF8BytesAreBadInput() throws {
    var bytes = Array(lessonText("ok\nbad \u{00}").utf8)
    bytes[bytes.count - 1] = 0xFF
    do {
        _ = try LessonParser.parse(bytes: bytes, file: "x.md")
        Issue.record("non-UTF-8 accepted")
    } catch {
        #expect(error.message.contains("not UTF-8"))
        #expect(error.location == SourceLocation(line: 9, column: 5))
    }
}

@Test func tenMegabyteFileIsBadInputAndLeavesNoReport() throws {
    let path = NSTemporaryDirectory() + "bnlab-big-\(UUID().uuidString).md"
    let json = path + ".json"
    try Data(count: 10 * 1024 * 1024).write(to: URL(fileURLWithPath: path))
    defer { try? FileManager.default.removeItem(atPath: path) }
    let run = headless(HeadlessOptions(lessons: [path], json: json))
    #expect(run.code == 2)
    #expect(run.errors.contains("the file is 10 MiB; the limit is 1 MiB"))
    #expect(!FileManager.default.fileExists(atPath: json))
}

/// `--json` takes a value: `--json lesson.md other.md` must not write the report over lesson.md. A file
/// at the path is replaced only when it is an earlier report (or empty).
@Test func jsonNeverOverwritesALessonOrOtherFile() throws {
    try withTemporaryDirectory("bnlab-json") { folder in
        let directory = folder + "/"
        let lesson = directory + "00-x.md", other = directory + "notes.txt", report = directory + "report.json"
        let lessonText = lessonText("Some prose.\n")
        try lessonText.write(toFile: lesson, atomically: true, encoding: .utf8)
        try "my notes\n".write(toFile: other, atomically: true, encoding: .utf8)
        for (target, expected) in [(lesson, "it is a lesson"), (other, "it is not a bnlab report")] {
            let run = headless(HeadlessOptions(lessons: [lesson], json: target))
            #expect(run.code == 2)
            #expect(run.errors.contains(expected), "\(run.errors)")
            #expect(run.errors.contains("--json report.json"))
        }
        #expect(try String(contentsOfFile: lesson, encoding: .utf8) == lessonText)
        #expect(try String(contentsOfFile: other, encoding: .utf8) == "my notes\n")
        // An earlier report, and an empty file, are replaced.
        for _ in 0..<2 { #expect(headless(HeadlessOptions(lessons: [lesson], json: report)).code == 0) }
        #expect(FileManager.default.createFile(atPath: other, contents: Data()))
        #expect(headless(HeadlessOptions(lessons: [lesson], json: other)).code == 0)
        #expect(try String(contentsOfFile: other, encoding: .utf8).contains("bnlab-report"))
    }
}

@Test func directoryGivenAsLessonIsBadInput() {
    let run = headless(HeadlessOptions(lessons: [NSTemporaryDirectory()]))
    #expect(run.code == 2)
    #expect(run.errors.contains("this is a directory"))
}

@Test func unknownLessonIdIsBadInput() {
    let run = headless(HeadlessOptions(lessons: ["bn-transfrom"], lessonsDirectory: Paths.lessons))
    #expect(run.code == 2)
    #expect(run.errors.contains("no lesson with id 'bn-transfrom'"))
    #expect(run.errors.contains("did you mean 'bn-transform'?"))
}

@Test func frontMatterTextsHaveBoundsWithLocatedMessages() {
    func lesson(_ key: String, _ value: String) -> String {
        var fields = ["id": "t", "title": "T", "summary": "s", "estimated_time": "1 s"]
        fields[key] = value
        return "---\nid: \(fields["id"]!)\ntitle: \(fields["title"]!)\norder: 1\nsummary: \(fields["summary"]!)\n"
            + "estimated_time: \(fields["estimated_time"]!)\n---\n# Hello\n"
    }
    let lines = ["id": 2, "title": 3, "summary": 5, "estimated_time": 6]
    for (key, limit) in [("title", 120), ("summary", 300), ("estimated_time", 12), ("id", 40)] {
        let e = error(lesson(key, String(repeating: "a", count: limit + 1)), frontMatter: false)
        #expect(e?.message == "'\(key)' is \(limit + 1) characters long; the limit is \(limit)")
        #expect(e?.location == SourceLocation(line: lines[key]!, column: 1))
        #expect(parseError(lesson(key, String(repeating: "a", count: limit))) == nil, "\(key) at its limit")
    }
}

@Test func namesAreShortASCII() {
    let experiment = plainAndBNExperiment()
    #expect(error(experiment.replacingOccurrences(of: "bn:", with: "bn_γ:"))?.message == "variant name 'bn_γ' is not a simple name")
    let long = String(repeating: "b", count: 41)
    #expect(error(experiment.replacingOccurrences(of: "bn:", with: "\(long):"))?.message
            == "variant name '\(long.prefix(40))…' is 41 characters long; the limit is 40")
    #expect(parseError(lessonText(experiment.replacingOccurrences(of: "bn:", with: "\(long.prefix(40)):"))) == nil)
}
