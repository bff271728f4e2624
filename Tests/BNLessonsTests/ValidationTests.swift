// Issue 13, "nonsense gets a located error": every value out of its range (BN momentum and ε, the
// optimizers' hyper-parameters, seeds, sizes, init_std, probed units and range) is an exit-2 error
// placed on the offending value, with a hint. The ranges live in the engine (TrainingConfig.validate,
// OptimizerSpec.validate, ProbeSettings.validate); the decoder maps their field names to keys.

import BNEngine
import BNLessons
import Foundation
import Testing

/// An experiment with every key under test on a line of its own (the fence is line 8).
private let experiment = """
```experiment
name: e
seed: 1
data: { dataset: blobs, train_size: 100, test_size: 50, classes: 3, noise: 0.1 }
network: { hidden: [4], activation: relu, batch_norm: before, bn_momentum: 0.1, bn_epsilon: 0.00001, init: gaussian, init_std: 0.1 }
optimizer: { name: adam, learning_rate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 0.00000001 }
batch_size: 10
steps: 5
min_steps: 1
probes: { interval: 1, batch_size: 20, bins: 10, range: [-5, 5], units: [0, 1], landscape: [1] }
train_mode_eval_batches: [2, 8]
ghost_batch_size: 5
```

"""

/// The lesson with `old` replaced by `new` in the experiment.
private func lesson(_ old: String, _ new: String) -> String {
    precondition(experiment.contains(old), "the test's experiment has no '\(old)'")
    return lessonText(experiment.replacingOccurrences(of: old, with: new))
}

/// Parses the lesson with `old` → `new`; expects one error whose message contains `message`, placed
/// at the first occurrence of `at` (default: `new`) in the changed text, with a hint.
private func expectError(_ old: String, _ new: String, message: String, at marker: String? = nil,
                         sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    let text = lesson(old, new)
    guard let e = parseError(text) else {
        Issue.record("'\(new)' was accepted", sourceLocation: sourceLocation)
        return
    }
    #expect(e.message.contains(message), "message: \(e.message)", sourceLocation: sourceLocation)
    #expect(e.hint != nil, "no hint: \(e)", sourceLocation: sourceLocation)
    #expect(e.more.isEmpty, "more than one error: \(e)", sourceLocation: sourceLocation)
    #expect(!e.description.contains("\n"), sourceLocation: sourceLocation)
    // Where the marker sits: in the changed line, at or after where `old` began (1-based columns).
    let before = lessonText(experiment).components(separatedBy: "\n"), after = text.components(separatedBy: "\n")
    let target = marker ?? new
    guard let line = before.indices.first(where: { $0 < after.count && before[$0] != after[$0] }),
          let start = before[line].range(of: old)?.lowerBound,
          let range = after[line].range(of: target, range: after[line].index(after[line].startIndex, offsetBy: before[line].distance(from: before[line].startIndex, to: start))..<after[line].endIndex) else {
        Issue.record("marker '\(target)' not in the changed line", sourceLocation: sourceLocation)
        return
    }
    let column = after[line].distance(from: after[line].startIndex, to: range.lowerBound) + 1
    #expect(e.location == BNLessons.SourceLocation(line: line + 1, column: column), "\(e)", sourceLocation: sourceLocation)
}

@Test func theTestExperimentIsValid() {
    #expect(parseError(lessonText(experiment)) == nil)
}

@Test func bnMomentumOutsideZeroOne() {
    expectError("bn_momentum: 0.1", "bn_momentum: 1.5", message: "network.bn_momentum: must be in [0, 1]", at: "1.5")
    expectError("bn_momentum: 0.1", "bn_momentum: -0.1", message: "network.bn_momentum", at: "-0.1")
    expectError("bn_momentum: 0.1", "bn_momentum: nan", message: "network.bn_momentum", at: "nan")
    #expect(parseError(lesson("bn_momentum: 0.1", "bn_momentum: 1")) == nil)
    #expect(parseError(lesson("bn_momentum: 0.1", "bn_momentum: 0")) == nil)
}

@Test func bnEpsilonNotPositiveOrNotFinite() {
    expectError("bn_epsilon: 0.00001", "bn_epsilon: 0", message: "network.bn_epsilon: must be a positive number", at: "0,")
    expectError("bn_epsilon: 0.00001", "bn_epsilon: -1", message: "network.bn_epsilon", at: "-1")
    expectError("bn_epsilon: 0.00001", "bn_epsilon: inf", message: "network.bn_epsilon", at: "inf")
    // 1e-60 is a positive Double but 0 as a Float: refused, not silently zero.
    expectError("bn_epsilon: 0.00001", "bn_epsilon: 1e-60", message: "network.bn_epsilon", at: "1e-60")
}

@Test func adamBetasAndEpsilonOutOfRange() {
    expectError("beta1: 0.9", "beta1: 1", message: "optimizer.beta1: must be in [0, 1)", at: "1,")
    expectError("beta2: 0.999", "beta2: -0.5", message: "optimizer.beta2", at: "-0.5")
    expectError("epsilon: 0.00000001", "epsilon: 0", message: "optimizer.epsilon: must be a positive number", at: "0 }")
    expectError("name: adam, learning_rate: 0.01, beta1: 0.9", "name: adamax, learning_rate: 0.01, beta1: 1.5",
                message: "optimizer.beta1", at: "1.5")
}

