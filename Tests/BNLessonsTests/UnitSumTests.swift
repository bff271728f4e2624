// `sum over units A..B body`: one term per unit, exactly the written-out sum, with its bounds located.
import Foundation

@testable import BNLessons
import BNEngine
import Testing

private let context = ClaimContext(experiment: "e", variants: ["plain", "bn"], metrics: ExperimentKind.train.metricNames, layerCount: 3,
                                   layerWidths: [8, 6, 10], probedUnits: Set(0...5))

/// p50 of layer 2 per unit over three probes: plain's medians drift by 1 + unit, bn's by 0.1; except
/// bn's unit 5, which drifts by 100 (outside 0..4, so only a sum reaching it sees it).
private func result() -> ExperimentResult {
    var plain = RunRecord(), bn = RunRecord()
    for unit in 0...5 {
        let key = MetricKey("p50", layer: 2, stage: .preActivation, unit: unit)
        for (step, t) in [(0, 0.0), (500, 0.5), (1000, 1.0)] {
            plain.append(key, step: step, t * Double(1 + unit))
            bn.append(key, step: step, t * (unit == 5 ? 100 : 0.1))
        }
    }
    return handMadeResult([("plain", plain), ("bn", bn)], plannedSteps: 1000)
}

private func check(_ text: String) throws -> ClaimOutcome {
    try judge(text, context, result())
}

private func written(_ units: ClosedRange<Int>, _ variant: String) -> String {
    units.map { "range p50 of layer 2 pre_activation unit \($0) in \(variant)" }.joined(separator: " + ")
}

@Test func aUnitSumIsTheWrittenOutSumTermByTerm() throws {
    let short = try check("sum over units 0..4 range p50 of layer 2 pre_activation in plain > 2 * (sum over units 0..4 of range p50 of layer 2 pre_activation in bn)")
    let long = try check("\(written(0...4, "plain")) > 2 * (\(written(0...4, "bn")))")
    #expect(short.verdict == .pass)
    #expect(short.left == 15)  // 1 + 2 + 3 + 4 + 5
    #expect(abs(short.right - 1) < 1e-12)  // 2 · 5 · 0.1
    #expect(short.left == long.left && short.right == long.right)
    #expect(short.measurements == long.measurements)
    #expect(short.measurements.map(\.expression).first == "range p50 of layer 2 pre_activation unit 0 of plain")
    #expect(short.measurements.count == 10)
}

@Test func aUnitSumReadsOnlyItsUnits() throws {
    // Negative control: bn's unit 5 drifts by 100, so a sum that reaches it turns the verdict.
    #expect(try check("sum over units 0..4 range p50 of layer 2 pre_activation in plain > sum over units 0..4 range p50 of layer 2 pre_activation in bn").verdict == .pass)
    let o = try check("sum over units 0..5 range p50 of layer 2 pre_activation in plain > sum over units 0..5 range p50 of layer 2 pre_activation in bn")
    #expect(o.verdict == .fail)
    #expect(o.left == 21)
    #expect(abs(o.right - 100.5) < 1e-9)
    // One unit, and the unicode ellipsis the lessons' prose uses.
    #expect(try check("sum over units 3…3 range p50 of layer 2 pre_activation in plain == 4").verdict == .pass)
    #expect(try check("sum over units 2..3 (final p50 of layer 2 pre_activation in plain - initial p50 of layer 2 pre_activation in plain) == 7").verdict == .pass)
}

@Test func unitSumBoundsAreLocatedErrors() {
    func error(_ text: String) -> LessonError? {
        do { _ = try ClaimParser.claim(text, at: SourceLocation(line: 4, column: 1), context: context); return nil } catch { return error }
    }
    let tail = " range p50 of layer 2 pre_activation in plain > 0"
    let cases: [(String, Int, String)] = [
        ("sum over units 5..3" + tail, 19, "is empty"),
        ("sum over units 0..6" + tail, 19, "layer 2 of 'e' has 6 units (0..5)"),
        ("sum over units 7..9" + tail, 16, "go past it"),
        ("sum over units 0..99 range p50 of layer 3 pre_activation in plain > 0", 19, "a sum adds at most 64"),
        ("sum over units 0..7 range p50 of layer 1 pre_activation in plain > 0", 19, "include unit 6, which no variant"),
        ("sum over units 0..3 range p50 of layer 2 pre_activation unit 1 in plain > 0", 57, "the sum over units gives the unit"),
        ("sum over units 0..3 final test_accuracy of plain > 0", 27, "test_accuracy is not recorded per unit"),
        ("sum over units 0..3 range p50 in plain > 0", 27, "needs the layer"),
        ("sum over units 0..3 2 > 0", 21, "needs a per-unit measurement"),
        ("sum over units 0..3 (sum over units 0..3 range p50 of layer 2 pre_activation in plain) > 0", 22, "inside a sum over units"),
        ("sum over units 0.5..3" + tail, 16, "a unit is a whole number"),
        ("sum over units 0 3" + tail, 18, "expected '..'"),
    ]
    for (text, column, message) in cases {
        let e = error(text)
        #expect(e?.location == SourceLocation(line: 4, column: column), "\(text)")
        #expect(e?.message.contains(message) == true, "\(text): \(e?.message ?? "parsed")")
    }
}

@Test func aLessonChecksTheSumAgainstItsNetworksWidthAndProbes() {
    let probed = plainAndBNExperiment(extra: ["probes: { interval: 5, units: [0, 1, 2, 3] }"])
    let claim = "sum over units 0..3 range p50 of layer 1 pre_activation in plain >= 0"
    #expect(parseError(lessonText(probed + "```claim\n\(claim)\n```\n")) == nil)
    let tooWide = parseError(lessonText(probed + "```claim\n\(claim.replacingOccurrences(of: "0..3", with: "0..4"))\n```\n"))
    #expect(tooWide?.message.contains("layer 1 of 'e' has 4 units") == true)
    #expect(tooWide?.location.line == 21)
}
