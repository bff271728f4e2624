// `bnlab train`: one quick training run from the command line, printing evaluation points.

import ArgumentParser
import BNData
import BNEngine
import Foundation

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train one MLP on MNIST and print test accuracy as it goes (no lesson needed).",
        discussion: """
        The defaults (three hidden layers of 100 ReLU units, no BN, SGD at 0.1, batch 60, 1000 steps) reach \
        about 94 % test accuracy. With --activation sigmoid the same network stays near 10 % for those \
        1000 steps (three sigmoid layers pass back little gradient at this learning rate); add --bn before \
        and it reaches about 93 %: the contrast the lessons explain.

        Limits: at most \(maximumLayers) hidden layers of 1…\(maximumWidth) units, a batch of 1…60000, \
        1…\(TrainingConfig.maximumSteps) steps, and \(MemoryEstimate.format(MemoryEstimate.budget)) of memory per run (estimated before anything is built).
        """
    )

    static let maximumLayers = 64
    static let maximumWidth = 100_000

    @Option(help: "Hidden layer widths, comma-separated.") var hidden = "100,100,100"
    @Option(help: "Hidden layers' activation.") var activation: Activation = .relu
    @Option(help: "BN placement in every hidden layer.") var bn: BNPlacement = .none
    @Option(help: "Biases in the hidden layers (auto: only where no BN follows directly).") var bias: BiasChoice = .auto
    @Option(help: "Optimizer (PyTorch's defaults for its other settings).") var optimizer: OptimizerKind = .sgd
    @Option(name: .customLong("lr"), parsing: .unconditional, help: "Learning rate.") var learningRate: Float = 0.1
    @Option(help: "Weight initialisation (gaussian: σ 0.01).") var initialization: InitializationName = .pytorch_default
    @Option(help: "Input scaling.") var scaling: InputScaling = .scaled
    @Option(parsing: .unconditional, help: "Mini-batch size.") var batch = 60
    @Option(parsing: .unconditional, help: "Training steps.") var steps = 1000
    @Option(parsing: .unconditional, help: "Evaluate every this many steps (0: only at the end).") var every = 250
    @Option(parsing: .unconditional, help: "Seed (a whole number, 0 or more).") var seed: UInt64 = 1

    /// The hidden widths, each checked.
    func widths() throws -> [Int] {
        let parts = hidden.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        if parts.count > Self.maximumLayers {
            throw ValidationError("--hidden: \(parts.count) layers; at most \(Self.maximumLayers)")
        }
        return try parts.map { part in
            guard let width = Int(part), (1...Self.maximumWidth).contains(width) else {
                throw ValidationError("--hidden: '\(part)' is not a width in 1…\(Self.maximumWidth) (give widths like 100,100,100)")
            }
            return width
        }
    }

    func validate() throws {
        _ = try widths()
        if !(learningRate.isFinite && learningRate >= 0) { throw ValidationError("--lr must be a non-negative number (got \(learningRate))") }
        if !(1...60_000).contains(batch) { throw ValidationError("--batch must be in 1…60000 (got \(batch))") }
        if !(1...TrainingConfig.maximumSteps).contains(steps) {
            throw ValidationError("--steps must be in 1…\(TrainingConfig.maximumSteps) (got \(steps))")
        }
        if every < 0 { throw ValidationError("--every must be 0 or more (got \(every))") }
        // MNIST's shape (784 inputs, 10 classes, 60,000 + 10,000 examples) is known before loading it,
        // so a configuration too large to build is refused before the data is decoded.
        let estimate = try config(features: 784, classes: 10)
        do {
            try estimate.validate(trainCount: 60_000, features: 784, classes: 10, testCount: 10_000)
        } catch {
            throw ValidationError("\(error)")
        }
    }

    func config(features: Int, classes: Int) throws -> TrainingConfig {
        guard let initial = Initialization.named(initialization.rawValue) else {
            throw ValidationError("unknown initialization '\(initialization.rawValue)'")  // every case has a name
        }
        let optimizerSpec = optimizer.spec(learningRate: learningRate)
        return TrainingConfig(
            network: .mlp(inputs: features, hidden: try widths(), classes: classes, activation: activation,
                          batchNorm: bn, bias: bias.value, initialization: initial),
            optimizer: optimizerSpec, batchSize: batch, steps: steps, evaluationInterval: every,
            probes: ProbeSettings(interval: 0), seed: seed)
    }

    func run() throws {
        let (train, test) = try DataCatalog.load(DataRequest(dataset: "mnist", scaling: scaling, seed: seed))
        let config = try config(features: train.features, classes: train.classes)
        let trainer: Trainer
        do {
            trainer = try Trainer(config: config, train: train, test: test)
        } catch {
            throw ValidationError("\(error)")
        }
        let start = Date()
        trainer.run()
        let seconds = Date().timeIntervalSince(start)
        if let accuracy = trainer.record.series(.testAccuracy) {
            for (step, value) in zip(accuracy.steps, accuracy.values) { say("step \(step)\ttest accuracy \(String(format: "%.4f", value))") }
        }
        if let failure = trainer.record.failure { say("\(failure)") }
        say(String(format: "%d steps in %.2f s (%.0f steps/s, evaluation included)", trainer.stepsDone, seconds, Double(trainer.stepsDone) / seconds))
    }
}

/// `--bias`: keep biases everywhere, drop them everywhere, or the default rule.
enum BiasChoice: String, CaseIterable, ExpressibleByArgument {
    case auto, `true`, `false`

    /// What `NetworkSpec.mlp` takes: nil for the default rule.
    var value: Bool? {
        switch self {
        case .auto: return nil
        case .true: return true
        case .false: return false
        }
    }
}

/// `--initialization`: the names of ``Initialization``'s cases (whose `gaussian` carries a σ).
enum InitializationName: String, CaseIterable, ExpressibleByArgument {
    case pytorch_default, gaussian, lecun_normal, xavier, he
}

extension Activation: ExpressibleByArgument {}
extension BNPlacement: ExpressibleByArgument {}
extension OptimizerKind: ExpressibleByArgument {}
extension InputScaling: ExpressibleByArgument {}