@Test func sgdMomentumOutsideZeroOne() {
    let sgd = "optimizer: { name: sgd, learning_rate: 0.1, momentum: 0.9 }"
    let adam = "optimizer: { name: adam, learning_rate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 0.00000001 }"
    #expect(parseError(lesson(adam, sgd)) == nil)
    expectError(adam, sgd.replacingOccurrences(of: "0.9", with: "1"), message: "optimizer.momentum: must be in [0, 1)", at: "1 }")
    expectError(adam, sgd.replacingOccurrences(of: "0.9", with: "-0.1"), message: "optimizer.momentum", at: "-0.1")
}

@Test func negativeSeedsAreErrorsNotClamped() {
    expectError("seed: 1", "seed: -1", message: "'seed' must be 0 or more (got -1)", at: "-1")
    #expect(parseError(lesson("seed: 1", "seed: 0")) == nil)
    // In a variant too, placed on the variant's value.
    let variant = lessonText(experiment.replacingOccurrences(of: "\n```\n", with: "\nvariants:\n  a: {}\n  b: { seed: -3 }\n```\n"))
    let e = parseError(variant)
    #expect(e?.message.contains("'seed' must be 0 or more (got -3)") == true)
    #expect(e?.location.line == 22)
}

@Test func sizesBelowOneOrAboveTheirLimits() {
    expectError("train_size: 100", "train_size: 0", message: "'train_size' must be in 1…100000", at: "0,")
    expectError("train_size: 100", "train_size: 1000000", message: "'train_size' must be in 1…100000", at: "1000000")
    expectError("test_size: 50", "test_size: -5", message: "'test_size'", at: "-5")
    expectError("dataset: blobs, train_size: 100", "dataset: mnist, scaling: scaled, train_size: 60001",
                message: "'train_size' must be in 1…60000 for mnist", at: "60001")
    expectError("classes: 3", "classes: 1", message: "'classes' must be in 2…100", at: "1,")
    expectError("classes: 3", "classes: 5000", message: "'classes' must be in 2…100", at: "5000")
    expectError("classes: 3", "classes: 3, arms: 0", message: "'arms' must be in 2…100", at: "0,")
    expectError("noise: 0.1", "noise: -1", message: "'noise' must be in 0…100", at: "-1")
    expectError("noise: 0.1", "noise: 0.1, feature_scales: [1, 0]", message: "'feature_scales'", at: "[1, 0]")
    expectError("batch_size: 10", "batch_size: 0", message: "batch_size: must be at least 1", at: "0")
    expectError("steps: 5", "steps: 0", message: "steps: must be at least 1", at: "0")
    expectError("steps: 5", "steps: 100000000000", message: "more than bnlab's limit", at: "100000000000")
    expectError("min_steps: 1", "min_steps: 0", message: "'min_steps' must be in 1…", at: "0")
    expectError("min_steps: 1", "min_steps: -4", message: "'min_steps' must be in 1…", at: "-4")
    expectError("ghost_batch_size: 5", "ghost_batch_size: 0", message: "ghost_batch_size", at: "0")
    expectError("[2, 8]", "[2, 0]", message: "train_mode_eval_batches: 0 is too small", at: "[2, 0]")
    expectError("[2, 8]", "[2, 100000]", message: "train_mode_eval_batches: 100000 is more than", at: "[2, 100000]")
    expectError("bins: 10", "bins: 0", message: "probes.bins: must be in 1…1000", at: "0,")
    expectError("bins: 10", "bins: 1000000", message: "probes.bins", at: "1000000")
    expectError("interval: 1", "interval: -1", message: "probes.interval", at: "-1")
    expectError("batch_size: 20", "batch_size: 1", message: "probes.batch_size: must be in 2…60000", at: "1,")
    expectError("hidden: [4]", "hidden: [4, 0]", message: "every layer needs at least one unit", at: "[4, 0]")
    let deep = "[" + Array(repeating: "2", count: 65).joined(separator: ", ") + "]"
    expectError("hidden: [4]", "hidden: \(deep)", message: "65 hidden layers; at most 64", at: deep)
}

@Test func initStdNotPositiveOrNotFinite() {
    expectError("init_std: 0.1", "init_std: 0", message: "network.init_std: must be a positive number", at: "0 }")
    expectError("init_std: 0.1", "init_std: -0.01", message: "network.init_std", at: "-0.01")
    expectError("init_std: 0.1", "init_std: 1e300", message: "network.init_std", at: "1e300")
}

