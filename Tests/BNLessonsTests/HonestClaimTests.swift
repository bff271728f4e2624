// Claims that cannot mislead (issue 12): NaN fails every reduction, "never" is not a pass, checks are
// told from findings, the parser is bounded, prose numbers come from the run, seeds shift by an offset.
import Foundation

@testable import BNLessons
import BNEngine
import Testing

private let context = ClaimContext(experiment: "e", variants: ["plain", "wild"], metrics: ExperimentKind.train.metricNames, layerCount: 3)

/// plain: accuracy 0.1 → 0.9 over 400 steps; wild: batch_loss 1, 2, NaN at step 140, 3 (a run that diverged).
private func result() -> ExperimentResult {
    var plain = RunRecord(), wild = RunRecord()
    for (step, p) in [(0, 0.1), (100, 0.5), (200, 0.7), (400, 0.9)] { plain.append(MetricKey("test_accuracy"), step: step, p) }
    for (step, loss) in [(0, 1.0), (70, -2.0), (140, .nan), (210, 3.0)] {
        wild.append(MetricKey("batch_loss"), step: step, loss)
        wild.append(MetricKey("gradient_norm", layer: 1), step: step, abs(loss) + 1)
    }
    plain.steps = 400
    wild.steps = 210
    return handMadeResult([("plain", plain), ("wild", wild)], plannedSteps: 400, mayDiverge: ["wild"])
}

private func check(_ text: String) throws -> ClaimOutcome {
    try judge(text, context, result())
}

@Test(arguments: ["max", "min", "range", "max abs", "min abs", "mean", "mean abs", "mean last 2"])
func aNaNAnywhereInTheSeriesFailsEveryReduction(reduction: String) throws {
    // Swift's max() skips a NaN that is not first: the old evaluator passed these.
    for claim in ["\(reduction) batch_loss of wild < 1e30", "\(reduction) batch_loss of wild > -1e30"] {
        let o = try check(claim)
        #expect(o.verdict == .fail, "\(claim)")
        #expect(o.left.isNaN)
        #expect(o.note?.contains("NaN at step 140 in wild") == true, "\(o.note ?? "")")
    }
}

@Test func aNaNFailsSlopesAndPointReductionsToo() throws {
    let slope = try check("slope batch_loss vs step in wild < 1e30")
    #expect(slope.verdict == .fail)
    #expect(slope.note?.contains("NaN at step 140") == true)
    #expect(try check("at step 140 batch_loss of wild < 1e30").note?.contains("NaN at step 140") == true)
    // A clean series is unaffected.
    #expect(try check("max test_accuracy of plain == 0.9").verdict == .pass)
}

@Test func aClaimThatHoldsOnlyBecauseASideNeverGotThereFails() throws {
    // Old rule: never is ∞, so "∞ > 100" held whatever the run did.
    let o = try check("steps until test_accuracy >= 0.99 of plain > 100")
    #expect(o.verdict == .fail)
    #expect(o.measurements.first?.displayValue == "never (in 400 steps)")
    #expect(o.note?.contains("or never") == true)
    // The same comparison inside a sum: still refused.
    #expect(try check("steps until test_accuracy >= 0.99 of plain > 2 * steps until test_accuracy >= 0.5 of plain").verdict == .fail)
    // Saying that never counts makes it a claim about never reaching.
    let allowed = try check("steps until test_accuracy >= 0.99 of plain or never > 100")
    #expect(allowed.verdict == .pass)
    #expect(allowed.measurements.first?.expression == "steps until test_accuracy >= 0.99 of plain or never")
    // Both sides never: nothing was measured, even with 'or never'.
    #expect(try check("steps until test_accuracy >= 0.99 of plain or never >= steps until test_accuracy >= 0.999 of plain or never").verdict == .fail)
    // A threshold reached is unaffected.
    #expect(try check("steps until test_accuracy >= 0.5 of plain == 100").verdict == .pass)
}

@Test func neverClaimsSayTheThresholdWasNotReached() throws {
    #expect(try check("never test_accuracy >= 0.99 of plain").verdict == .pass)
    let reached = try check("never test_accuracy >= 0.9 of plain")
    #expect(reached.verdict == .fail)
    #expect(reached.left == 400)
    #expect(throws: LessonError.self) { try ClaimParser.claim("never test_accuracy of plain", at: SourceLocation(line: 1), context: context) }
}

