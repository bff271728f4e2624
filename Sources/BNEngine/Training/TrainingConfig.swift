// Everything that defines one training run: network, optimizer, batches, schedule, probes, seed.

/// What to measure inside the network, and how often.
public struct ProbeSettings: Sendable, Equatable {
    /// Record layer probes every this many steps (0 = only at the start and end).
    public var interval: Int
    /// Training examples in the fixed probe batch that probes run on (batch statistics, running averages untouched).
    public var batchSize: Int
    /// Bins per histogram.
    public var bins: Int
    /// The histogram range for z, BN outputs and activation inputs.
    public var range: ClosedRange<Double>
    /// Units whose 15th/50th/85th percentiles are recorded (0-based; those past a layer's width are skipped).
    public var units: [Int]
    /// Step sizes, as multiples of the learning rate, at which to probe the loss landscape along the
    /// gradient (Santurkar et al. 2018); empty = don't. Records `loss_variation` and `gradient_change`.
    public var landscapeMultipliers: [Float]
    /// Also record per layer ‖W‖ (`weight_norm`) and, for a layer whose normalization follows its linear
    /// map, the effective learning rate η/‖W‖² (`effective_lr`): the step size a scale-invariant layer sees.
    public var weightNorms = false
    /// Also record, at every evaluation, the train subset's accuracy in train mode (batch statistics,
    /// training batches' size) and its gap to eval mode: `train_mode_train_accuracy`, `train_eval_gap`.
    public var trainEvalGap = false
    /// Also record, once at step 0, a depth profile of the freshly initialised network on the probe
    /// batch: `init_gradient_norm` (‖∂L/∂W‖ of each layer) and `init_output_std` (the spread of each
    /// layer's output), one point per layer at "step" = the layer's number (1 … hidden layers + 1).
    public var initialGradients = false
    /// Also record per normalized layer, at every probe, `gamma_near_zero`: the fraction of its units
    /// with |γ| below this threshold (units the network switched off); nil = don't.
    public var gammaThreshold: Double? = nil
    /// Run the probe batch in eval mode (running statistics) for the histograms and the per-stage
    /// metrics, to show what inference sees; the normalizations' own measurements (`running_mean_error`…)
    /// still compare the running statistics with the probe batch's statistics.
    public var evalMode = false

    public init(interval: Int = 50, batchSize: Int = 500, bins: Int = 40, range: ClosedRange<Double> = -5...5,
                units: [Int] = [0, 1, 2, 3], landscapeMultipliers: [Float] = []) {
        self.interval = interval
        self.batchSize = batchSize
        self.bins = bins
        self.range = range
        self.units = units
        self.landscapeMultipliers = landscapeMultipliers
    }
}

/// A kind of parameter a run can freeze in every layer (the optimizer leaves it alone).
public enum FrozenParameter: String, Sendable, CaseIterable {
    /// BN's scale γ.
    case gamma
    /// BN's shift β.
    case beta
    /// The dense layers' bias b.
    case bias
    /// Every dense layer's weight matrix W.
    case weights
}

/// One training run's settings.
public struct TrainingConfig: Sendable, Equatable {
    public var network: NetworkSpec
    public var optimizer: OptimizerSpec
    public var batchSize: Int
    /// BN statistics over groups of this many examples inside a batch (nil = the whole batch).
    public var ghostBatchSize: Int?
    public var steps: Int
    /// Evaluate on the test split (and the train subset) every this many steps; 0 = only at the end.
    public var evaluationInterval: Int
    /// Training examples used for train accuracy/loss at evaluation points (the first this many).
    public var trainEvaluationSize: Int
    public var probes: ProbeSettings
    /// Parameters the optimizer must leave alone (`weights` freezes every W; with `bias` too, only γ
    /// and β train: Frankle et al. 2021).
    public var frozen: Set<FrozenParameter>
    /// At the end, also evaluate the test split in train mode (each chunk normalized with its own
    /// statistics) at these batch sizes; records `train_mode_accuracy_b<size>`.
    public var trainModeEvaluationBatchSizes: [Int]
    public var seed: UInt64
    /// Weight decay: coupled L2 for SGD, Adam and AdaMax, decoupled for AdamW; none by default.
    public var weightDecay: WeightDecay = .none
    /// How mini-batches are drawn; shuffled by default.
    public var sampling: BatchSampling = .random

