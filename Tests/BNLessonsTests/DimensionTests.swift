// Seeds and sweeps as experiment dimensions (issue 12): decoding `seeds:` and `sweep:` (good input and
// located errors), real runs at every seed (also shifted by --seed), and each reduction over seeds and
// sweeps on synthetic results, with negative controls and NaN.
import Foundation

@testable import BNLessons
import BNEngine
import Testing

// MARK: Decoding

private func experimentText(_ extra: String, variants: [String] = ["plain: {}", "bn: { network: { batch_norm: before } }"]) -> String {
    lessonText(sigmoidBlobsExperiment(extra: ["evaluation_interval: 10", "train_evaluation_size: 100", extra], variants: variants))
}

@Test func seedsAndSweepDecodeIntoNamedVariants() throws {
    let lesson = try LessonParser.parse(text: experimentText("seeds: [1, 2, 3]\nsweep: { optimizer.learning_rate: [0.0001, 0.01, 10, 1e-05] }"), file: "x.md")
    let spec = lesson.experiments[0]
    #expect(spec.seeds == [1, 2, 3])
    #expect(spec.sweep?.path == "optimizer.learning_rate")
    #expect(spec.sweep?.name == "learning_rate")
    #expect(spec.sweep?.values == [0.0001, 0.01, 10, 1e-05])
    #expect(spec.sweep?.baseVariants == ["plain", "bn"])
    #expect(spec.variantNames == ["plain_lr0_0001", "plain_lr0_01", "plain_lr10", "plain_lr1em05",
                                  "bn_lr0_0001", "bn_lr0_01", "bn_lr10", "bn_lr1em05"])
    #expect(spec.runCount == 24)
    // The value went through the decoder: the plan has it.
    guard case .train(let plan) = spec.variants[6].plan, case .sgd(let learningRate, _) = plan.config.optimizer else {
        Issue.record("not an SGD train plan")
        return
    }
    #expect(learningRate == 10)
    #expect(spec.variants[6].base == "bn")
    #expect(spec.variants[6].sweepValue == 10)
    #expect(plan.config.network.layers[0].placement == .before && plan.config.network.layers[0].normalization == .batch)
}

@Test func sweepsReachOtherFieldsThroughTheSameDecoder() throws {
    let batch = try LessonParser.parse(text: experimentText("sweep: { batch_size: [10, 20, 50] }"), file: "x.md").experiments[0]
    #expect(batch.variantNames.prefix(3) == ["plain_bs10", "plain_bs20", "plain_bs50"])
    guard case .train(let plan) = batch.variants[2].plan else { return }
    #expect(plan.config.batchSize == 50)
    let momentum = try LessonParser.parse(text: experimentText("sweep: { network.bn_momentum: [0.01, 0.1] }"), file: "x.md").experiments[0]
    #expect(momentum.variantNames == ["plain_bnm0_01", "plain_bnm0_1", "bn_bnm0_01", "bn_bnm0_1"])
}

/// The line of `text` that contains `needle` (1-based).
private func line(of needle: String, in text: String) -> Int {
    (text.components(separatedBy: "\n").firstIndex { $0.contains(needle) } ?? -1) + 1
}

@Test(arguments: [
    ("seeds: []", 10, "must be a list of seeds"),
    ("seeds: [1, 2, 1]", 10, "seed 1 is listed twice"),
    ("seeds: [1, -2]", 10, "a seed must be 0 or more"),
    ("seeds: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]", 10, "at most 10"),
    ("seeds: [1, 2]\nseed: 3", 11, "'seed' or 'seeds', not both"),
    ("sweep: { optimizer.learning_rate: [0.1, 0.1] }", 10, "swept twice"),
    ("sweep: { optimizer.learning_rate: [0.1, fast] }", 10, "must be a number"),
    ("sweep: { optimizer.learning_rate: 0.1 }", 10, "must be a list of numbers"),
    ("sweep: { optimiser.learning_rate: [0.1] }", 10, "cannot sweep 'optimiser.learning_rate'"),
    ("sweep: { seed: [1, 2] }", 10, "cannot sweep 'seed'"),
    ("sweep: { optimizer.learning_rate: [0.1], batch_size: [2] }", 10, "one field"),
    ("sweep: { optimizer.learning_rate: [0.1, -1] }", 10, "learning_rate"),
    ("sweep: { batch_size: [10, 1000] }", 10, "batch_size"),
    ("sweep: { optimizer.learning_rat: [0.1] }", 10, "unknown key 'learning_rat'"),
])
func badSeedsAndSweepsAreLocatedErrors(extra: String, lineInExtra: Int, message: String) {
    let text = experimentText(extra)
    let error = parseError(text)
    #expect(error?.message.contains(message) == true, "\(extra): \(error?.description ?? "no error")")
    // On the line of the bad value: the first line of `extra`, or the second ("seed: 3").
    let expected = line(of: extra.components(separatedBy: "\n")[lineInExtra == 11 ? 1 : 0], in: text)
    #expect(error?.location.line == expected, "\(extra): \(error?.description ?? "no error")")
}

