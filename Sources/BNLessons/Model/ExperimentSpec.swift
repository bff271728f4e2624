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
    /// Variants in the order the file lists them ("default" when the file lists none).
    public var variants: [VariantSpec]
    /// Whether a variant may diverge without failing the run, by variant name.
    public var variantNames: [String] { variants.map(\.name) }

    public init(name: String, kind: ExperimentKind, location: SourceLocation, variants: [VariantSpec]) {
        self.name = name
        self.kind = kind
        self.location = location
        self.variants = variants
    }

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
            if case .train(let plan) = variant.plan { units.formUnion(plan.probes.units) }
        }
    }

    /// The most layers any variant has (for checking plots and claims before running).
    public var layerCount: Int {
        variants.map { variant -> Int in
            if case .train(let plan) = variant.plan { return plan.network.layers.count }
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

    public init(name: String, location: SourceLocation, mayDiverge: Bool, plan: VariantPlan) {
        self.name = name
        self.location = location
        self.mayDiverge = mayDiverge
        self.plan = plan
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
        case .train: return TrainPlan.metricNames
        case .transform: return TransformPlan.metricNames
        case .batchNoise: return BatchNoisePlan.metricNames
        }
    }
}

/// A training run: data, network shape (inputs and classes are filled in from the data), schedule.
public struct TrainPlan: Sendable {
    public var data: DataRequest
    /// The network with inputs = 0 and a last layer of 0 outputs: the runner fills both in from the data.
    public var network: NetworkSpec
    public var optimizer: OptimizerSpec
    public var batchSize: Int
    public var ghostBatchSize: Int?
    public var steps: Int
    /// `--scale` never shrinks `steps` below this (the claims need at least this many).
    public var minSteps: Int
    public var evaluationInterval: Int
    public var trainEvaluationSize: Int
    public var probes: ProbeSettings
    public var frozen: Set<String>
    /// Batch sizes at which the test split is also evaluated in train mode at the end.
    public var trainModeEvaluationBatchSizes: [Int]
    public var seed: UInt64

    public init(data: DataRequest, network: NetworkSpec, optimizer: OptimizerSpec, batchSize: Int,
                ghostBatchSize: Int?, steps: Int, minSteps: Int, evaluationInterval: Int,
                trainEvaluationSize: Int, probes: ProbeSettings, frozen: Set<String>,
                trainModeEvaluationBatchSizes: [Int] = [], seed: UInt64) {
        self.data = data
        self.network = network
        self.optimizer = optimizer
        self.batchSize = batchSize
        self.ghostBatchSize = ghostBatchSize
        self.steps = steps
        self.minSteps = minSteps
        self.evaluationInterval = evaluationInterval
        self.trainEvaluationSize = trainEvaluationSize
        self.probes = probes
        self.frozen = frozen
        self.trainModeEvaluationBatchSizes = trainModeEvaluationBatchSizes
        self.seed = seed
    }

    /// Metrics whose names depend on the plan: `train_mode_accuracy_b<size>`.
    public var planMetricNames: Set<String> { Set(trainModeEvaluationBatchSizes.map { "train_mode_accuracy_b\($0)" }) }

    /// Every metric name the engine's trainer records.
    public static let metricNames: Set<String> = [
        "batch_loss", "test_accuracy", "test_loss", "train_accuracy", "train_loss",
        "mean", "std", "saturation", "p15", "p50", "p85",
        "gradient_norm", "update_ratio", "bias_gradient", "bias_change", "bias",
        "gamma", "beta", "running_mean", "running_variance", "running_mean_error",
        "running_variance_error", "batch_mean", "batch_variance",
        "loss_variation", "gradient_change", "max_update", "fold_error",
    ]
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

    /// Metrics a transform run records (each a one-point series at step 0).
    public static let metricNames: Set<String> = [
        "max_abs_mean", "max_abs_variance_minus_one", "identity_error", "gamma_size", "beta_size",
        "examples", "features", "max_abs_output", "min_abs_output",
    ]
}
