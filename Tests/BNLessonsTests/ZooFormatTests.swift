// The lesson format of the normalization zoo (issue 15): each key decodes into the engine's settings,
// each bad value is a located error with a hint, and a fixture using every key runs headless with
// its histograms labelled by normalization kind.

@testable import BNLessons
import BNEngine
import Foundation
import Testing

/// An experiment on blobs with `network` and `extra` (more experiment lines) filled in.
private func experiment(network: String = "hidden: [8, 8, 8], activation: relu", optimizer: String = "name: sgd, learning_rate: 0.1",
                        steps: Int = 5, extra: String = "") -> String {
    """
    ```experiment
    name: e
    data: { dataset: blobs, train_size: 100, test_size: 50 }
    network: { \(network) }
    optimizer: { \(optimizer) }
    batch_size: 10
    steps: \(steps)
    \(extra)
    ```

    """
}

/// The train plan of the experiment's only variant.
private func plan(network: String = "hidden: [8, 8, 8], activation: relu", optimizer: String = "name: sgd, learning_rate: 0.1",
                  steps: Int = 5, extra: String = "", sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> TrainPlan {
    let lesson = try LessonParser.parse(text: lessonText(experiment(network: network, optimizer: optimizer, steps: steps, extra: extra)), file: "x.md")
    guard case .train(let plan)? = lesson.experiments.first?.variants.first?.plan else {
        Issue.record("no train plan", sourceLocation: sourceLocation)
        throw CancellationError()
    }
    return plan
}

/// The hidden layers' normalizations.
private func kinds(_ plan: TrainPlan) -> [NormalizationKind?] { plan.config.network.layers.dropLast().map(\.normalizationKind) }
private func placements(_ plan: TrainPlan) -> [BNPlacement] { plan.config.network.layers.dropLast().map(\.placement) }

/// The error of a lesson, checked to be one located line with a hint, and where `marker` (the
/// `occurrence`-th, 1-based) sits in the file: the location the error should name.
private func locatedError(network: String = "hidden: [8, 8, 8], activation: relu", optimizer: String = "name: sgd, learning_rate: 0.1",
                          extra: String = "", at marker: String, occurrence: Int = 1,
                          sourceLocation: Testing.SourceLocation = #_sourceLocation) -> LessonError? {
    let text = lessonText(experiment(network: network, optimizer: optimizer, extra: extra))
    guard let e = parseError(text) else {
        Issue.record("no error", sourceLocation: sourceLocation)
        return nil
    }
    #expect(!e.description.contains("\n"), sourceLocation: sourceLocation)
    #expect(e.description.hasPrefix("x.md:\(e.location.line):\(e.location.column): "), sourceLocation: sourceLocation)
    #expect(e.hint != nil, "no hint: \(e)", sourceLocation: sourceLocation)
    #expect(e.location == position(of: marker, occurrence: occurrence, in: text), "\(e)", sourceLocation: sourceLocation)
    return e
}

/// The 1-based line and column of the `occurrence`-th `marker` in `text`, from the network line on.
private func position(of marker: String, occurrence: Int = 1, in text: String) -> BNLessons.SourceLocation? {
    var seen = 0
    for (index, line) in text.components(separatedBy: "\n").enumerated() where index >= 10 {
        var rest = line[...]
        while let range = rest.range(of: marker) {
            seen += 1
            if seen == occurrence { return BNLessons.SourceLocation(line: index + 1, column: line.distance(from: line.startIndex, to: range.lowerBound) + 1) }
            rest = rest[range.upperBound...]
        }
    }
    return nil
}

// MARK: Normalization and placement

@Test func shippedFormWithoutNewKeysIsUnchanged() throws {
    let p = try plan(network: "hidden: [8, 8], activation: relu, batch_norm: [before, after]")
    #expect(kinds(p) == [.batch, .batch])
    #expect(placements(p) == [.before, .after])
    #expect(p.config.network.layers.map(\.hasBias) == [false, true, true])
    #expect(p.config.network.layers.allSatisfy { $0.residual == nil })
    #expect(p.config.weightDecay == .none)
    #expect(p.config.sampling == .random)
    #expect(!p.config.probes.weightNorms && !p.config.probes.trainEvalGap)
    let plain = try plan(network: "hidden: [8], activation: relu")
    #expect(kinds(plain) == [nil])
}

@Test func normalizationKindDefaultsToBeforeTheActivation() throws {
    let layer = try plan(network: "hidden: [8, 8], activation: relu, normalization: layer")
    #expect(kinds(layer) == [.layer, .layer])
    #expect(placements(layer) == [.before, .before])
    // LayerNorm does not subtract a batch mean, so the bias stays (auto); BN before drops it.
    #expect(layer.config.network.layers.map(\.hasBias) == [true, true, true])
    let renorm = try plan(network: "hidden: [8], activation: relu, normalization: batch_renorm")
    #expect(renorm.config.network.layers.map(\.hasBias) == [false, true])
}

@Test func normalizationCombinesWithPlacementAndItsOlderName() throws {
    let after = try plan(network: "hidden: [8, 8], activation: relu, normalization: layer, placement: after")
    #expect(kinds(after) == [.layer, .layer])
    #expect(placements(after) == [.after, .after])
    // `batch_norm` is the placement under its older name: with a kind it says where that kind sits.
    let legacy = try plan(network: "hidden: [8, 8], activation: relu, batch_norm: [before, none], normalization: layer")
    #expect(kinds(legacy) == [.layer, nil])
    #expect(placements(legacy) == [.before, .none])
    // `normalization: none` wins over any placement.
    let none = try plan(network: "hidden: [8, 8], activation: relu, batch_norm: before, normalization: none")
    #expect(kinds(none) == [nil, nil])
    // One kind per hidden layer.
    let mixed = try plan(network: "hidden: [8, 8, 8], activation: relu, normalization: [batch, none, group], groups: 4")
    #expect(kinds(mixed) == [.batch, nil, .group(groups: 4)])
    #expect(placements(mixed) == [.before, .none, .before])
}

@Test func groupNormTakesOneGroupCountOrOnePerLayer() throws {
    let one = try plan(network: "hidden: [8, 4], activation: relu, normalization: group, groups: 2")
    #expect(kinds(one) == [.group(groups: 2), .group(groups: 2)])
    let each = try plan(network: "hidden: [8, 6], activation: relu, normalization: group, groups: [8, 3]")
    #expect(kinds(each) == [.group(groups: 8), .group(groups: 3)])
}

@Test func batchRenormLimitsAndRampDecode() throws {
    let defaults = try plan(network: "hidden: [8], activation: relu, normalization: batch_renorm")
    #expect(kinds(defaults) == [.batchRenorm(BatchRenormLimits())])
    let set = try plan(network: "hidden: [8], activation: relu, normalization: batch_renorm, rmax: 2, dmax: 0.5, ramp_start: 100, ramp_steps: 400")
    #expect(kinds(set) == [.batchRenorm(BatchRenormLimits(rmax: 2, dmax: 0.5, rampStart: 100, rampSteps: 400))])
}

@Test func batchRenormRampShrinksWithScale() throws {
    let p = try plan(network: "hidden: [8], activation: relu, normalization: batch_renorm, ramp_start: 100, ramp_steps: 400",
                     steps: 1000)
    let half = p.scaled(by: 0.5)
    #expect(half.config.steps == 500)
    #expect(kinds(half) == [.batchRenorm(BatchRenormLimits(rmax: 3, dmax: 5, rampStart: 50, rampSteps: 200))])
    #expect(kinds(p.scaled(by: 1)) == kinds(p))
}

// MARK: Residual blocks

@Test func residualBlocksDecode() throws {
    let one = try plan(network: "hidden: [8, 8, 8], activation: relu, residual: 1")
    #expect(one.config.network.layers.map(\.residual) == [nil, Residual(span: 1), Residual(span: 1), nil])
    let two = try plan(network: "hidden: [8, 8, 8, 8, 8], activation: relu, residual: { span: 2, scale: learnable }")
    let skipInit = Residual(span: 2, scale: .learnable(initial: 0))
    #expect(two.config.network.layers.map(\.residual) == [nil, nil, skipInit, nil, skipInit, nil])
    let fixed = try plan(network: "hidden: [4, 8, 8], activation: relu, residual: { scale: fixed, alpha: 0.5 }")
    // 4 → 8 cannot skip; 8 → 8 can.
    #expect(fixed.config.network.layers.map(\.residual) == [nil, nil, Residual(span: 1, scale: .fixed(0.5)), nil])
    let none = try plan(network: "hidden: [8, 8], activation: relu, residual: none")
    #expect(none.config.network.layers.allSatisfy { $0.residual == nil })
}

// MARK: Training options

@Test func weightDecayAdamWSamplingFrozenAndProbesDecode() throws {
    #expect(try plan(extra: "weight_decay: 0.0005").config.weightDecay == WeightDecay(rate: 0.0005, scope: .weights))
    #expect(try plan(extra: "weight_decay: { rate: 0.01, parameters: all }").config.weightDecay == WeightDecay(rate: 0.01, scope: .all))
    let adamw = try plan(optimizer: "name: adamw, learning_rate: 0.001", extra: "weight_decay: 0.01")
    #expect(adamw.config.optimizer == .adamw(learningRate: 0.001))
    #expect(try plan(extra: "sampling: random").config.sampling == .random)
    #expect(try plan(extra: "sampling: class_sorted").config.sampling == .classSorted(classesPerBatch: 2))
    #expect(try plan(extra: "sampling: { kind: class_sorted, classes_per_batch: 1 }").config.sampling == .classSorted(classesPerBatch: 1))
    #expect(try plan(extra: "frozen: [weights]").config.frozen == [.weights])
    let probes = try plan(extra: "probes: { interval: 2, weight_norms: true, train_eval_gap: true }").config.probes
    #expect(probes.weightNorms && probes.trainEvalGap && probes.interval == 2)
    #expect(!probes.initialGradients && probes.gammaThreshold == nil)
    let depth = try plan(extra: "probes: { initial_gradients: true, gamma_threshold: 0.05 }").config.probes
    #expect(depth.initialGradients && depth.gammaThreshold == 0.05)
}

@Test func aGammaThresholdMustBePositive() {
    #expect(locatedError(extra: "probes: { gamma_threshold: 0 }", at: "0 }") != nil)
    #expect(locatedError(extra: "probes: { gamma_threshold: -0.1 }", at: "-0.1") != nil)
    #expect(locatedError(extra: "probes: { initial_gradient: true }", at: "initial_gradient")?.hint == "did you mean 'initial_gradients'?")
}

// MARK: Bad values

@Test func unknownNamesSuggestTheNearest() {
    #expect(locatedError(network: "hidden: [8], activation: relu, normalization: layr", at: "layr")?.hint == "did you mean 'layer'?")
    #expect(locatedError(network: "hidden: [8, 8], activation: relu, normalization: [batch, grup]", at: "grup")?.hint == "did you mean 'group'?")
    #expect(locatedError(network: "hidden: [8], activation: relu, placement: befor", at: "befor")?.hint == "did you mean 'before'?")
    #expect(locatedError(network: "hidden: [8], activation: relu, rmx: 2", at: "rmx")?.hint == "did you mean 'rmax'?")
    #expect(locatedError(network: "hidden: [8, 8], activation: relu, residual: { span: 1, scale: learnabel }", at: "learnabel")?.hint == "did you mean 'learnable'?")
    #expect(locatedError(network: "hidden: [8, 8], activation: relu, residual: { spn: 1 }", at: "spn")?.hint == "did you mean 'span'?")
    #expect(locatedError(extra: "weight_decay: { rate: 0.1, parameters: weight }", at: "weight }")?.hint == "did you mean 'weights'?")
    #expect(locatedError(extra: "weight_decy: 0.1", at: "weight_decy")?.hint == "did you mean 'weight_decay'?")
    #expect(locatedError(extra: "sampling: class_sortd", at: "class_sortd")?.hint == "did you mean 'class_sorted'?")
    #expect(locatedError(extra: "probes: { weight_norm: true }", at: "weight_norm")?.hint == "did you mean 'weight_norms'?")
    #expect(locatedError(extra: "frozen: [weight]", at: "frozen")?.hint == "did you mean 'weights'?")
}

@Test func badNormalizationSettingsAreLocated() {
    let both = locatedError(network: "hidden: [8], activation: relu, batch_norm: before, placement: after", at: "placement")
    #expect(both?.message == "the network sets both 'placement' and 'batch_norm'")
    let nowhere = locatedError(network: "hidden: [8], activation: relu, batch_norm: none, normalization: layer", at: "batch_norm")
    #expect(nowhere?.message.contains("none on every layer") == true)
    let count = locatedError(network: "hidden: [8, 8], activation: relu, normalization: [layer]", at: "[layer]")
    #expect(count?.message == "'normalization' lists 1 values for 2 hidden layers")
    let noGroups = locatedError(network: "hidden: [8], activation: relu, normalization: group", at: "normalization")
    #expect(noGroups?.message == "normalization 'group' needs 'groups'")
    let notDividing = locatedError(network: "hidden: [8, 6], activation: relu, normalization: group, groups: [4, 4]", at: "4", occurrence: 2)
    #expect(notDividing?.message == "GroupNorm's 4 groups do not divide hidden layer 2's 6 units")
    #expect(notDividing?.hint == "pick a divisor of 6, e.g. 1, 2, 3, 6")
    #expect(locatedError(network: "hidden: [8], activation: relu, normalization: group, groups: 0", at: "0 }")?.message.contains("0 groups") == true)
    #expect(locatedError(network: "hidden: [8], activation: relu, normalization: group, groups: [2, 2]", at: "groups")?.message
            == "'groups' lists 2 values for 1 hidden layers")
    #expect(locatedError(network: "hidden: [8], activation: relu, normalization: batch_renorm, rmax: 0.5", at: "rmax")?.message
            == "'rmax' must be a number ≥ 1 (got 0.5)")
    #expect(locatedError(network: "hidden: [8], activation: relu, normalization: batch_renorm, dmax: -1", at: "dmax")?.message
            == "'dmax' must be a number ≥ 0 (got -1.0)")
    #expect(locatedError(network: "hidden: [8], activation: relu, normalization: batch_renorm, rmax: 1e400", at: "rmax") != nil)
    #expect(locatedError(network: "hidden: [8], activation: relu, normalization: batch_renorm, ramp_steps: -3", at: "ramp_steps")?.message
            .hasPrefix("'ramp_steps' must be between 0 and") == true)
    #expect(locatedError(network: "hidden: [8], activation: relu, normalization: batch_renorm, ramp_start: 99999999999", at: "ramp_start") != nil)
    #expect(locatedError(network: "hidden: [8], activation: relu, normalization: batch_renorm, rmax: big", at: "big")?.message
            == "'rmax' must be a number, got 'big'")
}