@Test func checksAreTheirOwnKindShownAndCountedApart() throws {
    let text = lessonText("""
    ```experiment
    name: t
    kind: transform
    batch: [[1, 2], [3, 5]]
    ```

    ```check
    gamma_size == features
    ```

    ```claim
    identity_error < 1e-5
    ```
    """)
    let lesson = try LessonParser.parse(text: text, file: "t.md")
    let kinds = lesson.cells.compactMap { cell -> ClaimKind? in
        if case .claims(let claims) = cell.content { return claims.first?.kind } else { return nil }
    }
    #expect(kinds == [.check, .finding])
    let path = NSTemporaryDirectory() + "bnlab-check-\(UUID().uuidString).md"
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let json = path + ".json"
    defer { try? FileManager.default.removeItem(atPath: json) }
    let run = headless(HeadlessOptions(lessons: [path], json: json, ascii: true))
    #expect(run.code == 0, "\(run.errors)")
    #expect(run.output.contains("[check ok] gamma_size == features"))
    #expect(run.output.contains("  [ok] identity_error < 1e-5"))
    #expect(run.output.contains("findings: 1 held, 0 failed; checks: 1 held, 0 failed"))
    let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any]
    let claims = (object?["lessons"] as? [[String: Any]])?.first?["claims"] as? [[String: Any]]
    #expect(claims?.map { $0["kind"] as? String } == ["check", "finding"])
    let summary = object?["summary"] as? [String: Int]
    #expect(summary?["checks_held"] == 1 && summary?["findings_held"] == 1)
    #expect(object?["seed_offset"] as? Int == 0)
}

@Test(arguments: [
    String(repeating: "(", count: 10_000) + "1" + String(repeating: ")", count: 10_000) + " > 0",
    Array(repeating: "1", count: 20_000).joined(separator: " + ") + " > 0",
    String(repeating: "-", count: 200_000) + "1 > 0",
    String(repeating: "(", count: 40) + "1" + String(repeating: ")", count: 40) + " > 0",
    String(repeating: "abs(", count: 40) + "1" + String(repeating: ")", count: 40) + " > 0",
    String(repeating: "- ", count: 40) + "1 > 0",
    Array(repeating: "1", count: 300).joined(separator: "+") + " > 0",
])
func hostileClaimsGiveALocatedErrorNotAStackOverflow(claim: String) {
    do {
        _ = try ClaimParser.claim(claim, at: SourceLocation(line: 7, column: 3), context: context)
        Issue.record("parsed a hostile claim")
    } catch {
        #expect(error.location.line == 7)
        #expect(error.location.column > 3)
        #expect(error.message.contains("limit") || error.message.contains("nests"), "\(error.message)")
    }
}

@Test func reasonableNestingStillParses() throws {
    let claim = String(repeating: "(", count: 10) + "final test_accuracy of plain" + String(repeating: ")", count: 10) + " > -(-(0.5))"
    #expect(try check(claim).verdict == .pass)
}

@Test func claimsNameMetricsWithTheEnginesKey() throws {
    let claim = try ClaimParser.claim("max abs gradient_norm of layer 1 in wild > 0", at: SourceLocation(line: 1), context: context)
    guard case .measurement(let m) = claim.left else { Issue.record("not a measurement"); return }
    #expect(m.metric == MetricKey("gradient_norm", layer: 1))
    #expect(m.metric.claimText == "gradient_norm of layer 1")
}

// MARK: Numbers in prose

private let proseLesson = lessonText("""
The identity error is {{ final identity_error | fixed 1 }} and gamma has {{ t: gamma_size | int }} entries \
({{ final max_abs_mean < 1 }}), about one per feature [cite: Ioffe & Szegedy 2015].

```experiment
name: t
kind: transform
batch: [[1, 2], [3, 5]]
```

Twice the features: {{ 2 * features }}; a share: {{ features / 4 | percent }}.
""")

