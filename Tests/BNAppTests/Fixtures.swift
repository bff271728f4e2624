// A tiny notebook on a tiny synthetic dataset, so state, layout and run tests need no MNIST.

@testable import BNApp
import BNEngine

enum Fixtures {
    /// 64 examples of 4 features, 2 classes: class = whether the first feature is positive.
    static let data: Dataset = {
        var rng = SplitMix64(seed: 7)
        var x: [Float] = []
        var labels: [Int32] = []
        for _ in 0..<64 {
            let row = (0..<4).map { _ in Float(rng.nextUnitDouble() * 2 - 1) }
            x += row
            labels.append(row[0] > 0 ? 1 : 0)
        }
        return Dataset(name: "toy", features: 4, classes: 2, x: x, labels: labels)
    }()

    static let factory: TrainerFactory = { variant in
        try Trainer(config: variant.config, train: data, test: data)
    }

    static func variant(_ name: String, _ placement: BNPlacement, steps: Int = 30) -> AppVariant {
        AppVariant(name: name, data: DataSpec(dataset: "toy", scaling: "raw"), config: TrainingConfig(
            network: .mlp(inputs: 4, hidden: [8, 8], classes: 2, activation: .tanh, batchNorm: placement),
            optimizer: .sgd(learningRate: 0.1), batchSize: 16, steps: steps, evaluationInterval: 10,
            trainEvaluationSize: 0, probes: ProbeSettings(interval: 5, batchSize: 32, bins: 10), seed: 3))
    }

    static let experiment = AppExperiment(name: "toy", caption: "plain vs bn on a toy set",
                                          variants: [variant("plain", .none), variant("bn", .before)])

    static let notebook = Notebook(
        id: "toy-lesson", title: "Toy lesson", summary: "A toy lesson for tests.", estimatedTime: "1 s",
        cells: [
            .prose("# Heading\nSome prose about BN."),
            .predict(AppPredict(experiment: "toy", question: "Which wins?", options: ["plain", "bn"],
                                answer: { _ in PredictAnswer(option: 1, explanation: "bn higher") })),
            .experiment(experiment),
            .claims(AppClaims(experiment: "toy", claims: [
                AppClaim(text: "bn trains") { _ in ClaimVerdict(passed: true, detail: "1 > 0") },
            ])),
        ])

    static let second = Notebook(id: "second", title: "Second lesson", summary: "Another one.", estimatedTime: "2 min",
                                 cells: [.prose("Only prose.")])

    static func state(width: Int = 80, height: Int = 24) -> AppState {
        AppState(lessons: [notebook, second], width: width, height: height)
    }

    /// A finished snapshot with empty records for the toy experiment.
    static func finishedSnapshot() -> RunSnapshot {
        RunSnapshot(phase: .finished, variantNames: ["plain", "bn"], records: [RunRecord(), RunRecord()],
                    stepsDone: 60, totalSteps: 60, elapsed: 1.5)
    }
}
