// How to run an experiment: scale, seed, the app's knob overrides, and how often to report.

import BNEngine
import Foundation

/// Knobs the app lets a learner turn. Any set knob marks the run "tweaked": claims are not judged.
public struct RunOverrides: Sendable, Equatable {
    public var batchSize: Int?
    public var learningRate: Double?
    /// BN placement for every hidden layer.
    public var batchNorm: BNPlacement?
    /// Activation of every hidden layer.
    public var activation: Activation?
    /// "sgd", "adam" or "adamax"; keeps the learning rate.
    public var optimizer: String?
    public var steps: Int?

    public init(batchSize: Int? = nil, learningRate: Double? = nil, batchNorm: BNPlacement? = nil,
                activation: Activation? = nil, optimizer: String? = nil, steps: Int? = nil) {
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.batchNorm = batchNorm
        self.activation = activation
        self.optimizer = optimizer
        self.steps = steps
    }

    /// Whether no knob is set.
    public var isEmpty: Bool { self == RunOverrides() }
}

/// Options for one experiment run.
public struct RunOptions: Sendable {
    /// Multiplies every train experiment's steps (never below its `min_steps`, never below 1).
    public var scale: Double
    /// Added to every seed (training and data) of every variant, so variants with different seeds stay
    /// different: `seed: 2` run with offset 5 uses seed 7 (wrapping at 2⁶⁴). 0 runs the lesson as written.
    public var seedOffset: UInt64
    public var overrides: RunOverrides
    /// Report a snapshot of each variant every this many steps (and at its end).
    public var snapshotInterval: Int
    /// Run variants on several threads (results are the same either way).
    public var parallel: Bool

    public init(scale: Double = 1, seedOffset: UInt64 = 0, overrides: RunOverrides = RunOverrides(),
                snapshotInterval: Int = 50, parallel: Bool = true) {
        self.scale = scale
        self.seedOffset = seedOffset
        self.overrides = overrides
        self.snapshotInterval = snapshotInterval
        self.parallel = parallel
    }
}

/// A flag the app sets to stop a run between steps. Safe to set from any thread.
public final class CancellationFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var cancelled = false

    public init() {}

    public func cancel() { lock.withLock { cancelled = true } }

    public var isCancelled: Bool { lock.withLock { cancelled } }
}

extension TrainPlan {
    /// This plan with steps multiplied by `scale` and intervals shrunk in proportion (never below 1).
    public func scaled(by scale: Double) -> TrainPlan {
        var plan = self
        plan.steps = max(min(minSteps, steps), max(1, Int((Double(steps) * scale).rounded())))
        let ratio = Double(plan.steps) / Double(steps)
        func shrink(_ interval: Int) -> Int { interval > 0 ? max(1, Int((Double(interval) * ratio).rounded())) : 0 }
        plan.evaluationInterval = shrink(evaluationInterval)
        plan.probes.interval = shrink(probes.interval)
        return plan
    }

    /// This plan with the app's knobs applied.
    public func overridden(by o: RunOverrides) -> TrainPlan {
        var plan = self
        if let b = o.batchSize { plan.batchSize = b }
        if let s = o.steps { plan.steps = s }
        if let name = o.optimizer {
            let lr = plan.optimizer.learningRate
            plan.optimizer = OptimizerSpec.named(name, learningRate: lr) ?? .sgd(learningRate: lr)
        }
        if let lr = o.learningRate { plan.optimizer = plan.optimizer.with(learningRate: Float(lr)) }
        let hidden = plan.network.layers.indices.dropLast()
        for i in hidden {
            if let p = o.batchNorm { plan.network.layers[i].batchNorm = p }
            if let a = o.activation { plan.network.layers[i].activation = a }
        }
        return plan
    }

    /// The engine's config for data with `features` inputs and `classes` classes.
    func config(features: Int, classes: Int) -> TrainingConfig {
        var network = self.network
        network.inputs = features
        network.layers[network.layers.count - 1].outputs = classes
        return TrainingConfig(network: network, optimizer: optimizer, batchSize: batchSize, ghostBatchSize: ghostBatchSize,
                              steps: steps, evaluationInterval: evaluationInterval, trainEvaluationSize: trainEvaluationSize,
                              probes: probes, frozen: frozen,
                              trainModeEvaluationBatchSizes: trainModeEvaluationBatchSizes, seed: seed)
    }
}
