// Knobs, as in TensorFlow Playground: settings a learner can change on an experiment before a rerun.
//
// Each knob is "as the lesson says" (nil) or an override applied to every variant. A run with any
// override is tweaked, and its claims are not judged. Leaves out network width and depth: the
// lesson's plots and claims name layers, and those must keep existing.

import BNEngine

/// One experiment's overrides; nil means the lesson's own value, per variant.
public struct Knobs: Sendable, Equatable {
    public var batchSize: Int?
    public var learningRate: Float?
    public var placement: BNPlacement?
    public var activation: Activation?
    public var optimizer: String?
    public var steps: Int?

    public init(batchSize: Int? = nil, learningRate: Float? = nil, placement: BNPlacement? = nil,
                activation: Activation? = nil, optimizer: String? = nil, steps: Int? = nil) {
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.placement = placement
        self.activation = activation
        self.optimizer = optimizer
        self.steps = steps
    }

    /// Whether any knob differs from the lesson.
    public var isTweaked: Bool { self != Knobs() }

    /// The knobs in the order the overlay lists them.
    public enum Field: Int, CaseIterable, Sendable {
        case batchSize, learningRate, placement, activation, optimizer, steps

        public var label: String {
            switch self {
            case .batchSize: "batch size"
            case .learningRate: "learning rate"
            case .placement: "BN placement"
            case .activation: "activation"
            case .optimizer: "optimizer"
            case .steps: "steps"
            }
        }
    }

    static let batchSizes = [2, 10, 30, 60, 120, 250]
    static let learningRates: [Float] = [0.001, 0.01, 0.03, 0.1, 0.3, 1, 3]
    static let optimizers = ["sgd", "adam", "adamax"]
    static let stepCounts = [100, 250, 500, 1000, 2000, 5000]

    /// The value shown for `field`: "lesson" when not overridden.
    public func text(_ field: Field) -> String {
        switch field {
        case .batchSize: batchSize.map(String.init) ?? "lesson"
        case .learningRate: learningRate.map { "\($0)" } ?? "lesson"
        case .placement: placement?.rawValue ?? "lesson"
        case .activation: activation?.rawValue ?? "lesson"
        case .optimizer: optimizer ?? "lesson"
        case .steps: steps.map(String.init) ?? "lesson"
        }
    }

    /// Moves `field` one value along its list (`by` +1 or −1); before the first value is "lesson".
    public mutating func cycle(_ field: Field, by delta: Int) {
        func next<T: Equatable>(_ current: T?, in values: [T]) -> T? {
            // Position 0 is "lesson", then the values; wraps around.
            let position = current.flatMap { c in values.firstIndex(of: c).map { $0 + 1 } } ?? 0
            let count = values.count + 1
            let moved = ((position + delta) % count + count) % count
            return moved == 0 ? nil : values[moved - 1]
        }
        switch field {
        case .batchSize: batchSize = next(batchSize, in: Self.batchSizes)
        case .learningRate: learningRate = next(learningRate, in: Self.learningRates)
        case .placement: placement = next(placement, in: BNPlacement.allCases)
        case .activation: activation = next(activation, in: Activation.allCases)
        case .optimizer: optimizer = next(optimizer, in: Self.optimizers)
        case .steps: steps = next(steps, in: Self.stepCounts)
        }
    }

    /// `config` with these overrides applied. BN placement and activation change the hidden layers
    /// only (the output layer stays linear); a layer gets a bias unless BN follows it directly.
    public func apply(to config: TrainingConfig) -> TrainingConfig {
        var c = config
        if let batchSize { c.batchSize = batchSize }
        if let steps { c.steps = steps }
        let lr = learningRate ?? c.optimizer.learningRate
        switch optimizer {
        case "sgd": c.optimizer = .sgd(learningRate: lr)
        case "adam": c.optimizer = .adam(learningRate: lr)
        case "adamax": c.optimizer = .adamax(learningRate: lr)
        default: c.optimizer = c.optimizer.with(learningRate: lr)
        }
        let hidden = c.network.layers.indices.dropLast()
        for i in hidden {
            if let activation { c.network.layers[i].activation = activation }
            if let placement {
                c.network.layers[i].batchNorm = placement
                c.network.layers[i].hasBias = placement != .before
            }
        }
        if let g = c.ghostBatchSize, c.batchSize % g != 0 { c.ghostBatchSize = nil }
        return c
    }
}
