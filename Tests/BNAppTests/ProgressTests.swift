// Progress across sessions: saved after a run, shown on the list after a restart, reset with x,
// and a hostile progress file ignored with a note.

@testable import BNApp
import BNLessons
import Foundation
import Testing

@Suite struct ProgressTests {
    func temporaryPath() throws -> String {
        let directory = NSTemporaryDirectory() + "bnlab-progress-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return directory + "/state/bnlab/progress.json"
    }

    @Test func theStateDirectoryFollowsXDG() {
        #expect(ProgressFile.path(environment: ["XDG_STATE_HOME": "/x/state", "HOME": "/home/a"]) == "/x/state/bnlab/progress.json")
        #expect(ProgressFile.path(environment: ["HOME": "/home/a"]) == "/home/a/.local/state/bnlab/progress.json")
        #expect(ProgressFile.path(environment: ["XDG_STATE_HOME": "relative", "HOME": "/home/a"]) == "/home/a/.local/state/bnlab/progress.json")
        #expect(ProgressFile.path(environment: [:]) == nil)
    }

    @Test func aRestartShowsTheMarksAndPredictionsOfTheLastSession() throws {
        var s = Fixtures.state()
        _ = s.open(lessonID: "toy-lesson")
        _ = s.press(.character("n"))
        _ = s.press(.character("2"))
        _ = s.press(.enter)
        Fixtures.runToEnd(&s, "toy")
        _ = s.press(.character("l"))
        let before = Layout.render(s, unicode: true).lines[4]
        #expect(before.contains("✓ run, 1/2 claims"))

        let path = try temporaryPath()
        try ProgressFile.save(s.progress, path: path)
        let (loaded, note) = ProgressFile.load(path: path)
        #expect(note == nil)
        #expect(loaded.lessons["toy-lesson"]?.predictions == ["1": 1])
        #expect(loaded.lessons["toy-lesson"]?.claims["toy"] == ClaimCounts(passed: 1, total: 2))

        var restarted = Fixtures.state()
        restarted.restore(loaded)
        #expect(Layout.render(restarted, unicode: true).lines[4] == before)
        #expect(restarted.predictions["toy-lesson/1"] == 1)
        // Nothing new this session: what is saved stays as it was.
        #expect(restarted.progress == loaded)
    }

    @Test func xTwiceForgetsTheSelectedLessonsProgress() {
        var s = Fixtures.state()
        s.restore(SavedProgress(lessons: ["toy-lesson": { var p = LessonProgress(); p.ran = ["toy"]; p.predictions = ["1": 0]; return p }()]))
        #expect(Layout.render(s, unicode: true).text.contains("✓ run"))
        _ = s.press(.character("x"))
        #expect(s.message?.contains("press x again") == true)
        #expect(s.saved["toy-lesson"] != nil)
        _ = s.press(.character("x"))
        #expect(s.saved["toy-lesson"] == nil && s.predictions.isEmpty)
        #expect(!Layout.render(s, unicode: true).text.contains("✓ run"))
        #expect(s.progress.lessons.isEmpty)
    }

    @Test func aTweakedRunIsListedAsNotJudged() {
        var s = Fixtures.state()
        _ = s.open(lessonID: "toy-lesson")
        _ = s.press(.end)
        _ = s.press(.character("t"))
        _ = s.press(.right)
        _ = s.press(.enter)
        Fixtures.runToEnd(&s, "toy")
        _ = s.press(.character("l"))
        let text = Layout.render(s, unicode: true).text
        #expect(text.contains("✓ run, tweaked: not judged"))
        #expect(!text.contains("0/2 claims"))
    }

    @Test(arguments: [
        "not json at all",
        "{\"version\": 1, \"lessons\": {\"a\": {\"predictions\": {\"1\": 7000}, \"ran\": [], \"claims\": {}}}}",
        "{\"version\": 1, \"lessons\": {\"a\": {\"predictions\": {}, \"ran\": [], \"claims\": {\"e\": {\"passed\": 9, \"total\": 2, \"notJudged\": 0}}}}}",
        "{\"version\": 99, \"lessons\": {}}",
        "{\"version\": 1, \"lessons\": {\"a\": {\"predictions\": {\"-4\": 0}, \"ran\": [], \"claims\": {}}}}",
        "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
    ])
    func aHostileProgressFileIsIgnoredWithANote(contents: String) throws {
        let path = try temporaryPath()
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try contents.write(toFile: path, atomically: true, encoding: .utf8)
        let (loaded, note) = ProgressFile.load(path: path)
        #expect(loaded == SavedProgress())
        #expect(note?.hasPrefix("progress file \(path) ignored: ") == true)
    }

    @Test func aHugeFileAFolderOrAFIFOIsNotRead() throws {
        let path = try temporaryPath()
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        #expect(ProgressFile.load(path: path).note?.contains("it is a directory, not a regular file") == true)
        let big = path + ".big"
        try Data(count: ProgressFile.maximumBytes + 1).write(to: URL(fileURLWithPath: big))
        #expect(ProgressFile.load(path: big).note?.contains("the limit is") == true)
        #expect(ProgressFile.load(path: path + ".missing").note == nil)
        // A FIFO: FileHandle(forReadingAtPath:), which this used, blocked in open(2) until a writer came.
        let fifo = path + ".fifo"
        #expect(mkfifo(fifo, 0o644) == 0)
        #expect(ProgressFile.load(path: fifo).note?.contains("it is a FIFO, not a regular file") == true)
    }

    @Test func predictionsForCellsThatAreNotPredictionsAreDropped() {
        var s = Fixtures.state()
        var p = LessonProgress()
        p.predictions = ["0": 1, "1": 5, "2": 0]  // prose, an option out of range, the experiment cell
        s.restore(SavedProgress(lessons: ["toy-lesson": p]))
        #expect(s.predictions.isEmpty)
    }

    @Test func aKnobOverTheComparedFieldIsRefusedWithAReason() {
        var s = Fixtures.state()
        _ = s.open(lessonID: "toy-lesson")
        _ = s.press(.end)
        _ = s.press(.character("t"))
        _ = s.press(.down)
        _ = s.press(.down)  // norm placement: plain vs bn differ by it
        #expect(s.knobSelection == Knobs.Field.placement.rawValue)
        _ = s.press(.right)
        #expect(s.knobs(of: "toy") == Knobs())
        #expect(s.message == "norm placement is what the variants of toy compare (none vs before): one value for all would make their names false")
        #expect(Layout.render(s, unicode: true).text.contains("norm placement  compared by the variants: fixed"))
        _ = s.press(.up)  // learning rate: the same in both, so a knob
        _ = s.press(.right)
        #expect(s.knobs(of: "toy").learningRate != nil)
    }
}
