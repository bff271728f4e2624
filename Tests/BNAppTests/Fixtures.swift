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
