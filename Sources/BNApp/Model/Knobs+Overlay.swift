// The knobs overlay over BNLessons' `Knobs`: the order it lists them, the values each cycles through
// ("lesson" first), and the lesson's own value beside each.

import BNEngine
import BNLessons

/// The knobs overlay: which knobs it lists, the values each cycles through, what it shows.
extension Knobs {
    /// The knobs in the order the overlay lists them.
    public enum Field: Int, CaseIterable, Sendable {
        case batchSize, learningRate, placement, activation, optimizer, steps

        public var label: String {
            switch self {
            case .batchSize: "batch size"
            case .learningRate: "learning rate"
            case .placement: "norm placement"
            case .activation: "activation"
            case .optimizer: "optimizer"
            case .steps: "steps"
            }
        }
    }

    static let batchSizes = [2, 10, 30, 60, 120, 250]
    static let learningRates: [Double] = [0.001, 0.01, 0.03, 0.1, 0.3, 1, 3]
    static let stepCounts = [100, 250, 500, 1000, 2000, 5000]

    /// The value shown for `field`: "lesson" when not overridden.
    public func text(_ field: Field) -> String {
        switch field {
        case .batchSize: batchSize.map(String.init) ?? "lesson"
        case .learningRate: learningRate.map { "\($0)" } ?? "lesson"
        case .placement: placement?.rawValue ?? "lesson"
        case .activation: activation?.rawValue ?? "lesson"
        case .optimizer: optimizer?.rawValue ?? "lesson"
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
        case .optimizer: optimizer = next(optimizer, in: OptimizerKind.allCases)
        case .steps: steps = next(steps, in: Self.stepCounts)
        }
    }

    /// What the lesson itself sets for `field` in `experiment`'s first variant, e.g. "60".
    public static func lessonValue(_ field: Field, in experiment: ExperimentSpec) -> String? {
        guard case .train(let plan) = experiment.variants.first?.plan else { return nil }
        let config = plan.config
        let hidden = config.network.layers.dropLast()
        func distinct(_ values: [String]) -> String { Array(Set(values)).sorted().joined(separator: "/") }
        switch field {
        case .batchSize: return String(config.batchSize)
        case .learningRate: return "\(config.optimizer.learningRate)"
        case .placement:
            return distinct(experiment.variants.compactMap { v -> String? in
                guard case .train(let p) = v.plan else { return nil }
                return distinct(p.config.network.layers.dropLast().map(\.batchNorm.rawValue))
            })
        case .activation: return distinct(hidden.map(\.activation.rawValue))
        case .optimizer: return config.optimizer.kind.rawValue
        case .steps: return String(config.steps)
        }
    }

    /// Each variant's own value of `field` in `experiment` (a training experiment; else empty).
    static func variantValues(_ field: Field, in experiment: ExperimentSpec) -> [String] {
        experiment.variants.compactMap { v -> String? in
            guard case .train(let plan) = v.plan else { return nil }
            let config = plan.config
            let hidden = config.network.layers.dropLast()
            switch field {
            case .batchSize: return String(config.batchSize)
            case .learningRate: return "\(config.optimizer.learningRate)"
            case .placement: return Array(Set(hidden.map(\.batchNorm.rawValue))).sorted().joined(separator: "/")
            case .activation: return Array(Set(hidden.map(\.activation.rawValue))).sorted().joined(separator: "/")
            case .optimizer: return config.optimizer.kind.rawValue
            case .steps: return String(config.steps)
            }
        }
    }

    /// Why `field` cannot be a knob for `experiment`: its variants differ in it, so one value for
    /// all would make their names false (placement `before` would put BN into `no_bn`). Nil if it can.
    public static func refusal(_ field: Field, in experiment: ExperimentSpec) -> String? {
        let values = variantValues(field, in: experiment)
        var distinct: [String] = []
        for v in values where !distinct.contains(v) { distinct.append(v) }
        guard distinct.count > 1 else { return nil }
        let shown = distinct.count <= 4 ? distinct.joined(separator: " vs ") : "\(distinct.count) values"
        return "\(field.label) is what the variants of \(experiment.name) compare (\(shown)): one value for all would make their names false"
    }
}