@Test func runsAreBoundedAndVariantsCannotFightTheDimensions() {
    let many = (1...10).map(String.init).joined(separator: ", ")
    let tooMany = parseError(experimentText("seeds: [\(many)]\nsweep: { optimizer.learning_rate: [0.1, 0.2, 0.3, 0.4] }"))
    #expect(tooMany?.message.contains("80 runs") == true, "\(tooMany?.description ?? "")")
    let ownSeed = parseError(experimentText("seeds: [1, 2]", variants: ["a: {}", "b: { seed: 4 }"]))
    #expect(ownSeed?.message.contains("cannot set its own seed") == true)
    #expect(ownSeed?.location.line == line(of: "b: { seed: 4 }", in: experimentText("seeds: [1, 2]", variants: ["a: {}", "b: { seed: 4 }"])))
    let ownValue = parseError(experimentText("sweep: { optimizer.learning_rate: [0.1, 1] }",
                                             variants: ["a: {}", "b: { optimizer: { learning_rate: 3 } }"]))
    #expect(ownValue?.message.contains("which the sweep sets") == true, "\(ownValue?.description ?? "")")
}

@Test func claimsMustSayHowASweptVariantIsRead() {
    let text = experimentText("seeds: [1, 2]\nsweep: { optimizer.learning_rate: [0.1, 1] }") + """
    ```claim
    final test_accuracy of bn > 0.5
    ```
    """
    let error = parseError(text)
    #expect(error?.message.contains("variant 'bn' is swept over learning_rate") == true, "\(error?.description ?? "")")
    #expect(error?.hint?.contains("bn_lr0_1") == true)
    for bad in ["in every seed final test_accuracy of bn_lr1 > 0.5", "in at least 2 of 3 seeds: final test_accuracy of bn_lr1 > 0.5",
                "in at least 3 of 2 seeds: final test_accuracy of bn_lr1 > 0.5", "best seeds by final test_accuracy of bn_lr1 > 0.5",
                "count of batch_size where final test_accuracy of bn > 0.5 > 1",
                "max over learning_rate (max over learning_rate final test_accuracy of bn) > 1"] {
        let text = experimentText("seeds: [1, 2]\nsweep: { optimizer.learning_rate: [0.1, 1] }") + "```claim\n\(bad)\n```\n"
        let e = parseError(text)
        #expect(e != nil && e?.location.line == line(of: bad, in: text), "\(bad): \(e?.description ?? "parsed")")
    }
}

// MARK: Runs

@Test func aThreeSeedExperimentRunsThreeDifferentSeedsEvenWithAnOffset() throws {
    let spec = try LessonParser.parse(text: experimentText("seeds: [1, 2, 3]"), file: "x.md").experiments[0]
    let written = try ExperimentRunner.run(spec)
    let shifted = try ExperimentRunner.run(spec, options: RunOptions(seedOffset: 7))
    for result in [written, shifted] {
        let runs = result.runs(named: "bn")
        #expect(runs.map(\.seed) == [1, 2, 3])
        let losses = runs.map { $0.record.series[MetricKey("test_loss")]?.values ?? [] }
        #expect(Set(losses.map { $0.description }).count == 3, "three seeds gave equal numbers: \(losses)")
    }
    // The run at seed s is the run an experiment written with `seed: s` makes (here s = 2 + 7).
    let single = try LessonParser.parse(text: experimentText("seed: 9"), file: "x.md").experiments[0]
    let nine = try ExperimentRunner.run(single)
    #expect(shifted.runs(named: "plain")[1].record.series[MetricKey("test_loss")] == nine.variant(named: "plain")?.record.series[MetricKey("test_loss")])
    #expect(written.runs(named: "plain")[1].record.series[MetricKey("test_loss")] != nine.variant(named: "plain")?.record.series[MetricKey("test_loss")])
}