    public init(network: NetworkSpec, optimizer: OptimizerSpec, batchSize: Int, ghostBatchSize: Int? = nil,
                steps: Int, evaluationInterval: Int = 0, trainEvaluationSize: Int = 2000,
                probes: ProbeSettings = ProbeSettings(), frozen: Set<FrozenParameter> = [],
                trainModeEvaluationBatchSizes: [Int] = [], seed: UInt64 = 0) {
        self.network = network
        self.optimizer = optimizer
        self.batchSize = batchSize
        self.ghostBatchSize = ghostBatchSize
        self.steps = steps
        self.evaluationInterval = evaluationInterval
        self.trainEvaluationSize = trainEvaluationSize
        self.probes = probes
        self.frozen = frozen
        self.trainModeEvaluationBatchSizes = trainModeEvaluationBatchSizes
        self.seed = seed
    }
}

/// A setting the engine cannot run, with what to change.
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    public var field: String
    public var message: String

    public init(field: String, _ message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}

extension TrainingConfig {
    /// The most steps one run may take (a lesson's steps times --scale included): about an hour.
    public static let maximumSteps = 10_000_000

    /// Checks the settings against the data, and the run's memory estimate against
    /// ``MemoryEstimate/budget``; throws the first problem found.
    public func validate(trainCount: Int, features: Int, classes: Int, testCount: Int = 0) throws {
        if !(weightDecay.rate.isFinite && weightDecay.rate >= 0) {
            throw ConfigurationError(field: "weight_decay", "must be a number ≥ 0 (got \(weightDecay.rate))")
        }
        if let problem = sampling.problem(classesPresent: classes) {
            throw ConfigurationError(field: "sampling", problem)
        }
        if batchSize < 1 { throw ConfigurationError(field: "batch_size", "must be at least 1 (got \(batchSize))") }
        if batchSize > trainCount {
            throw ConfigurationError(field: "batch_size", "\(batchSize) is larger than the training set (\(trainCount) examples)")
        }
        if steps < 1 { throw ConfigurationError(field: "steps", "must be at least 1 (got \(steps))") }
        if steps > Self.maximumSteps {
            throw ConfigurationError(field: "steps", "\(steps) steps is more than bnlab's limit of \(Self.maximumSteps) per run")
        }
        if optimizer.learningRate < 0 || !optimizer.learningRate.isFinite {
            throw ConfigurationError(field: "learning_rate", "must be a non-negative number (got \(optimizer.learningRate))")
        }
        if network.inputs != features {
            throw ConfigurationError(field: "network", "expects \(network.inputs) inputs but the data has \(features) features")
        }
        if network.layers.last?.outputs != classes {
            throw ConfigurationError(field: "network", "the last layer has \(network.layers.last?.outputs ?? 0) outputs but the data has \(classes) classes")
        }
        if network.layers.contains(where: { $0.outputs < 1 }) {
            throw ConfigurationError(field: "layers", "every layer needs at least one unit")
        }
        let usesBN = network.layers.contains { $0.normalizationKind?.usesBatchStatistics == true }
        if let bad = trainModeEvaluationBatchSizes.first(where: { $0 < (usesBN ? 2 : 1) }) {
            throw ConfigurationError(field: "train_mode_eval_batches",
                                     "\(bad) is too small: train mode normalizes each batch with its own statistics, which needs at least 2 examples")
        }
        if let g = ghostBatchSize {
            if g < 1 || batchSize % g != 0 {
                throw ConfigurationError(field: "ghost_batch_size", "\(g) does not divide the batch size \(batchSize); pick a divisor")
            }
        }
        if usesBN && (ghostBatchSize ?? batchSize) < 2 {
            throw ConfigurationError(field: ghostBatchSize == nil ? "batch_size" : "ghost_batch_size",
                                     "BN in train mode needs at least 2 examples per batch: the variance of one example is undefined")
        }
        for (index, layer) in network.layers.enumerated() {
            if let problem = layer.normalizationKind?.problem(features: layer.outputs) {
                throw ConfigurationError(field: "layers[\(index)]", problem)
            }
            if let problem = network.residualProblem(at: index) {
                throw ConfigurationError(field: "layers[\(index)].residual", problem)
            }
        }
        if let bad = trainModeEvaluationBatchSizes.first(where: { $0 > Self.maximumExamples }) {
            throw ConfigurationError(field: "train_mode_eval_batches", "\(bad) is more than bnlab's limit of \(Self.maximumExamples) examples per batch")
        }
        if trainModeEvaluationBatchSizes.count > Self.maximumListLength {
            throw ConfigurationError(field: "train_mode_eval_batches", "\(trainModeEvaluationBatchSizes.count) batch sizes; at most \(Self.maximumListLength)")
        }
        if evaluationInterval < 0 { throw ConfigurationError(field: "evaluation_interval", "must be 0 or more (got \(evaluationInterval))") }
        if !(0...Self.maximumExamples).contains(trainEvaluationSize) {
            throw ConfigurationError(field: "train_evaluation_size", "must be in 0…\(Self.maximumExamples) (got \(trainEvaluationSize)); 0 skips the train-set evaluation")
        }
        try validateNetworkSettings()
        try optimizer.validate()
        try probes.validate(widestLayer: network.layers.map(\.outputs).max() ?? 0)
        try MemoryEstimate(self, trainCount: trainCount, testCount: testCount, features: features).check()
    }

