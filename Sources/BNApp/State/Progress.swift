// What a learner has done, kept across sessions: per lesson the predictions picked, the experiments
// run to the end, and how many claims passed. Stored as JSON in `$XDG_STATE_HOME/bnlab/progress.json`
// (default `~/.local/state/bnlab`), written atomically. A file that is too large, not JSON, or holds
// values out of range is ignored with a note: it never stops the app.
//
// Leaves out the runs' numbers: a restarted app shows marks, and a rerun shows the plots again.

import BNFiles
import BNLessons
import BNPlots
import Foundation

/// One lesson's saved progress.
public struct LessonProgress: Codable, Equatable, Sendable {
    /// The option picked per predict cell, by cell index.
    public var predictions: [String: Int] = [:]
    /// Experiments that ran to the end.
    public var ran: [String] = []
    /// Per experiment, its claims' outcome on its latest finished run.
    public var claims: [String: ClaimCounts] = [:]

    public init() {}

    var isEmpty: Bool { predictions.isEmpty && ran.isEmpty }
}

/// How an experiment's claims came out on its latest finished run.
public struct ClaimCounts: Codable, Equatable, Sendable {
    public var passed = 0
    public var total = 0
    /// Claims not judged because the run was tweaked.
    public var notJudged = 0

    public init(passed: Int = 0, total: Int = 0, notJudged: Int = 0) {
        self.passed = passed
        self.total = total
        self.notJudged = notJudged
    }
}

/// The progress file's contents.
public struct SavedProgress: Codable, Equatable, Sendable {
    public static let currentVersion = 1
    public var version = SavedProgress.currentVersion
    public var lessons: [String: LessonProgress] = [:]

    public init(lessons: [String: LessonProgress] = [:]) { self.lessons = lessons }
}

/// Reading and writing the progress file.
public enum ProgressFile {
    /// Files larger than this are not read.
    static let maximumBytes = 1 << 20
    /// Lessons, predictions and experiments per lesson beyond these make the file suspect.
    static let maximumEntries = 1000

    /// `$XDG_STATE_HOME/bnlab/progress.json`, or `~/.local/state/bnlab/progress.json`; nil when
    /// neither an absolute XDG_STATE_HOME nor HOME is set. (A relative XDG_STATE_HOME is ignored, as
    /// the XDG specification asks.)
    public static func path(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") { return state + "/bnlab/progress.json" }
        guard let home = environment["HOME"], home.hasPrefix("/") else { return nil }
        return home + "/.local/state/bnlab/progress.json"
    }

    /// The saved progress at `path`, and a note when the file was there but could not be used.
    public static func load(path: String) -> (SavedProgress, note: String?) {
        func ignored(_ why: String) -> (SavedProgress, note: String?) {
            (SavedProgress(), "progress file \(path) ignored: \(why)")
        }
        let data: Data
        do { data = Data(try InputFile.read(path, limit: maximumBytes)) } catch {
            return error.reason == .missing ? (SavedProgress(), nil) : ignored(error.message)
        }
        let saved: SavedProgress
        do {
            saved = try JSONDecoder().decode(SavedProgress.self, from: data)
        } catch {
            return ignored("not a bnlab progress file")
        }
        guard saved.version == SavedProgress.currentVersion else { return ignored("version \(saved.version), expected \(SavedProgress.currentVersion)") }
        guard saved.lessons.count <= maximumEntries else { return ignored("too many lessons") }
        for (id, lesson) in saved.lessons {
            guard id.count <= 200, lesson.predictions.count <= maximumEntries, lesson.ran.count <= maximumEntries,
                  lesson.claims.count <= maximumEntries,
                  lesson.claims.values.allSatisfy({ c in
                      [c.passed, c.total, c.notJudged].allSatisfy { (0...100_000).contains($0) } && c.passed + c.notJudged <= c.total
                  }),
                  lesson.predictions.allSatisfy({ Int($0.key).map { (0..<100_000).contains($0) } == true && (0..<100).contains($0.value) })
            else { return ignored("lesson '\(VisibleText.sanitize(String(id.prefix(40)), ascii: false))' has values out of range") }
        }
        return (saved, nil)
    }

    /// Writes `progress` to `path` atomically, creating its folder.
    public static func save(_ progress: SavedProgress, path: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        try AtomicFile.write(try encoder.encode(progress), to: path)
    }
}

extension AppState {
    /// Takes saved progress: predictions come back into their cells, marks onto the list.
    public mutating func restore(_ progress: SavedProgress) {
        saved = progress.lessons
        for lesson in lessons {
            guard let p = progress.lessons[lesson.id] else { continue }
            for (cell, option) in p.predictions {
                guard let index = Int(cell), lesson.cells.indices.contains(index),
                      case .predict(let predict) = lesson.cells[index], predict.options.indices.contains(option) else { continue }
                predictions["\(lesson.id)/\(index)"] = option
            }
        }
    }

    /// Progress to save: what was restored, updated with this session's predictions and finished runs.
    public var progress: SavedProgress {
        var out = saved
        for lesson in lessons where lesson.error == nil {
            var p = out[lesson.id] ?? LessonProgress()
            for (index, cell) in lesson.cells.enumerated() {
                if case .predict = cell, let option = predictions["\(lesson.id)/\(index)"] { p.predictions[String(index)] = option }
            }
            let live = Marks.live(lesson, in: self)
            p.ran = Array(Set(p.ran).union(live.ran)).sorted()
            p.claims.merge(live.claims) { _, new in new }
            if !p.isEmpty { out[lesson.id] = p }
        }
        return SavedProgress(lessons: out)
    }
}

extension AppState {
    /// Forgets `lessonID`'s progress: saved and this session's predictions and runs.
    mutating func resetProgress(of lessonID: String) {
        saved[lessonID] = nil
        predictions = predictions.filter { !$0.key.hasPrefix(lessonID + "/") }
        runs = runs.filter { !$0.key.hasPrefix(lessonID + "/") || $0.key == activeRun }
    }
}
