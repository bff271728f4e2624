// Helpers: the shipped lessons folder, fixtures, and a headless run captured as text.

import BNLessons
import Foundation

enum Paths {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let lessons = repository.appendingPathComponent("lessons").path
    static var fixtures: String {
        Bundle.module.url(forResource: "Fixtures", withExtension: nil)?.path
            ?? repository.appendingPathComponent("Tests/BNLessonsTests/Fixtures").path
    }
    static func fixture(_ name: String) -> String { (fixtures as NSString).appendingPathComponent(name) }
}

/// Output, errors and exit code of one headless run.
struct Captured {
    var output: String
    var errors: String
    var code: Int32
}

final class TextSink: @unchecked Sendable {
    private let lock = NSLock()
    private var text = ""
    func append(_ s: String) { lock.withLock { text += s } }
    var value: String { lock.withLock { text } }
}

func headless(_ options: HeadlessOptions) -> Captured {
    let out = TextSink(), err = TextSink()
    let code = HeadlessRunner.run(options, output: { out.append($0) }, errors: { err.append($0) })
    return Captured(output: out.value, errors: err.value, code: code)
}

/// A lesson from text, with a minimal front matter prepended.
func lessonText(_ body: String) -> String {
    "---\nid: t\ntitle: T\norder: 1\nsummary: s\nestimated_time: 1 s\n---\n" + body
}

/// Parses text, returning the error if any.
func parseError(_ text: String) -> LessonError? {
    do {
        _ = try LessonParser.parse(text: text, file: "x.md")
        return nil
    } catch {
        return error
    }
}

/// A valid two-variant experiment (plain and BN on blobs, 5 steps) that bad-input tests mutate or extend.
let plainAndBNExperiment = """
```experiment
name: e
data: { dataset: blobs, train_size: 100, test_size: 50 }
network: { hidden: [4], activation: relu }
optimizer: { name: sgd, learning_rate: 0.1 }
batch_size: 10
steps: 5
variants:
  plain: {}
  bn: { network: { batch_norm: before } }
```

"""
