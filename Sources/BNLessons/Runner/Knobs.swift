// Knobs, as in TensorFlow Playground: settings a learner can change on an experiment before a rerun.
//
// Each knob is "as the lesson says" (nil) or an override applied to every variant. A run with any
// knob set is tweaked, and its claims are not judged. Leaves out network width and depth: the
// lesson's plots and claims name layers, and those must keep existing. The app's overlay (which
// values each knob cycles through) is in BNApp.

import BNEngine

/// One experiment's overrides; nil means the lesson's own value, per variant.
public struct Knobs: Sendable, Equatable {
    public var batchSize: Int?
    public var learningRate: Double?
    /// BN placement for every hidden layer.
    public var placement: BNPlacement?
    /// Activation of every hidden layer.
    public var activation: Activation?
    /// Keeps the learning rate and PyTorch's defaults for the rest.
    public var optimizer: OptimizerKind?
    public var steps: Int?

    public init(batchSize: Int? = nil, learningRate: Double? = nil, placement: BNPlacement? = nil,
                activation: Activation? = nil, optimizer: OptimizerKind? = nil, steps: Int? = nil) {
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.placement = placement
        self.activation = activation
        self.optimizer = optimizer
        self.steps = steps
    }

    /// Whether any knob differs from the lesson.
    public var isTweaked: Bool { self != Knobs() }

    /// `config` with these knobs applied.
    public func applied(to config: TrainingConfig) -> TrainingConfig {
        var config = config
        if let b = batchSize { config.batchSize = b }
        if let s = steps { config.steps = s }
        if let kind = optimizer { config.optimizer = kind.spec(learningRate: config.optimizer.learningRate) }
        if let lr = learningRate { config.optimizer = config.optimizer.with(learningRate: Float(lr)) }
        for i in config.network.layers.indices.dropLast() {
            if let p = placement { config.network.layers[i].batchNorm = p }
            if let a = activation { config.network.layers[i].activation = a }
        }
        return config
    }
}