@Test func badResidualSettingsAreLocated() {
    #expect(locatedError(network: "hidden: [8, 8], activation: relu, residual: 3", at: "3 }")?.message
            == "a residual branch spans 1 or 2 layers (got 3)")
    #expect(locatedError(network: "hidden: [8, 4], activation: relu, residual: 1", at: "1 }")?.message
            == "no residual block fits hidden [8, 4] with span 1")
    #expect(locatedError(network: "hidden: [8, 8], activation: relu, residual: { span: 2 }", at: "{ span")?.message
            == "no residual block fits hidden [8, 8] with span 2")
    #expect(locatedError(network: "hidden: [8, 8], activation: relu, residual: { scale: fixed }", at: "scale")?.message
            == "scale: fixed needs 'alpha', the branch's factor")
    #expect(locatedError(network: "hidden: [8, 8], activation: relu, residual: { alpha: 0.5 }", at: "alpha")?.message
            == "'alpha' needs scale: fixed or learnable")
    #expect(locatedError(network: "hidden: [8, 8], activation: relu, residual: { scale: learnable, alpha: nan }", at: "alpha") != nil)
}

@Test func badTrainingOptionsAreLocated() {
    #expect(locatedError(extra: "weight_decay: -0.1", at: "-0.1")?.message == "'weight_decay' must be a number ≥ 0 (got -0.1)")
    #expect(locatedError(extra: "weight_decay: lots", at: "lots")?.message == "'weight_decay' must be a number, got 'lots'")
    #expect(locatedError(extra: "weight_decay: { parameters: all }", at: "{ parameters")?.message == "'weight_decay' has no 'rate'")
    let adamw = locatedError(optimizer: "name: adamw, learning_rate: 0.001", at: "adamw")
    #expect(adamw?.message == "adamw needs a 'weight_decay' (without one it is adam)")
    #expect(locatedError(extra: "sampling: { kind: class_sorted, classes_per_batch: 3 }", at: "classes_per_batch")?.message
            == "class-sorted batches draw from 1 or 2 classes (got 3)")
    #expect(locatedError(extra: "sampling: { kind: random, classes_per_batch: 1 }", at: "classes_per_batch") != nil)
    #expect(locatedError(extra: "sampling: { classes_per_batch: 1 }", at: "{ classes")?.message == "'sampling' has no 'kind'")
    #expect(locatedError(extra: "probes: { train_eval_gap: maybe }", at: "maybe")?.message == "'train_eval_gap' must be true or false")
    #expect(locatedError(extra: "probes: { eval_mode: maybe }", at: "maybe")?.message == "'eval_mode' must be true or false")
    #expect((try? plan(extra: "probes: { eval_mode: true }"))?.config.probes.evalMode == true)
    #expect((try? plan())?.config.probes.evalMode == false)
}

