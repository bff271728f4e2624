// The claim language: parsing, evaluation against a hand-made record, and failures reported as failures.
import Foundation

@testable import BNLessons
import BNEngine
import Testing

private let context = ClaimContext(experiment: "e", variants: ["plain", "bn"], metrics: ExperimentKind.train.metricNames, layerCount: 3)

/// plain reaches 0.9 at step 400, bn at step 100; bn's layer-1 bias gets no gradient.
private func result(tweaked: Bool = false) -> ExperimentResult {
    var plain = RunRecord(), bn = RunRecord()
    for (step, p, b) in [(0, 0.1, 0.1), (100, 0.5, 0.9), (200, 0.7, 0.95), (400, 0.9, 0.97)] {
        plain.append(MetricKey("test_accuracy"), step: step, p)
        bn.append(MetricKey("test_accuracy"), step: step, b)
    }
    bn.append(MetricKey("bias_gradient", layer: 1), step: 400, 1e-9)
    bn.append(MetricKey("bias_gradient", layer: 1), step: 200, -3e-9)
    for (i, size) in [10.0, 100, 1000].enumerated() {
        bn.append(MetricKey("batch_mean", layer: 1), step: i, 1 / size.squareRoot())
        bn.append(MetricKey("gradient_norm", layer: 1), step: i, size)
    }
    return handMadeResult([("plain", plain), ("bn", bn)], plannedSteps: 400, tweaked: tweaked)
}

private func check(_ text: String, tweaked: Bool = false) throws -> ClaimOutcome {
    try judge(text, context, result(tweaked: tweaked))
}

@Test func finalComparisonWithArithmeticPasses() throws {
    let o = try check("final test_accuracy of bn > final test_accuracy of plain + 0.01")
    #expect(o.verdict == .pass)
    #expect(o.left == 0.97)
    #expect(abs(o.right - 0.91) < 1e-12)
    #expect(o.measurements.map(\.expression) == ["final test_accuracy of bn", "final test_accuracy of plain"])
}

@Test func falseClaimReportsFailure() throws {
    let o = try check("final test_accuracy of plain > final test_accuracy of bn")
    #expect(o.verdict == .fail)
}

@Test func stepsUntilComparesFirstStepsReached() throws {
    let o = try check("steps until test_accuracy >= 0.9 of bn <= 0.5 * steps until test_accuracy >= 0.9 of plain")
    #expect(o.verdict == .pass)
    #expect(o.left == 100)
    #expect(o.right == 200)
}

@Test func stepsUntilNeverReachedIsInfinityNotACrash() throws {
    let o = try check("steps until test_accuracy >= 0.99 of bn < 1000")
    #expect(o.verdict == .fail)
    #expect(o.left == .infinity)
    #expect(o.note?.contains("never reached") == true)
    #expect(o.comparisonText == "∞ < 1000")
    // Both sides never: fails rather than calling ∞ <= ∞ true.
    #expect(try check("steps until test_accuracy >= 0.99 of bn <= steps until test_accuracy >= 0.99 of plain").verdict == .fail)
}

@Test func maxAbsOfALayerMetric() throws {
    let o = try check("max abs bias_gradient of layer 1 in bn < 1e-6")
    #expect(o.verdict == .pass)
    #expect(o.left == 3e-9)
}

@Test func rangeIsMaxMinusMinOverEveryStep() throws {
    let o = try check("range test_accuracy of plain > 2 * range test_accuracy of bn")
    #expect(abs(o.left - 0.8) < 1e-12)   // 0.9 − 0.1
    #expect(abs(o.right - 1.74) < 1e-12) // 2 · (0.97 − 0.1)
    #expect(o.verdict == .fail)
    #expect(try check("range test_accuracy of plain == 0.8 ± 1e-9").verdict == .pass)
}

@Test func atStepMinMeanAndAbs() throws {
    #expect(try check("at step 200 test_accuracy of plain == 0.7").verdict == .pass)
    #expect(try check("min test_accuracy of plain == 0.1").verdict == .pass)
    #expect(try check("mean test_accuracy of plain == 0.55 ± 1e-9").verdict == .pass)
    #expect(try check("abs(initial test_accuracy of bn - 0.5) == 0.4 ± 1e-9").verdict == .pass)
    #expect(try check("at step 150 test_accuracy of plain > 0").verdict == .fail)  // no value at 150: NaN fails
}