// MARK: Reductions on synthetic results

/// Runs with `test_accuracy` recorded at steps 0 and 100, the final value given.
private func run(_ name: String, _ final: Double, seed: UInt64? = nil, sweep: Double? = nil, base: String? = nil) -> VariantResult {
    var record = RunRecord()
    record.append(MetricKey("test_accuracy"), step: 0, 0.1)
    record.append(MetricKey("test_accuracy"), step: 100, final)
    record.steps = 100
    return VariantResult(name: name, record: record, plannedSteps: 100, mayDiverge: true, tables: [], seed: seed, base: base, sweepValue: sweep)
}

/// g4 and g64 at seeds 1, 2, 3.
private func seeded(g4: [Double], g64: [Double]) -> ExperimentResult {
    ExperimentResult(name: "e", kind: .train,
                     variants: zip([UInt64(1), 2, 3], g4).map { run("g4", $1, seed: $0) } + zip([UInt64(1), 2, 3], g64).map { run("g64", $1, seed: $0) },
                     tweaked: false, cancelled: false, seeds: [1, 2, 3])
}

private let seedContext = ClaimContext(experiment: "e", variants: ["g4", "g64"], metrics: ExperimentKind.train.metricNames, layerCount: 2,
                                       seedCount: 3)

private func judge(_ claim: String, _ result: ExperimentResult, _ context: ClaimContext = seedContext) throws -> ClaimOutcome {
    ClaimEvaluator.evaluate(try ClaimParser.claim(claim, at: SourceLocation(line: 1), context: context), in: result)
}

@Test func aMultiSeedMeasurementIsTheMeanAndShowsEverySeed() throws {
    let r = seeded(g4: [0.90, 0.91, 0.95], g64: [0.92, 0.92, 0.92])
    let o = try judge("final test_accuracy of g4 > 0.915", r)
    #expect(o.verdict == .pass)
    #expect(abs(o.left - 0.92) < 1e-12)
    #expect(o.measurements[0].perSeed == [0.90, 0.91, 0.95])
    #expect(o.measurements[0].displayValue == "mean 0.92 (0.9 0.91 0.95)")
    #expect(try judge("final test_accuracy of g4 > 0.925", r).verdict == .fail)  // negative control
    // The mean is what prose shows, too.
    let e = try ClaimParser.expression("final test_accuracy of g4", at: SourceLocation(line: 1), context: seedContext)
    #expect(abs(ClaimEvaluator.value(of: e, in: r) - 0.92) < 1e-12)
}

@Test func everySeedAndAtLeastKSeedsJudgeEachSeedAlone() throws {
    // g4 < g64 at seeds 1 and 2, not at 3; the means say g4 < g64 too (0.92 vs 0.9233).
    let r = seeded(g4: [0.90, 0.91, 0.95], g64: [0.92, 0.92, 0.93])
    let every = try judge("in every seed: final test_accuracy of g4 < final test_accuracy of g64", r)
    #expect(every.verdict == .fail)
    #expect(every.perSeed?.map(\.held) == [true, true, false])
    #expect(every.comparisonText.hasPrefix("held in 2 of 3 seeds (needs 3): seed 1: 0.9 < 0.92 holds"), "\(every.comparisonText)")
    #expect(try judge("in at least 2 of 3 seeds: final test_accuracy of g4 < final test_accuracy of g64", r).verdict == .pass)
    #expect(try judge("in at least 3 of 3 seeds: final test_accuracy of g4 < final test_accuracy of g64", r).verdict == .fail)
    #expect(try judge("final test_accuracy of g4 < final test_accuracy of g64", r).verdict == .pass)
}

