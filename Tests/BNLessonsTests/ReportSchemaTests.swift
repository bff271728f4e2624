// Issue 14, "the JSON report has a schema version and its documentation matches it": a report is
// written and its keys compared with those lessons/README.md documents (section "JSON report").

import BNLessons
import Foundation
import Testing

/// A lesson that exercises every part of the report: a predict cell, probes (layer/stage/unit
/// series), a claim with a tolerance, and a variant that diverges with `may_diverge`.
private let lesson = lessonText("""
```predict
question: Which reaches the higher test accuracy?
options: [plain, bn]
answer: highest final test_accuracy
```

\(sigmoidBlobsExperiment(name: "blobs", steps: 40, extra: ["evaluation_interval: 20", "probes: { interval: 20, batch_size: 50, units: [0] }"],
                         variants: ["plain: {}", "bn: { network: { batch_norm: before } }",
                                    "wild: { network: { hidden: [8, 8], activation: relu }, optimizer: { learning_rate: 1e30 }, may_diverge: true }"]))
```claim
final test_accuracy of bn > 0.3
final test_accuracy of bn == final test_accuracy of bn ± 0.01
```

\(sigmoidBlobsExperiment(name: "dims", extra: ["evaluation_interval: 10", "seeds: [1, 2]", "sweep: { optimizer.learning_rate: [0.1, 1] }"],
                         variants: ["bn: { network: { batch_norm: before } }"]))
```claim
in every seed: final test_accuracy of bn_lr1 >= 0
count of learning_rate where final test_accuracy of bn >= 0 == 2
```

""")

/// Keys a report leaves out when they have no value (the README says so in one sentence).
private let omittable: Set<String> = ["error", "failure", "tolerance", "note", "layer", "stage", "unit", "answer",
                                      "step", "message", "expected", "never_in", "seed_offsets", "hold_rates",
                                      "lesson", "text", "held", "runs", "failed_at_offsets", "closest_offset", "closest_margin",
                                      // seeds and sweeps (this lesson writes them all, checked below)
                                      "seeds", "seed", "sweep", "base", "sweep_value", "field", "per_seed", "over", "at", "seed_verdicts"]

/// The keys in the README's JSON report block: quoted words not in value position (after ':' or '|').
private func documentedKeys() throws -> (keys: Set<String>, section: String) {
    let readme = try String(contentsOfFile: Paths.repository.appendingPathComponent("lessons/README.md").path, encoding: .utf8)
    guard let start = readme.range(of: "## JSON report") else { return ([], "") }
    let section = String(readme[start.lowerBound...]).components(separatedBy: "\n## ").first ?? ""
    guard let open = section.range(of: "```text\n"), let close = section.range(of: "```", range: open.upperBound..<section.endIndex) else {
        return ([], section)
    }
    let block = section[open.upperBound..<close.lowerBound]
    var keys = Set<String>()
    let regex = try NSRegularExpression(pattern: #"([:|]\s*)?"([a-z_]+)""#)
    let text = String(block)
    for match in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) where match.range(at: 1).location == NSNotFound {
        if let r = Range(match.range(at: 2), in: text) { keys.insert(String(text[r])) }
    }
    return (keys, section)
}

/// Every key at any depth of a decoded JSON value.
private func keys(of value: Any) -> Set<String> {
    if let object = value as? [String: Any] {
        return object.reduce(into: Set(object.keys)) { $0.formUnion(keys(of: $1.value)) }
    }
    if let array = value as? [Any] { return array.reduce(into: Set()) { $0.formUnion(keys(of: $1)) } }
    return []
}

@Test func reportKeysMatchTheReadme() throws {
    let (documented, section) = try documentedKeys()
    #expect(documented.contains("schema_version"))
    #expect(documented.count > 30, "the README's JSON block was not found or not read: \(documented.sorted())")

    let (run, object) = try withTemporaryDirectory("bnlab-schema") { dir in
        try lesson.write(toFile: dir + "/schema.md", atomically: true, encoding: .utf8)
        let run = headless(HeadlessOptions(lessons: [dir + "/schema.md"], json: dir + "/report.json", seedOffset: 3, ascii: true))
        return (run, try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/report.json"))))
    }
    #expect(run.code == 0, "\(run.errors)\n\(run.output)")
    let written = keys(of: object)

    #expect(written.subtracting(documented).isEmpty, "written but not documented: \(written.subtracting(documented).sorted())")
    #expect(documented.subtracting(written).subtracting(omittable).isEmpty,
            "documented but not written: \(documented.subtracting(written).subtracting(omittable).sorted())")
    // This lesson fills in the divergence, the tolerance, seeds and a sweep, so only genuinely absent values stay out.
    #expect(written.isSuperset(of: ["failure", "tolerance", "layer", "stage", "unit", "answer", "seed_offset", "summary",
                                    "seeds", "seed", "sweep", "base", "field", "sweep_value", "per_seed", "over", "at", "seed_verdicts"]))
    // The README says which keys may be left out.
    for key in ["error", "failure", "tolerance", "note", "never_in", "hold_rates", "seed", "sweep_value", "per_seed", "over", "seed_verdicts"] {
        #expect(section.contains("`\(key)`"), "the README does not say '\(key)' may be left out")
    }

    let top = object as? [String: Any]
    #expect(top?["schema_version"] as? Int == 3)
    #expect(section.contains("\"schema_version\": 3"))
    #expect(top?["format"] as? String == "bnlab-report")
}
