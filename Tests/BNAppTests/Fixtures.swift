// Lessons for the app's tests: the shipped lesson 0 (a transform: runs instantly, no data) and a
// tiny synthetic training lesson on blobs, so state, layout and run tests need no MNIST.

@testable import BNApp
import BNEngine
import BNLessons
import Foundation

enum Fixtures {
    /// The checkout's lessons folder (this file is Tests/BNAppTests/Fixtures.swift).
    static let lessonsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("lessons").path

    /// lessons/00-bn-transform.md, parsed by the lesson engine.
    static let transform: Notebook = {
        let path = lessonsDirectory + "/00-bn-transform.md"
        do { return Notebook(try LessonParser.load(path: path)) } catch { fatalError("\(error)") }
    }()

    static let toyText = """
    ---
    id: toy-lesson
    title: Toy lesson
    order: 1
    summary: A toy lesson for tests.
    estimated_time: 1 s
    ---

    # Heading

    Some prose about BN: $\\hat{x} = (x - \\mu) / \\sqrt{\\sigma^2 + \\epsilon}$.

    ```predict
    question: Which reaches the higher test accuracy?
    options: [plain, bn]
    answer: highest final test_accuracy
    ```

    ```experiment
    name: toy
    data: { dataset: blobs, train_size: 200, test_size: 100 }
    network: { hidden: [8, 8], activation: tanh }
    optimizer: { name: sgd, learning_rate: 0.1 }
    batch_size: 20
    steps: 30
    evaluation_interval: 10
    train_evaluation_size: 0
    probes: { interval: 5, batch_size: 50, bins: 10 }
    seed: 3
    variants:
      plain: {}
      bn: { network: { batch_norm: before } }
    ```

    ```plot
    view: table
    metrics: [test_accuracy]
    ```

    ```claim
    final test_accuracy of bn > 0.1
    final test_accuracy of bn > 2
    ```
    """

    static let toy: Notebook = {
        do { return Notebook(try LessonParser.parse(text: toyText, file: "toy.md")) } catch { fatalError("\(error)") }
    }()

    /// The toy lesson with a long run, for pause and cancel.
    static func long(steps: Int) -> ExperimentSpec {
        let text = toyText.replacingOccurrences(of: "steps: 30", with: "steps: \(steps)")
        do { return try LessonParser.parse(text: text, file: "long.md").experiment(named: "toy")! } catch { fatalError("\(error)") }
    }

    static let second = Notebook(id: "second", title: "Second lesson", summary: "Another one.", estimatedTime: "2 min",
                                 cells: [.prose("Only prose.")])

    static func state(width: Int = 80, height: Int = 24) -> AppState {
        AppState(lessons: [toy, second], width: width, height: height)
    }

    /// Runs `experiment` of the state's open lesson to the end through the real controller and
    /// applies its snapshots, as the app's loop does.
    static func runToEnd(_ state: inout AppState, _ experiment: String) {
        let controller = RunController(publishInterval: 0.001)
        guard let spec = state.lesson?.experiment(named: experiment) else { return }
        controller.start(spec, options: state.runOptions(of: experiment))
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if let s = controller.takeSnapshot() {
                state.apply(s)
                Layout.measure(&state)
                if !s.phase.isActive { return }
            }
            Thread.sleep(forTimeInterval: 0.002)
        }
    }
}

extension AppState {
    /// A key as the host delivers it: the notebook measured before and after, as after every change.
    mutating func press(_ key: AppKey) -> [AppEffect] {
        Layout.measure(&self)
        let effects = handle(key)
        Layout.measure(&self)
        return effects
    }
}

extension Fixtures {
    /// Variant names for a many-variant experiment: long names that share prefixes (`zscore` and
    /// `zscore_bn`), as a sweep over optimizers, learning rates and BN gives.
    static func variantNames(_ count: Int) -> [String] {
        let base = ["zscore", "zscore_bn", "plain_lr0_0001", "bn_lr0_0001", "adam_plain_lr0_01", "adam_bn_lr0_01",
                    "adamax_plain_lr10", "adamax_bn_lr10"]
        return (0..<count).map { i in i < base.count ? base[i] : "sweep_\(i / 6)_lr\(i % 6)_bn_before_seed\(i % 3)" }
    }

    /// An experiment block on 200 blobs through a 3-layer sigmoid net (SGD at 0.1, batch 20): `settings`
    /// lines (steps, evaluation, probes, seeds, sweep) go between the batch size and the variants, which
    /// are written as given, one indented line each.
    static func blobsExperiment(name: String, settings: [String], variants: String) -> String {
        (["```experiment", "name: \(name)", "data: { dataset: blobs, train_size: 200, test_size: 100 }",
          "network: { hidden: [8, 8, 8], activation: sigmoid }", "optimizer: { name: sgd, learning_rate: 0.1 }",
          "batch_size: 20"] + settings + ["variants:", variants, "```"]).joined(separator: "\n")
    }

