// How to run an experiment: scale, seed, the app's knobs, and how often to report.

import BNEngine
import Foundation

/// Options for one experiment run.
public struct RunOptions: Sendable {
    /// Multiplies every train experiment's steps (never below its `min_steps`, never below 1).
    public var scale: Double
    /// Added to every seed (training and data) of every variant, so variants with different seeds stay
    /// different: `seed: 2` run with offset 5 uses seed 7 (wrapping at 2⁶⁴). 0 runs the lesson as written.
    public var seedOffset: UInt64
    /// The app's knobs; any set knob marks the run tweaked.
    public var knobs: Knobs
    /// Report a snapshot of each variant every this many steps (and at its end).
    public var snapshotInterval: Int
    /// Run variants on several threads (results are the same either way).
    public var parallel: Bool

    public init(scale: Double = 1, seedOffset: UInt64 = 0, knobs: Knobs = Knobs(),
                snapshotInterval: Int = 50, parallel: Bool = true) {
        self.scale = scale
        self.seedOffset = seedOffset
        self.knobs = knobs
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
    /// This plan with steps multiplied by `scale` and intervals (and Batch Renorm's ramp) shrunk in proportion (never below 1).
    public func scaled(by scale: Double) -> TrainPlan {
        var plan = self
        let steps = config.steps
        // Computed in Double and capped just past the engine's limit, so any scale (1e300 included)
        // converts to Int without trapping and the run is refused with "more than the limit".
        let wanted = (Double(steps) * scale).rounded()
        let capped = wanted.isFinite ? min(wanted, Double(TrainingConfig.maximumSteps + 1)) : Double(TrainingConfig.maximumSteps + 1)
        plan.config.steps = max(min(minSteps, steps), max(1, Int(capped)))
        let ratio = Double(plan.config.steps) / Double(steps)
        func shrink(_ interval: Int) -> Int { interval > 0 ? max(1, Int((Double(interval) * ratio).rounded())) : 0 }
        plan.config.evaluationInterval = shrink(config.evaluationInterval)
        plan.config.probes.interval = shrink(config.probes.interval)
        // Batch Renorm's ramp covers the same share of the run at any scale.
        for (index, layer) in config.network.layers.enumerated() {
            guard case .batchRenorm(var limits) = layer.normalization else { continue }
            limits.rampStart = Int((Double(limits.rampStart) * ratio).rounded())
            limits.rampSteps = shrink(limits.rampSteps)
            plan.config.network.layers[index].normalization = .batchRenorm(limits)
        }
        return plan
    }

    /// The engine's config for data with `features` inputs and `classes` classes.
    func config(features: Int, classes: Int) -> TrainingConfig {
        var config = self.config
        config.network.inputs = features
        config.network.layers[config.network.layers.count - 1].outputs = classes
        return config
    }
}