// MARK: Initial weight scale

@Test func initScaleTakesOneFactorOrOnePerLayer() throws {
    let scales = { (p: TrainPlan) in p.config.network.layers.map(\.initScale) }
    #expect(scales(try plan()) == [1, 1, 1, 1])
    #expect(scales(try plan(network: "hidden: [8, 8, 8], activation: relu, init_scale: 4")) == [4, 4, 4, 1])
    #expect(scales(try plan(network: "hidden: [8, 8, 8], activation: relu, init_scale: [4, 1, 0.5]")) == [4, 1, 0.5, 1])
}

@Test func badInitScalesAreLocated() {
    #expect(locatedError(network: "hidden: [8, 8], activation: relu, init_scale: [4, 0]", at: "0]")?.message
            == "'init_scale' must be a positive number of at most 1000000 (got 0.0)")
    #expect(locatedError(network: "hidden: [8, 8], activation: relu, init_scale: -2", at: "-2")?.message
            == "'init_scale' must be a positive number of at most 1000000 (got -2.0)")
    #expect(locatedError(network: "hidden: [8, 8], activation: relu, init_scale: 1e7", at: "1e7") != nil)
    #expect(locatedError(network: "hidden: [8, 8], activation: relu, init_scale: .nan", at: ".nan") != nil)
    #expect(locatedError(network: "hidden: [8, 8], activation: relu, init_scale: [2]", at: "[2]")?.message
            == "'init_scale' lists 1 values for 2 hidden layers")
    #expect(locatedError(network: "hidden: [8, 8], activation: relu, init_scale: big", at: "big")?.message
            == "'init_scale' must be a number, got 'big'")
}

