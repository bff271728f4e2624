// A built-in lesson that needs no lesson files: Ioffe & Szegedy's Figure 1 in miniature, a
// 784-100-100-100-10 sigmoid net on MNIST with and without BN. It keeps the app usable (and the
// end-to-end test fast) before any lesson directory is found; it is not a substitute for lessons/.

import BNEngine
import Foundation

public enum QuickTour {
    public static let id = "quick-tour"

    /// The tour at `steps` steps per variant (the e2e test and the tests pass fewer).
    public static func notebook(steps: Int = 2000) -> Notebook {
        let data = DataSpec(dataset: "mnist", scaling: "scaled", seed: 1)
        func variant(_ name: String, _ placement: BNPlacement) -> AppVariant {
            AppVariant(name: name, data: data, config: TrainingConfig(
                network: .mlp(inputs: 784, hidden: [100, 100, 100], classes: 10, activation: .sigmoid, batchNorm: placement),
                optimizer: .sgd(learningRate: 0.5), batchSize: 60, steps: steps, evaluationInterval: 100,
                trainEvaluationSize: 0, probes: ProbeSettings(interval: 20), seed: 1))
        }
        let experiment = AppExperiment(
            name: "fig1", caption: "three sigmoid layers, plain vs BN before each activation, SGD lr 0.5, batch 60",
            variants: [variant("plain", .none), variant("bn", .before)])
        return Notebook(
            id: id, title: "Quick tour: BN in one experiment",
            summary: "Train the same sigmoid network with and without batch normalization and watch every layer's inputs.",
            estimatedTime: "1 min",
            cells: [
                .prose("""
                # What batch normalization does
                Each hidden layer computes z = x·Wᵀ + b and passes it through a sigmoid. As the weights \
                change, the distribution of z drifts, and a sigmoid fed values far from 0 saturates.

                Batch normalization standardizes each unit over the mini-batch, ẑ = (z − μ_B)/√(σ²_B + ε), \
                then lets the network rescale it: y = γ·ẑ + β.
                """),
                .predict(AppPredict(
                    experiment: "fig1", question: "Which network reaches 90% test accuracy first?",
                    options: ["plain", "bn"], answer: { records in firstToReach(records, 0.9) })),
                .experiment(experiment),
                .prose("""
                Read the histograms row by row: "in" is a layer's activation input, "out" its sigmoid output. \
                Without BN the inputs wander and spread; with BN they stay centred with a steady width.
                """),
                .claims(AppClaims(experiment: "fig1", claims: [
                    compare("final test_accuracy of bn > final test_accuracy of plain", "test_accuracy", nil, ">"),
                    AppClaim(text: "final test_accuracy of bn > 0.9") { records in
                        let bn = final(records, "bn", "test_accuracy")
                        return ClaimVerdict(passed: bn > 0.9, detail: "\(format(bn)) > 0.9")
                    },
                ])),
            ])
    }

    static func final(_ records: RecordsByVariant, _ variant: String, _ metric: String, layer: Int? = nil) -> Double {
        records[variant]?.series(metric, layer: layer, stage: layer == nil ? nil : .preActivation)?.last ?? .nan
    }

    static func compare(_ text: String, _ metric: String, _ layer: Int?, _ op: String) -> AppClaim {
        AppClaim(text: text) { records in
            let bn = final(records, "bn", metric, layer: layer), plain = final(records, "plain", metric, layer: layer)
            let passed = op == ">" ? bn > plain : bn < plain
            return ClaimVerdict(passed: passed, detail: "\(format(bn)) \(op) \(format(plain))")
        }
    }

    static func firstToReach(_ records: RecordsByVariant, _ threshold: Double) -> PredictAnswer? {
        let names = ["plain", "bn"]
        let steps = names.map { name -> Int in
            guard let s = records[name]?.series("test_accuracy") else { return .max }
            return zip(s.steps, s.values).first { $0.1 >= threshold }?.0 ?? .max
        }
        guard let best = steps.indices.min(by: { steps[$0] < steps[$1] }) else { return nil }
        let text = zip(names, steps).map { "\($0): " + ($1 == .max ? "never" : "step \($1)") }.joined(separator: ", ")
        return PredictAnswer(option: best, explanation: text)
    }

    static func format(_ x: Double) -> String { x.isFinite ? String(format: "%.3g", x) : "\(x)" }
}