@Test func prosePlaceholdersBeforeTheRunAndNumbersAfter() throws {
    // A comparison is not an expression.
    #expect(parseError(proseLesson)?.message.contains("unexpected '<'") == true)
    let text = proseLesson.replacingOccurrences(of: " ({{ final max_abs_mean < 1 }})", with: "")
    let lesson = try LessonParser.parse(text: text, file: "t.md")
    let first = lesson.filledProse(cell: 0, results: nil)
    #expect(first.contains("The identity error is […] and gamma has […] entries"), "\(first)")
    let result = try ExperimentRunner.run(lesson.experiments[0])
    let filled = lesson.filledProse(cell: 0, results: ["t": result])
    #expect(filled.contains("The identity error is 0.0 and gamma has 2 entries"), "\(filled)")
    #expect(lesson.filledProse(cell: 2, results: ["t": result]).trimmingCharacters(in: .whitespacesAndNewlines) == "Twice the features: 4; a share: 50.0%.")
    let rendered = ProseRenderer.render(filled, width: 200).map(\.text).joined(separator: "\n")
    #expect(rendered.contains("about one per feature [quoted from Ioffe & Szegedy 2015]."))
}

@Test func badProseValuesAreLocatedErrors() {
    let unknown = parseError(lessonText("```experiment\nname: t\nkind: transform\nbatch: [[1, 2], [3, 5]]\n```\n\nSee {{ final nonsense }}.\n"))
    #expect(unknown?.message.contains("unknown metric 'nonsense'") == true)
    #expect(unknown?.location == SourceLocation(line: 14, column: 14))
    let format = parseError(lessonText("```experiment\nname: t\nkind: transform\nbatch: [[1, 2], [3, 5]]\n```\n\nSee {{ features | furlongs }}.\n"))
    #expect(format?.message.contains("unknown format") == true)
    let open = parseError(lessonText("```experiment\nname: t\nkind: transform\nbatch: [[1, 2], [3, 5]]\n```\n\nSee {{ features.\n"))
    #expect(open?.message.contains("never closed") == true)
    let experiment = parseError(lessonText("```experiment\nname: t\nkind: transform\nbatch: [[1, 2], [3, 5]]\n```\n\nSee {{ u: features }}.\n"))
    #expect(experiment?.message.contains("no experiment named 'u'") == true)
}

// MARK: Seeds

private let seededLesson = lessonText("""
\(sigmoidBlobsExperiment(name: "s", extra: ["evaluation_interval: 10", "train_evaluation_size: 100"],
                         variants: ["s1: { seed: 1 }", "s2: { seed: 2 }", "s8: { seed: 8 }", "s9: { seed: 9 }"]))
```claim
final test_accuracy of s1 >= 0
```
""")

@Test func aSeedOffsetShiftsEverySeedSoVariantsStayDifferent() throws {
    let spec = try LessonParser.parse(text: seededLesson, file: "s.md").experiments[0]
    let plain = try ExperimentRunner.run(spec)
    let shifted = try ExperimentRunner.run(spec, options: RunOptions(seedOffset: 7))
    func losses(_ r: ExperimentResult, _ v: String) -> MetricSeries? { r.variant(named: v)?.record.series[MetricKey("test_loss")] }
    // seed 1 + 7 = 8 and 2 + 7 = 9: the offset run's s1/s2 are the written run's s8/s9.
    #expect(losses(shifted, "s1") == losses(plain, "s8"))
    #expect(losses(shifted, "s2") == losses(plain, "s9"))
    #expect(losses(shifted, "s1") != losses(shifted, "s2"))
}

@Test func seedsRunsEveryLessonAtSeveralOffsetsAndCountsHolds() throws {
    let text = seededLesson.replacingOccurrences(of: "final test_accuracy of s1 >= 0",
                                                 with: "final test_accuracy of s1 >= 0\nfinal test_loss of s1 == final test_loss of s8")
    let path = NSTemporaryDirectory() + "bnlab-seeds-\(UUID().uuidString).md"
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let run = headless(HeadlessOptions(lessons: [path], seedRuns: 3, ascii: true))
    #expect(run.code == 1)
    #expect(run.output.contains("[ok] held 3/3  final test_accuracy of s1 >= 0"), "\(run.output)")
    // Too long for 80 columns: wrapped under the claim's text, nothing cut.
    #expect(run.output.contains("  [FAIL] held 0/3  final test_loss of s1 == final test_loss of s8 (failed at\n         offset 0, 1, 2)\n"), "\(run.output)")
    let wide = run.output.split(separator: "\n").filter { $0.count > 80 && !$0.hasPrefix("FAILED: ") }
    #expect(wide.isEmpty, "\(wide)")
    #expect(run.output.hasSuffix("over 3 seed offsets (0 to 2):\n  findings: 1 held, 1 failed; checks: 0 held, 0 failed\n"))
    #expect(headless(HeadlessOptions(lessons: [path], seedRuns: 0)).code == 2)
}

