// An experiment cell: a kind, shared defaults, and named variants that each override a few fields.
//
// Variants of one experiment share the seed and the data order, so their differences come from
// the fields they change. Each variant is decoded into a plan the runner can execute directly.

import BNData
import BNEngine

/// An experiment as declared in a lesson.
public struct ExperimentSpec: Sendable {
    public var name: String
    public var kind: ExperimentKind
    public var location: SourceLocation
    /// Variants in the order the file lists them ("default" when the file lists none). With a
    /// `sweep`, one per written variant and swept value, variant by variant (`bn_lr0_01`).
    public var variants: [VariantSpec]
    /// The names claims and plots use, one per entry of `variants`.
    public var variantNames: [String] { variants.map(\.name) }
    /// `seeds: [1, 2, 3]`: every variant runs once per seed (as written; `--seed` adds its offset).
    /// Empty: each variant runs once, with the seed it says.
    public var seeds: [UInt64]
    /// `sweep: { optimizer.learning_rate: [...] }`, crossed with the written variants; nil if none.
    public var sweep: Sweep?

    public init(name: String, kind: ExperimentKind, location: SourceLocation, variants: [VariantSpec],
                seeds: [UInt64] = [], sweep: Sweep? = nil) {
        self.name = name
        self.kind = kind
        self.location = location
        self.variants = variants
        self.seeds = seeds
        self.sweep = sweep
    }

    /// How many training runs the experiment makes: variants × seeds.
    public var runCount: Int { variants.count * max(1, seeds.count) }

    /// Metric names this experiment records (for checking claims and plots before running).
    public var knownMetrics: Set<String> {
        variants.reduce(kind.metricNames) { names, variant in
            if case .train(let plan) = variant.plan { return names.union(plan.planMetricNames) }
            return names
        }
    }

    /// Units whose percentiles some variant records (`probes: { units: [...] }`).
    public var probedUnits: Set<Int> {
        variants.reduce(into: Set<Int>()) { units, variant in
            if case .train(let plan) = variant.plan { units.formUnion(plan.config.probes.units) }
        }
    }

    /// The widest any variant makes each layer, layer N at index N − 1 (for checking `sum over units`).
    public var layerWidths: [Int] {
        var widths: [Int] = []
        for variant in variants {
            let layers: [LayerSpec]
            switch variant.plan {
            case .train(let plan): layers = plan.config.network.layers
            case .batchNoise(let plan): layers = plan.network.layers
            default: continue
            }
            for (i, layer) in layers.enumerated() {
                if i < widths.count { widths[i] = max(widths[i], layer.outputs) } else { widths.append(layer.outputs) }
            }
        }
        return widths
    }

    /// The most layers any variant has (for checking plots and claims before running).
    public var layerCount: Int {
        variants.map { variant -> Int in
            if case .train(let plan) = variant.plan { return plan.config.network.layers.count }
            if case .batchNoise(let plan) = variant.plan { return plan.network.layers.count }
            return 0
        }.max() ?? 0
    }
}

/// One named variant and everything needed to run it.
public struct VariantSpec: Sendable {
    public var name: String
    public var location: SourceLocation
    /// A variant marked `may_diverge: true` may stop at NaN/Inf without failing the run.
    public var mayDiverge: Bool
    public var plan: VariantPlan
    /// The variant as written, before the sweep added its value (`bn` for `bn_lr0_01`); = `name` without a sweep.
    public var base: String
    /// The swept field's value in this variant; nil without a sweep.
    public var sweepValue: Double?

    public init(name: String, location: SourceLocation, mayDiverge: Bool, plan: VariantPlan, base: String? = nil,
                sweepValue: Double? = nil) {
        self.name = name
        self.location = location
        self.mayDiverge = mayDiverge
        self.plan = plan
        self.base = base ?? name
        self.sweepValue = sweepValue
    }
}