// MARK: A run

@Test func zooFixtureRunsHeadlessWithKindLabelledHistograms() throws {
    let run = headless(HeadlessOptions(lessons: [Paths.fixture("zoo.md")], ascii: true))
    #expect(run.code == 0, "\(run.errors)\n\(run.output)")
    let out = run.output
    // Each normalized stage's rows and legend name its kind.
    #expect(out.contains("(ln = normalized, in = pre_activation)"))
    #expect(out.contains("L1 ln") && out.contains("L3 ln"))
    #expect(out.contains("(gn = normalized)") && out.contains("L2 gn"))
    #expect(out.contains("(brn = normalized)") && out.contains("L1 brn"))
    #expect(out.contains("(ln/brn = normalized)") && out.contains("L1 ln") && out.contains("L2 brn"))
    #expect(out.contains("(bn = normalized, in = pre_activation)") && out.contains("L2 bn"))
    #expect(!out.contains("no data"))
    #expect(!out.contains("[check FAIL]"))

    // The engine got what the file says.
    let lesson = try LessonParser.load(path: Paths.fixture("zoo.md"))
    let zoo = try #require(lesson.experiment(named: "zoo"))
    func variantPlan(_ name: String) -> TrainPlan? {
        guard case .train(let p)? = zoo.variants.first(where: { $0.name == name })?.plan else { return nil }
        return p
    }
    #expect(variantPlan("gn").map(kinds) == [.group(groups: 2), .group(groups: 2), .group(groups: 2)])
    #expect(variantPlan("gn").map(placements) == [.after, .after, .after])
    #expect(variantPlan("brn")?.config.sampling == .classSorted(classesPerBatch: 2))
    #expect(variantPlan("res")?.config.network.layers.compactMap(\.residual).count == 2)

    // The histograms of every normalized stage were recorded, for every kind.
    let result = try ExperimentRunner.run(zoo, options: RunOptions(parallel: false))
    for name in ["bn", "ln", "gn", "brn", "res"] {
        let record = try #require(result.variant(named: name)?.record)
        for layer in 1...3 {
            let h = record.histograms[HistogramKey(layer: layer, stage: .normalized)]
            #expect(h?.isEmpty == false, "\(name) layer \(layer)")
            #expect(h?.last.map { $0.bins.reduce(0, +) + Double($0.below + $0.above) } ?? 0 > 0)
        }
    }
    #expect(result.variant(named: "brn")?.record.series(.renormR, layer: 1)?.isEmpty == false)
    #expect(result.variant(named: "ln")?.record.series(.effectiveLearningRate, layer: 1)?.isEmpty == false)
    #expect(result.variant(named: "gn")?.record.series(.effectiveLearningRate, layer: 1) == nil)  // GroupNorm after: not scale-invariant
    #expect(result.variant(named: "bn")?.record.series(.trainEvalGap)?.isEmpty == false)
}