@Test func probedUnitsOutsideEveryLayer() {
    // The widest layer has 4 units (the output layer 3): unit 4 is recorded nowhere.
    expectError("units: [0, 1]", "units: [0, 4]", message: "probes.units: unit 4 is in no layer", at: "[0, 4]")
    expectError("units: [0, 1]", "units: [-1]", message: "probes.units: unit -1", at: "[-1]")
    #expect(parseError(lesson("units: [0, 1]", "units: [3]")) == nil)
    // Left out, the default units [0, 1, 2, 3] are cut to the layers, not refused.
    #expect(parseError(lesson("hidden: [4]", "hidden: [2]").replacingOccurrences(of: ", units: [0, 1]", with: "")) == nil)
}

@Test func probeRangeNotFiniteOrReversed() {
    expectError("range: [-5, 5]", "range: [5, -5]", message: "'range' must be two increasing numbers", at: "[5, -5]")
    expectError("range: [-5, 5]", "range: [-inf, inf]", message: "probes.range: must be two finite", at: "[-inf, inf]")
    expectError("range: [-5, 5]", "range: [0, 1e400]", message: "probes.range", at: "[0, 1e400]")
    expectError("landscape: [1]", "landscape: [1, -2]", message: "probes.landscape", at: "[1, -2]")
}

@Test func transformAndBatchNoiseRanges() {
    func transform(_ body: String) -> LessonError? {
        parseError(lessonText("```experiment\nname: t\nkind: transform\n\(body)\n```\n"))
    }
    #expect(transform("examples: 4\nfeatures: 3") == nil)
    #expect(transform("epsilon: 0")?.message.contains("'epsilon' must be a positive number") == true)
    #expect(transform("epsilon: inf")?.message.contains("'epsilon'") == true)
    #expect(transform("examples: 1000000000000000000")?.message.contains("'examples' must be in 1…100") == true)
    #expect(transform("seed: -2")?.message.contains("'seed' must be 0 or more") == true)
    #expect(transform("batch:\n  - [1, inf]\n  - [2, 3]")?.message.contains("finite") == true)
    #expect(transform("batch:\n  - [1, 2]\n  - [2, 3]\ngamma: [1, nan]")?.message.contains("finite") == true)

    func noise(_ extra: String) -> LessonError? {
        parseError(lessonText("""
        ```experiment
        name: n
        kind: batch_noise
        data: { dataset: blobs, train_size: 100 }
        network: { hidden: [4], activation: relu }
        batch_sizes: [4, 16]
        \(extra)
        ```

        """))
    }
    #expect(noise("batches: 10") == nil)
    let e = noise("batches: 1000000000")
    #expect(e?.message.contains("'batches' must be in 2…100000") == true)
    #expect(e?.location == BNLessons.SourceLocation(line: 14, column: 10))
    #expect(noise("seed: -1")?.message.contains("'seed' must be 0 or more") == true)
}

/// The same rules hold for any TrainingConfig (the app's knobs, `bnlab train`), not only lessons.
@Test func engineRulesNameTheirField() {
    let base = TrainingConfig(network: .mlp(inputs: 4, hidden: [8], classes: 3, activation: .relu, batchNorm: .before),
                              optimizer: .sgd(learningRate: 0.1), batchSize: 10, steps: 5, probes: ProbeSettings(interval: 0))
    func field(_ change: (inout TrainingConfig) -> Void) -> String? {
        var config = base
        change(&config)
        do {
            try config.validate(trainCount: 100, features: 4, classes: 3)
            return nil
        } catch let error as ConfigurationError {
            return error.field
        } catch {
            return "\(error)"
        }
    }
    #expect(field { _ in } == nil)
    #expect(field { $0.network.bnMomentum = 2 } == "network.bn_momentum")
    #expect(field { $0.network.bnEpsilon = .nan } == "network.bn_epsilon")
    #expect(field { $0.network.initialization = .gaussian(std: -1) } == "network.init_std")
    #expect(field { $0.optimizer = .sgd(learningRate: 0.1, momentum: 1) } == "optimizer.momentum")
    #expect(field { $0.optimizer = .adam(learningRate: 0.1, beta1: 0.9, beta2: 1) } == "optimizer.beta2")
    #expect(field { $0.optimizer = .adamax(learningRate: 0.1, epsilon: 0) } == "optimizer.epsilon")
    #expect(field { $0.probes.units = [8] } == "probes.units")
    #expect(field { $0.probes.units = [7] } == nil)
    #expect(field { $0.probes.range = -Double.infinity...0 } == "probes.range")
    #expect(field { $0.evaluationInterval = -1 } == "evaluation_interval")
    #expect(field { $0.trainEvaluationSize = -1 } == "train_evaluation_size")
}

/// A lesson with such a value is bad input for `bnlab --headless`: exit 2, the location in the message.
@Test func outOfRangeValueExitsTwo() {
    let path = NSTemporaryDirectory() + "bnlab-range-\(UUID().uuidString).md"
    try? lesson("bn_momentum: 0.1", "bn_momentum: 7").write(toFile: path, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let run = headless(HeadlessOptions(lessons: [path], ascii: true))
    #expect(run.code == 2)
    #expect(run.errors.contains(":12:"))
    #expect(run.errors.contains("network.bn_momentum: must be in [0, 1] (got 7.0)"))
}