@Test func meanLastAveragesTheLastValues() throws {
    // plain: 0.1, 0.5, 0.7, 0.9 at steps 0, 100, 200, 400
    let two = try check("mean last 2 test_accuracy of plain == 0.8 ± 1e-9")
    #expect(two.verdict == .pass)
    #expect(two.measurements.map(\.expression) == ["mean last 2 test_accuracy of plain"])
    #expect(try check("mean last 1 test_accuracy of plain == final test_accuracy of plain").verdict == .pass)
    #expect(try check("mean last 4 test_accuracy of plain == mean test_accuracy of plain").verdict == .pass)
    #expect(try check("mean last 3 test_accuracy of plain == 0.7 ± 1e-9").verdict == .pass)
    // Not the first values: 0.1 and 0.5 average 0.3.
    #expect(try check("mean last 2 test_accuracy of plain == 0.3 ± 1e-9").verdict == .fail)
    // Fewer values than asked for: NaN, which fails, with a note that says why.
    let five = try check("mean last 5 test_accuracy of plain > 0")
    #expect(five.verdict == .fail)
    #expect(five.note?.contains("has 4 values in plain, 'mean last 5' needs 5") == true, "\(five.note ?? "")")
}

@Test func meanLastTakesAWholeCountInItsBounds() {
    for (text, column) in [("mean last 0 test_accuracy of bn > 0", 11), ("mean last 1.5 test_accuracy of bn > 0", 11),
                           ("mean last 10001 test_accuracy of bn > 0", 11), ("mean last 1e300 test_accuracy of bn > 0", 11)] {
        do {
            _ = try ClaimParser.claim(text, at: SourceLocation(line: 4), context: context)
            Issue.record("parsed: \(text)")
        } catch {
            #expect(error.message.contains("'mean last' takes a whole number of values, 1 to 10000"), "\(error.message)")
            #expect(error.location == SourceLocation(line: 4, column: column), "\(text)")
        }
    }
    #expect(throws: LessonError.self) { try ClaimParser.claim("mean last test_accuracy of bn > 0", at: SourceLocation(line: 4), context: context) }
}

@Test func slopeOnLogScales() throws {
    let o = try check("slope log batch_mean of layer 1 vs log gradient_norm of layer 1 in bn == -0.5 ± 0.01")
    #expect(o.verdict == .pass)
    #expect(abs(o.left + 0.5) < 1e-9)
}

@Test func tweakedRunsAreNotJudged() throws {
    #expect(try check("final test_accuracy of plain > 0.99", tweaked: true).verdict == .notJudged)
}

@Test func parseErrorsPointAtTheToken() {
    #expect(throws: LessonError.self) { try ClaimParser.claim("final test_accuracy of bn", at: SourceLocation(line: 3), context: context) }
    do {
        _ = try ClaimParser.claim("final test_accuracy of bn >> 1", at: SourceLocation(line: 3), context: context)
        Issue.record("parsed")
    } catch {
        #expect(error.location == SourceLocation(line: 3, column: 28))
    }
    do {
        _ = try ClaimParser.claim("final test_accuracy > 1", at: SourceLocation(line: 3), context: context)
        Issue.record("parsed")
    } catch {
        #expect(error.message.contains("several variants"))
    }
}

@Test func predictAnswersComeFromTheNumbers() throws {
    let first = try ClaimParser.answer("first to reach test_accuracy >= 0.9", at: SourceLocation(line: 1), context: context)
    let predict = Predict(location: SourceLocation(line: 1), experiment: "e", question: "?", options: ["plain", "bn"],
                          answer: first, answerText: "")
    #expect(PredictEvaluator.evaluate(predict, in: result()).answer == "bn")
    var lowest = predict
    lowest.answer = try ClaimParser.answer("lowest final test_accuracy", at: SourceLocation(line: 1), context: context)
    #expect(PredictEvaluator.evaluate(lowest, in: result()).answer == "plain")
}

@Test func headlessExitsOneWithBannerWhenAClaimFails() throws {
    let text = lessonText("""
    ```experiment
    name: t
    kind: transform
    batch: [[1, 2], [3, 5]]
    ```

    ```claim
    identity_error > 1
    ```
    """)
    let path = NSTemporaryDirectory() + "bnlab-fail-\(UUID().uuidString).md"
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let run = headless(HeadlessOptions(lessons: [path]))
    #expect(run.code == 1)
    #expect(run.output.contains("✗ identity_error > 1"))
    #expect(run.output.contains("FAILED: lesson t, claim cell at \(path):14, line 15: identity_error > 1"))
}