/// One field of a train experiment run over several values, crossed with the written variants.
public struct Sweep: Sendable, Equatable {
    /// The field as written, e.g. "optimizer.learning_rate".
    public var path: String
    /// What claims call it: the field's last key ("learning_rate"), as in `best learning_rate by …`.
    public var name: String
    /// The short form in variant names (`lr` in `bn_lr0_01`).
    public var abbreviation: String
    /// The values, in the order written (distinct).
    public var values: [Double]
    /// The variants as written, each run at every value.
    public var baseVariants: [String]
    public var location: SourceLocation

    public init(path: String, name: String, abbreviation: String, values: [Double], baseVariants: [String], location: SourceLocation) {
        self.path = path
        self.name = name
        self.abbreviation = abbreviation
        self.values = values
        self.baseVariants = baseVariants
        self.location = location
    }

    /// The name of variant `base` at `value`: `bn_lr0_01` for bn at learning rate 0.01 (digits, '_' for
    /// the point, 'e' and 'm' for an exponent and a minus: `bn_lr1em05` for 1e-05).
    public func variantName(base: String, value: Double) -> String {
        "\(base)_\(abbreviation)\(Self.valueText(value))"
    }

    /// A value as it appears in a name: 0.01 → `0_01`, 10 → `10`, 1e-05 → `1em05`, -2 → `m2`.
    public static func valueText(_ value: Double) -> String {
        var text = value == value.rounded() && Swift.abs(value) < 1e15 ? String(Int64(value)) : String(value)
        text = text.replacingOccurrences(of: ".", with: "_").replacingOccurrences(of: "-", with: "m")
            .replacingOccurrences(of: "+", with: "")
        return text
    }
}

/// What a variant runs, by experiment kind. Adding a kind means adding a case here, its settings
/// decoder in Parsing/, and its runner in Runner/.
public enum VariantPlan: Sendable {
    case train(TrainPlan)
    case transform(TransformPlan)
    case batchNoise(BatchNoisePlan)
}

/// The kinds of experiment a lesson can declare.
public enum ExperimentKind: String, Sendable, CaseIterable {
    /// Train networks and record the engine's metrics.
    case train
    /// Push one small batch through BN by hand and record how close x̂ is to mean 0 / variance 1.
    case transform
    /// Measure how the spread of batch means shrinks with the batch size; nothing trains.
    case batchNoise = "batch_noise"

    /// Metrics a claim or plot may name for this kind.
    public var metricNames: Set<String> {
        switch self {
        case .train: return MetricName.names(of: .training)
        case .transform: return MetricName.names(of: .transform)
        case .batchNoise: return MetricName.names(of: .batchNoise)
        }
    }
}

/// A training run as a lesson declares it: the engine's own configuration plus what only lessons need.
public struct TrainPlan: Sendable {
    public var data: DataRequest
    /// The run's settings. Its network has inputs = 0 and a last layer of 0 outputs: the runner
    /// fills both in from the data (`config(features:classes:)`).
    public var config: TrainingConfig
    /// `--scale` never shrinks `steps` below this (the claims need at least this many).
    public var minSteps: Int

    public init(data: DataRequest, config: TrainingConfig, minSteps: Int) {
        self.data = data
        self.config = config
        self.minSteps = minSteps
    }

    /// Metrics whose names depend on the plan: `train_mode_accuracy_b<size>`.
    public var planMetricNames: Set<String> {
        Set(config.trainModeEvaluationBatchSizes.map { MetricName.trainModeAccuracy(batchSize: $0) })
    }
}

/// A hand-worked BN transform on one small batch.
public struct TransformPlan: Sendable {
    /// m × n values, row-major: m examples of n features.
    public var batch: [Float]
    public var examples: Int
    public var features: Int
    public var epsilon: Float
    /// γ and β per feature (n values each) for the "learned" output y = γ·x̂ + β.
    public var gamma: [Float]
    public var beta: [Float]

    public init(batch: [Float], examples: Int, features: Int, epsilon: Float, gamma: [Float], beta: [Float]) {
        self.batch = batch
        self.examples = examples
        self.features = features
        self.epsilon = epsilon
        self.gamma = gamma
        self.beta = beta
    }

}