@Test func seedsShowWhereAFindingCameClosestToFailing() throws {
    // A finding on s1's accuracy, a check and a finding that fails at every offset.
    let text = seededLesson.replacingOccurrences(of: "final test_accuracy of s1 >= 0", with: """
        final test_accuracy of s1 >= 0.25
        final test_accuracy of s1 > 1
        ```

        ```check
        final test_accuracy of s1 == final test_accuracy of s1 ± 0.5
        """)
    let (run, report) = try withTemporaryDirectory("bnlab-closest") { dir in
        try text.write(toFile: dir + "/s.md", atomically: true, encoding: .utf8)
        let run = headless(HeadlessOptions(lessons: [dir + "/s.md"], json: dir + "/report.json", seedRuns: 3, ascii: true))
        return (run, try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/report.json"))) as? [String: Any])
    }
    #expect(run.code == 1, "\(run.errors)")

    // The expected closest call, from the experiment run at each offset on its own.
    let spec = try LessonParser.parse(text: text, file: "s.md").experiments[0]
    let accuracies = try (0..<3).map { offset in
        try #require(ExperimentRunner.run(spec, options: RunOptions(seedOffset: UInt64(offset)))
            .variant(named: "s1")?.record.series[MetricKey("test_accuracy")]?.values.last)
    }
    let lowest = try #require(accuracies.indices.min { accuracies[$0] < accuracies[$1] })
    #expect(accuracies.allSatisfy { $0 >= 0.25 }, "the finding should hold at every offset: \(accuracies)")
    #expect(Set(accuracies).count > 1, "the offsets should differ, or any offset is the closest: \(accuracies)")
    let margin = accuracies[lowest] - 0.25
    #expect(run.output.contains("""
          [ok] held 3/3  final test_accuracy of s1 >= 0.25
                   closest at offset \(lowest): \(formatNumber(accuracies[lowest])) >= 0.25 (margin \(formatNumber(margin)))

        """), "\(run.output)")
    // Only the finding that held every time has one: not the failed finding, not the check.
    #expect(run.output.components(separatedBy: "closest at offset").count == 2, "\(run.output)")

    let rates = try #require(report?["hold_rates"] as? [[String: Any]])
    #expect(rates.count == 3)
    #expect(rates[0]["closest_offset"] as? Int == lowest)
    #expect(abs((rates[0]["closest_margin"] as? Double ?? .nan) - margin) < 1e-12)
    #expect(rates.dropFirst().allSatisfy { $0["closest_offset"] == nil && $0["closest_margin"] == nil })
}

@Test func aMarginIsHowFarAClaimWasFromItsBound() throws {
    // plain's max test_accuracy is 0.9.
    let cases: [(String, Double?)] = [
        ("max test_accuracy of plain < 1", 0.1), ("max test_accuracy of plain <= 0.9", 0),
        ("max test_accuracy of plain > 0.5", 0.4), ("max test_accuracy of plain >= 1", -0.1),
        ("max test_accuracy of plain == 0.88 ± 0.05", 0.03), ("max test_accuracy of plain == 0.7 ± 0.1", -0.1),
        ("max test_accuracy of plain == 0.9", nil), ("max test_accuracy of plain != 0.5", nil),
        ("max batch_loss of wild < 1e30", nil),                        // a NaN side
        ("steps until test_accuracy >= 0.99 of plain or never > 100", nil),  // about never getting there
    ]
    for (claim, expected) in cases {
        let margin = try check(claim).margin
        if let expected {
            #expect(margin.map { abs($0 - expected) < 1e-12 } == true, "\(claim): \(String(describing: margin))")
        } else {
            #expect(margin == nil, "\(claim): \(String(describing: margin))")
        }
    }
}
