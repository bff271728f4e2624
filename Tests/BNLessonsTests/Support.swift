// Helpers: the shipped lessons folder, fixtures, and a headless run captured as text.

@testable import BNLessons
import BNEngine
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

/// Runs `body` with a fresh directory under the temporary folder (its name starts with `prefix`),
/// removed afterwards whatever `body` does.
func withTemporaryDirectory<T>(_ prefix: String, _ body: (String) throws -> T) throws -> T {
    let dir = NSTemporaryDirectory() + "\(prefix)-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    return try body(dir)
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

/// A valid small train experiment on blobs as a fenced cell: by default plain and BN, 5 steps, which
/// bad-input tests mutate or extend; the parameters make the slightly larger ones other tests run.
/// `extra` lines go after `steps` (an empty one stays an empty line); `variants` are written under `variants:`.
func plainAndBNExperiment(name: String = "e", trainSize: Int = 100, testSize: Int = 50, hidden: String = "[4]",
                          activation: String = "relu", learningRate: String = "0.1", batchSize: Int = 10, steps: Int = 5,
                          extra: [String] = [],
                          variants: [String] = ["plain: {}", "bn: { network: { batch_norm: before } }"]) -> String {
    let head = ["```experiment", "name: \(name)", "data: { dataset: blobs, train_size: \(trainSize), test_size: \(testSize) }",
                "network: { hidden: \(hidden), activation: \(activation) }", "optimizer: { name: sgd, learning_rate: \(learningRate) }",
                "batch_size: \(batchSize)", "steps: \(steps)"]
    return (head + extra + ["variants:"] + variants.map { "  " + $0 } + ["```", ""]).joined(separator: "\n")
}

/// The sigmoid network on 200 blobs the seed, sweep and report tests train (20 steps unless told).
func sigmoidBlobsExperiment(name: String = "e", steps: Int = 20, extra: [String], variants: [String]) -> String {
    plainAndBNExperiment(name: name, trainSize: 200, testSize: 100, hidden: "[8]", activation: "sigmoid", learningRate: "0.5",
                         batchSize: 20, steps: steps, extra: extra, variants: variants)
}

/// A train experiment "e" of hand-made records, for claim tests: each variant's name and record.
func handMadeResult(_ variants: [(String, RunRecord)], plannedSteps: Int, mayDiverge: Set<String> = [],
                    tweaked: Bool = false) -> ExperimentResult {
    ExperimentResult(name: "e", kind: .train, variants: variants.map { name, record in
        VariantResult(name: name, record: record, plannedSteps: plannedSteps, mayDiverge: mayDiverge.contains(name), tables: [])
    }, tweaked: tweaked, cancelled: false)
}

/// A claim on line 1, parsed against `context` and judged against `result`.
func judge(_ text: String, _ context: ClaimContext, _ result: ExperimentResult) throws -> ClaimOutcome {
    ClaimEvaluator.evaluate(try ClaimParser.claim(text, at: SourceLocation(line: 1), context: context), in: result)
}