    /// The most examples one batch, subset or probe batch may name (MNIST's training split).
    public static let maximumExamples = 60_000
    /// The largest factor `LayerSpec.initScale` may multiply a layer's initial weights by.
    public static let maximumInitScale: Float = 1e6
    /// The most entries a list of sizes (train-mode batches, probed units, landscape steps) may hold.
    public static let maximumListLength = 64

    /// BN's ε and momentum and the Gaussian initialisation's σ: the ranges in which they mean something.
    private func validateNetworkSettings() throws {
        let epsilon = network.bnEpsilon, momentum = network.bnMomentum
        if !(epsilon.isFinite && epsilon > 0) {
            throw ConfigurationError(field: "network.bn_epsilon", "must be a positive number (got \(epsilon)): ε keeps 1/√(σ² + ε) finite")
        }
        if !(0...1).contains(momentum) {
            throw ConfigurationError(field: "network.bn_momentum", "must be in [0, 1] (got \(momentum)): the running averages move this fraction towards each batch")
        }
        if case .gaussian(let std) = network.initialization, !(std.isFinite && std > 0) {
            throw ConfigurationError(field: "network.init_std", "must be a positive number (got \(std))")
        }
        if let scale = network.layers.map(\.initScale).first(where: { !($0.isFinite && $0 > 0 && $0 <= Self.maximumInitScale) }) {
            throw ConfigurationError(field: "network.init_scale", "must be a positive number of at most \(Int(Self.maximumInitScale)) (got \(scale))")
        }
    }
}

extension ProbeSettings {
    /// The most histogram bins a probe may use.
    public static let maximumBins = 1000

    /// Checks the probe settings; `widestLayer` is the most units any layer has, so a probed unit
    /// past every layer's width (recorded nowhere) is refused.
    public func validate(widestLayer: Int) throws {
        if interval < 0 { throw ConfigurationError(field: "probes.interval", "must be 0 or more (got \(interval))") }
        if !(2...TrainingConfig.maximumExamples).contains(batchSize) {
            throw ConfigurationError(field: "probes.batch_size", "must be in 2…\(TrainingConfig.maximumExamples) (got \(batchSize)): batch statistics need at least 2 examples")
        }
        if !(1...Self.maximumBins).contains(bins) {
            throw ConfigurationError(field: "probes.bins", "must be in 1…\(Self.maximumBins) (got \(bins))")
        }
        if !(range.lowerBound.isFinite && range.upperBound.isFinite && range.lowerBound < range.upperBound) {
            throw ConfigurationError(field: "probes.range", "must be two finite, increasing numbers (got [\(range.lowerBound), \(range.upperBound)])")
        }
        if units.count > TrainingConfig.maximumListLength {
            throw ConfigurationError(field: "probes.units", "\(units.count) units; at most \(TrainingConfig.maximumListLength)")
        }
        if let bad = units.first(where: { $0 < 0 || $0 >= widestLayer }) {
            throw ConfigurationError(field: "probes.units", "unit \(bad) is in no layer: units count from 0 and the widest layer has \(widestLayer)")
        }
        if landscapeMultipliers.count > TrainingConfig.maximumListLength {
            throw ConfigurationError(field: "probes.landscape", "\(landscapeMultipliers.count) step multipliers; at most \(TrainingConfig.maximumListLength)")
        }
        if let bad = landscapeMultipliers.first(where: { !($0.isFinite && $0 > 0) }) {
            throw ConfigurationError(field: "probes.landscape", "step multipliers must be positive numbers (got \(bad))")
        }
        if let t = gammaThreshold, !(t.isFinite && t > 0) {
            throw ConfigurationError(field: "probes.gamma_threshold", "must be a positive number (got \(t))")
        }
    }
}