    /// A lesson whose one experiment has `count` variants with `variantNames(count)`, a long claim
    /// and a long predict question (the claims engine's text is under test for wrapping, not its numbers).
    static func manyVariants(_ count: Int) -> Notebook {
        let names = variantNames(count)
        let variants = names.enumerated().map { i, name in
            "  \(name): { optimizer: { learning_rate: \(0.01 * Double(i + 1)) }\(name.contains("bn") ? ", network: { batch_norm: before }" : "") }"
        }.joined(separator: "\n")
        let predict = """
        ```predict
        question: Which of the optimizers and learning rates in this sweep reaches the highest final test accuracy after all of its steps, with and without batch normalization?
        options: [\(names.prefix(3).joined(separator: ", "))]
        answer: highest final test_accuracy
        ```
        """
        let text = """
        ---
        id: many-\(count)
        title: Many variants
        order: 1
        summary: \(count) variants.
        estimated_time: 1 s
        ---

        Prose with math: $\\mu_B = \\frac{1}{m} \\sum_i x_i$ and $\\gamma$.

        \(count > 1 ? predict : "")
        \(blobsExperiment(name: "sweep", settings: ["steps: 20", "evaluation_interval: 10", "train_evaluation_size: 0",
                                                    "probes: { interval: 5, batch_size: 50, bins: 10 }", "seed: 3"],
                          variants: variants))

        ```claim
        final test_accuracy of \(names[0]) + final test_accuracy of \(names[min(1, count - 1)]) - final test_accuracy of \(names[count - 1]) > -1
        ```
        """
        do { return Notebook(try LessonParser.parse(text: text, file: "many.md")) } catch { fatalError("\(error)") }
    }

    /// A made-up training snapshot of `names`: three hidden layers and an output layer, each with an
    /// input and output histogram whose statistics need many digits (μ 0.0022) and whose
    /// out-of-range counts are large (2.1k left, 9k right), plus loss and accuracy curves.
    static func fakeSnapshot(_ names: [String], phase: RunPhase = .training) -> RunSnapshot {
        let records = names.indices.map { v -> RunRecord in
            var record = RunRecord()
            for step in stride(from: 0, through: 200, by: 10) {
                record.append(MetricKey(MetricName.batchLoss.rawValue), step: step, 2.3 / Double(1 + step / 10 + v % 5))
                if step % 50 == 0 {
                    record.append(MetricKey(MetricName.testAccuracy.rawValue), step: step, min(0.99, 0.1 + Double(step) / 250 + 0.01 * Double(v)))
                }
            }
            for layer in 1...4 {
                for stage in [Stage.preActivation, .activation] {
                    let bins = (0..<20).map { i in Double(100 + 37 * ((i * 7 + v * 3 + layer) % 11)) }
                    record.histograms[HistogramKey(layer: layer, stage: stage), default: []].append(
                        HistogramSnapshot(step: 200, lower: -3 - Double(layer), upper: 3 + Double(v % 4), bins: bins,
                                          below: 2100 + 7 * v, above: 9000 + 266 * layer, nonFinite: 0,
                                          mean: 0.0022 * Double(v + 1), std: 0.98765 + Double(layer), saturation: 0.12))
                }
            }
            record.steps = 200
            return record
        }
        return RunSnapshot(phase: phase, variantNames: names, records: records, stepsDone: 120 * names.count,
                           totalSteps: 200 * names.count, elapsed: 12.5)
    }

    /// A state with `manyVariants(count)` open on its experiment cell, showing `fakeSnapshot`.
    static func dashboardState(variants count: Int, width: Int, height: Int) -> AppState {
        let lesson = manyVariants(count)
        var s = AppState(lessons: [lesson], width: width, height: height)
        _ = s.open(lessonID: lesson.id)
        while s.currentCell?.experimentName == nil || { if case .experiment = s.currentCell { false } else { true } }() {
            _ = s.press(.character("n"))
        }
        s.runs[AppState.runKey(lesson: lesson.id, experiment: "sweep")] =
            ExperimentRun(snapshot: fakeSnapshot(variantNames(count)), knobs: Knobs(), generation: RunGeneration.next())
        Layout.measure(&s)
        _ = s.press(.character("n"))
        _ = s.press(.character("b"))  // brings the dashboard, now full height, into view
        return s
    }
}