@Test func minMaxSpreadAndCountOverSeeds() throws {
    let r = seeded(g4: [0.90, 0.91, 0.95], g64: [0.92, 0.92, 0.93])
    func value(_ text: String) throws -> Double {
        ClaimEvaluator.value(of: try ClaimParser.expression(text, at: SourceLocation(line: 1), context: seedContext), in: r)
    }
    #expect(try value("min over seeds final test_accuracy of g4") == 0.90)
    #expect(try value("max over seeds final test_accuracy of g4") == 0.95)
    #expect(abs(try value("spread over seeds final test_accuracy of g4") - 0.05) < 1e-12)
    #expect(try value("count of seeds where final test_accuracy of g4 < final test_accuracy of g64") == 2)
    #expect(try judge("min over seeds final test_accuracy of g4 >= 0.9", r).verdict == .pass)
    #expect(try judge("min over seeds final test_accuracy of g4 > 0.9", r).verdict == .fail)
    let o = try judge("spread over seeds final test_accuracy of g4 < 0.1", r)
    #expect(o.measurements.first?.over?.map(\.at) == [1, 2, 3])
}

@Test func aNaNInOneSeedFailsTheClaim() throws {
    let r = seeded(g4: [0.90, .nan, 0.95], g64: [0.92, 0.92, 0.93])
    for claim in ["final test_accuracy of g4 > 0", "min over seeds final test_accuracy of g4 > 0", "max over seeds final test_accuracy of g4 > 0",
                  "mean over seeds final test_accuracy of g4 > 0", "in every seed: final test_accuracy of g4 > 0",
                  "spread over seeds final test_accuracy of g4 < 1"] {
        let o = try judge(claim, r)
        #expect(o.verdict == .fail, "\(claim)")
    }
    let o = try judge("final test_accuracy of g4 > 0", r)
    #expect(o.note?.contains("NaN at step 100 in g4 (seed 2)") == true, "\(o.note ?? "")")
    // Per seed, only the NaN seed fails.
    #expect(try judge("in every seed: final test_accuracy of g4 > 0", r).perSeed?.map(\.held) == [true, false, true])
}

/// plain and bn swept over learning_rate 0.001 … 10 (one seed), with the given final accuracies.
private func swept(plain: [Double], bn: [Double]) -> (ExperimentResult, ClaimContext) {
    let values = [0.001, 0.01, 0.1, 1, 10]
    let sweep = Sweep(path: "optimizer.learning_rate", name: "learning_rate", abbreviation: "lr", values: values,
                      baseVariants: ["plain", "bn"], location: SourceLocation(line: 1))
    var runs: [VariantResult] = []
    for (base, finals) in [("plain", plain), ("bn", bn)] {
        for (v, f) in zip(values, finals) { runs.append(run(sweep.variantName(base: base, value: v), f, sweep: v, base: base)) }
    }
    let result = ExperimentResult(name: "e", kind: .train, variants: runs, tweaked: false, cancelled: false, sweep: sweep)
    let context = ClaimContext(experiment: "e", variants: runs.map(\.name), metrics: ExperimentKind.train.metricNames, layerCount: 2, sweep: sweep)
    return (result, context)
}

@Test func sweepReductionsCountFindAndMeasureTheWorkingRange() throws {
    let (r, c) = swept(plain: [0.1, 0.95, 0.5, 0.1, 0.1], bn: [0.5, 0.93, 0.96, 0.94, .nan])
    func value(_ text: String) throws -> Double {
        ClaimEvaluator.value(of: try ClaimParser.expression(text, at: SourceLocation(line: 1), context: c), in: r)
    }
    #expect(try value("count of learning_rate where final test_accuracy of bn > 0.9") == 3)
    #expect(try value("count of learning_rate where final test_accuracy of plain > 0.9") == 1)
    #expect(try value("best learning_rate by final test_accuracy of bn") == 0.1)  // NaN (diverged) is never best
    #expect(try value("best learning_rate by -final test_accuracy of plain") == 0.001)  // first of the equal lowest
    #expect(try value("lowest learning_rate where final test_accuracy of bn > 0.9") == 0.01)
    #expect(try value("highest learning_rate where final test_accuracy of bn > 0.9") == 1)
    #expect(try value("decades of learning_rate where final test_accuracy of bn > 0.9") == 2)
    #expect(abs(try value("width of learning_rate where final test_accuracy of bn > 0.9") - 0.99) < 1e-12)
    #expect(try value("decades of learning_rate where final test_accuracy of plain > 0.9") == 0)
    #expect(try value("max over learning_rate final test_accuracy of plain") == 0.95)
    #expect(try value("max over learning_rate final test_accuracy of bn").isNaN)  // a NaN value fails max
    #expect(try value("lowest learning_rate where final test_accuracy of bn > 0.99").isNaN)
    // Claims, each with a negative control that fails.
    let claims: [(String, Verdict)] = [
        ("count of learning_rate where final test_accuracy of bn > 0.9 == 3", .pass),
        ("count of learning_rate where final test_accuracy of bn > 0.9 == 4", .fail),
        ("best learning_rate by final test_accuracy of bn == 0.1", .pass),
        ("best learning_rate by final test_accuracy of bn == 1", .fail),
        ("decades of learning_rate where final test_accuracy of bn > 0.9 > decades of learning_rate where final test_accuracy of plain > 0.9", .pass),
        ("decades of learning_rate where final test_accuracy of bn > 0.9 >= 3", .fail),
        ("decades of learning_rate where final test_accuracy of bn > 0.99 >= 0", .fail),
        ("(count of learning_rate where final test_accuracy of bn > 0.9) + 1 == 4", .pass),
    ]
    for (text, expected) in claims {
        let o = ClaimEvaluator.evaluate(try ClaimParser.claim(text, at: SourceLocation(line: 1), context: c), in: r)
        #expect(o.verdict == expected, "\(text): \(o.comparisonText) \(o.note ?? "")")
    }
    let o = ClaimEvaluator.evaluate(try ClaimParser.claim("count of learning_rate where final test_accuracy of bn > 0.9 == 3",
                                                          at: SourceLocation(line: 1), context: c), in: r)
    #expect(o.measurements.count == 1)
    #expect(o.measurements[0].displayValue.hasPrefix("3 (0.001: 0.5, 0.01: 0.93, 0.1: 0.96"), "\(o.measurements[0].displayValue)")
}

