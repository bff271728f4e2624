// Every metric name a run can record, in one table: the trainer, its probes and the lesson runners
// record with these names, and the lesson validator checks plots and claims against them.
//
// One name is not a fixed case: `train_mode_accuracy_b<size>`, one per batch size a config asks for
// (see `trainModeAccuracy(batchSize:)`).

/// A recorded metric's name, grouped by what records it.
public enum MetricName: String, Sendable, CaseIterable {
    // The trainer: every step, then at each evaluation.
    case batchLoss = "batch_loss"
    case testAccuracy = "test_accuracy"
    case testLoss = "test_loss"
    case trainAccuracy = "train_accuracy"
    case trainLoss = "train_loss"
    /// At the end, with BN before an activation: eval-mode logits against the folded network's.
    case foldError = "fold_error"
    // Probes, per layer and stage.
    case mean, std, saturation, p15, p50, p85
    // Probes, per layer.
    case gradientNorm = "gradient_norm"
    case updateRatio = "update_ratio"
    case maxUpdate = "max_update"
    case biasGradient = "bias_gradient"
    case biasChange = "bias_change"
    case bias, gamma, beta
    case runningMean = "running_mean"
    case runningVariance = "running_variance"
    case runningMeanError = "running_mean_error"
    case runningVarianceError = "running_variance_error"
    case batchMean = "batch_mean"
    case batchVariance = "batch_variance"
    /// Batch Renorm (Ioffe 2017): the running standard deviation, and the mean correction factors r and d.
    case runningStd = "running_std"
    case renormR = "renorm_r"
    case renormD = "renorm_d"
    // Opt-in probes (`ProbeSettings.weightNorms`): ‖W‖ per layer and, before a normalization, η/‖W‖².
    case weightNorm = "weight_norm"
    case effectiveLearningRate = "effective_lr"
    // Opt-in at each evaluation (`ProbeSettings.trainEvalGap`): train-split accuracy with batch
    // statistics, and its gap to the eval-mode accuracy.
    case trainModeTrainAccuracy = "train_mode_train_accuracy"
    case trainEvalGap = "train_eval_gap"
    // Opt-in depth profile at initialization (`ProbeSettings.initialGradients`): one point per layer,
    // recorded at "step" = the layer's number, measured once on the probe batch before any update.
    case initialGradientNorm = "init_gradient_norm"
    case initialOutputStd = "init_output_std"
    // Opt-in per normalized layer (`ProbeSettings.gammaThreshold`): the fraction of units with |γ| < threshold.
    case gammaNearZero = "gamma_near_zero"
    // The loss-landscape probe (Santurkar et al. 2018).
    case lossVariation = "loss_variation"
    case gradientChange = "gradient_change"
    // The transform experiment: one batch through BN, each a one-point series at step 0.
    case maxAbsMean = "max_abs_mean"
    case maxAbsVarianceMinusOne = "max_abs_variance_minus_one"
    case identityError = "identity_error"
    case gammaSize = "gamma_size"
    case betaSize = "beta_size"
    case examples, features
    case maxAbsOutput = "max_abs_output"
    case minAbsOutput = "min_abs_output"
    // The batch-noise experiment: one point per batch size, at "steps" 0, 1, 2…
    case batchMeanSpread = "batch_mean_spread"
    case batchSize = "batch_size"

    /// What records a metric.
    public enum Source: Sendable {
        /// `Trainer` and its probes.
        case training
        /// The lessons' hand-worked BN transform.
        case transform
        /// `BatchMeanSpread`, measured over several batch sizes.
        case batchNoise
    }

    public var source: Source {
        switch self {
        case .maxAbsMean, .maxAbsVarianceMinusOne, .identityError, .gammaSize, .betaSize, .examples, .features, .maxAbsOutput, .minAbsOutput:
            return .transform
        case .batchMeanSpread, .batchSize:
            return .batchNoise
        default:
            return .training
        }
    }

    /// The names `source` records (without the per-config `train_mode_accuracy_b<size>`).
    public static func names(of source: Source) -> Set<String> {
        Set(allCases.filter { $0.source == source }.map(\.rawValue))
    }

    /// Test accuracy evaluated in train mode at the end, chunks of `batchSize` normalized with their own statistics.
    public static func trainModeAccuracy(batchSize: Int) -> String { "train_mode_accuracy_b\(batchSize)" }

    /// The percentiles probes record per unit, with their quantiles.
    public static let percentiles: [(MetricName, Double)] = [(.p15, 0.15), (.p50, 0.50), (.p85, 0.85)]
}

extension MetricKey {
    /// The key of `name`, optionally of a layer (1-based), a stage and a unit.
    public init(_ name: MetricName, layer: Int? = nil, stage: Stage? = nil, unit: Int? = nil) {
        self.init(name.rawValue, layer: layer, stage: stage, unit: unit)
    }
}

extension RunRecord {
    /// The series of `name`, optionally narrowed to a layer, stage and unit.
    public func series(_ name: MetricName, layer: Int? = nil, stage: Stage? = nil, unit: Int? = nil) -> MetricSeries? {
        series[MetricKey(name, layer: layer, stage: stage, unit: unit)]
    }
}
