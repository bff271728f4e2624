// Knobs, as in TensorFlow Playground: settings a learner can change on an experiment before a rerun.
//
// Each knob is "as the lesson says" (nil) or an override applied to every variant. A run with any
// override is tweaked, and its claims are not judged. Leaves out network width and depth: the
// lesson's plots and claims name layers, and those must keep existing.

import BNEngine
import BNLessons

/// One experiment's overrides; nil means the lesson's own value, per variant.
public struct Knobs: Sendable, Equatable {
    public var batchSize: Int?
    public var learningRate: Double?
    public var placement: BNPlacement?
    public var activation: Activation?
    public var optimizer: String?
    public var steps: Int?

    public init(batchSize: Int? = nil, learningRate: Double? = nil, placement: BNPlacement? = nil,
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
    static let learningRates: [Double] = [0.001, 0.01, 0.03, 0.1, 0.3, 1, 3]
    static let optimizers = OptimizerSpec.names
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

    /// The lesson engine's overrides for these knobs; empty when nothing is tweaked.
    public var overrides: RunOverrides {
        RunOverrides(batchSize: batchSize, learningRate: learningRate, batchNorm: placement, activation: activation,
                     optimizer: optimizer, steps: steps)
    }

    /// What the lesson itself sets for `field` in `experiment`'s first variant, e.g. "60".
    public static func lessonValue(_ field: Field, in experiment: ExperimentSpec) -> String? {
        guard case .train(let plan) = experiment.variants.first?.plan else { return nil }
        let hidden = plan.network.layers.dropLast()
        func distinct(_ values: [String]) -> String { Array(Set(values)).sorted().joined(separator: "/") }
        switch field {
        case .batchSize: return String(plan.batchSize)
        case .learningRate: return "\(plan.optimizer.learningRate)"
        case .placement:
            return distinct(experiment.variants.compactMap { v -> String? in
                guard case .train(let p) = v.plan else { return nil }
                return distinct(p.network.layers.dropLast().map(\.batchNorm.rawValue))
            })
        case .activation: return distinct(hidden.map(\.activation.rawValue))
        case .optimizer: return plan.optimizer.name
        case .steps: return String(plan.steps)
        }
    }
}