@Test func aGapInTheMiddleSplitsTheWorkingRange() throws {
    let (r, c) = swept(plain: [0.95, 0.95, 0.1, 0.95, 0.1], bn: [0.1, 0.1, 0.1, 0.1, 0.1])
    let e = try ClaimParser.expression("decades of learning_rate where final test_accuracy of plain > 0.9", at: SourceLocation(line: 1), context: c)
    #expect(ClaimEvaluator.value(of: e, in: r) == 1)  // 0.001…0.01, not 0.001…1
}

// MARK: Report and plots

@Test func aMultiSeedSweepRunsReportsAndPlotsItsRuns() throws {
    let text = experimentText("seeds: [1, 2]\nsweep: { optimizer.learning_rate: [0.1, 1] }") + """
    ```plot
    view: curves
    metric: test_accuracy
    variants: [bn_lr0_1, plain_lr1]
    ```

    ```plot
    view: bars
    metric: test_accuracy
    ```

    ```claim
    in every seed: final test_accuracy of bn_lr1 >= 0
    count of learning_rate where final test_accuracy of bn >= 0 == 2
    ```

    """
    try withTemporaryDirectory("bnlab-dims") { dir in
        try text.write(toFile: dir + "/d.md", atomically: true, encoding: .utf8)
        // 132 columns: the experiment's 103-character header on one line (at 80 it wraps, RenderingTests).
        let run = headless(HeadlessOptions(lessons: [dir + "/d.md"], json: dir + "/r.json", ascii: false, width: 132))
        #expect(run.code == 0, "\(run.output)\(run.errors)")
        #expect(run.output.contains("Experiment e (train): 4 variants (plain, bn × optimizer.learning_rate in 0.1, 1) × 2 seeds (1, 2) = 8 runs"),
                "\(run.output)")
        #expect(run.output.contains("mean over seeds (band: min–max)"))
        #expect(run.output.contains("bn_lr0_1 (2 seeds)"))
        #expect(run.output.contains("held in 2 of 2 seeds (needs 2)"))
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/r.json"))) as? [String: Any]
        #expect(json?["schema_version"] as? Int == 3)
        let experiment = ((json?["lessons"] as? [[String: Any]])?.first?["experiments"] as? [[String: Any]])?.first
        #expect(experiment?["seeds"] as? [Int] == [1, 2])
        let variants = experiment?["variants"] as? [[String: Any]] ?? []
        #expect(variants.count == 8)
        #expect(variants.map { "\($0["name"] ?? "")@\($0["seed"] ?? "")" }.prefix(2) == ["plain_lr0_1@1", "plain_lr0_1@2"])
        #expect(variants.first?["base"] as? String == "plain")
        #expect(variants.first?["sweep_value"] as? Double == 0.1)
    }
}
