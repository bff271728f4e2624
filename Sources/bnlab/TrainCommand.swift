// `bnlab train`: one quick training run from the command line, printing evaluation points.

import ArgumentParser
import BNData
import BNEngine
import Foundation

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train one MLP on MNIST and print test accuracy as it goes (no lesson needed)."
    )

    @Option(help: "Hidden layer widths, comma-separated.") var hidden = "100,100,100"
    @Option(help: "sigmoid, tanh, relu or identity.") var activation: String = "sigmoid"
    @Option(help: "BN placement: none, before or after.") var bn: String = "none"
    @Option(help: "Keep biases in layers followed by BN (default: only where no BN follows directly).") var bias: Bool?
    @Option(help: "\(OptimizerKind.names.joined(separator: ", ")).") var optimizer = "sgd"
    @Option(name: .customLong("lr"), help: "Learning rate.") var learningRate: Float = 0.1
    @Option(help: "Initialisation: \(Initialization.names.joined(separator: ", ")) (gaussian: σ 0.01).")
    var initialization = "pytorch_default"
    @Option(help: "Input scaling: raw, scaled, zscore, binarized.") var scaling = "scaled"
    @Option(help: "Mini-batch size.") var batch = 60
    @Option(help: "Training steps.") var steps = 1000
    @Option(help: "Evaluate every this many steps.") var every = 250
    @Option(help: "Seed.") var seed: UInt64 = 1

    func run() throws {
        guard let act = Activation(rawValue: activation) else { throw ValidationError("unknown activation '\(activation)'") }
        guard let placement = BNPlacement(rawValue: bn) else { throw ValidationError("unknown BN placement '\(bn)'") }
        guard let inputScaling = InputScaling(rawValue: scaling) else { throw ValidationError("unknown scaling '\(scaling)'") }
        let widths = hidden.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard let initial = Initialization.named(initialization) else {
            throw ValidationError("unknown initialization '\(initialization)' (\(Initialization.names.joined(separator: ", ")))")
        }
        guard let kind = OptimizerKind(named: optimizer) else {
            throw ValidationError("unknown optimizer '\(optimizer)' (\(OptimizerKind.names.joined(separator: ", ")))")
        }
        let optimizerSpec = kind.spec(learningRate: learningRate)
        let (train, test) = try DataCatalog.load(DataRequest(dataset: "mnist", scaling: inputScaling, seed: seed))
        let config = TrainingConfig(
            network: .mlp(inputs: train.features, hidden: widths, classes: train.classes, activation: act,
                          batchNorm: placement, bias: bias, initialization: initial),
            optimizer: optimizerSpec, batchSize: batch, steps: steps, evaluationInterval: every,
            probes: ProbeSettings(interval: 0), seed: seed)
        let trainer = try Trainer(config: config, train: train, test: test)
        let start = Date()
        trainer.run()
        let seconds = Date().timeIntervalSince(start)
        if let accuracy = trainer.record.series(.testAccuracy) {
            for (step, value) in zip(accuracy.steps, accuracy.values) { print("step \(step)\ttest accuracy \(String(format: "%.4f", value))") }
        }
        if let failure = trainer.record.failure { print(failure) }
        print(String(format: "%d steps in %.2f s (%.0f steps/s, evaluation included)", trainer.stepsDone, seconds, Double(trainer.stepsDone) / seconds))
    }
}
