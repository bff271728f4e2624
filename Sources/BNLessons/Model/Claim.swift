// The syntax tree of a claim: `left comparison right [± tolerance]` over measurements of a record.
//
// The grammar is in lessons/README.md and Parsing/ClaimParser.swift.

import BNEngine
import Foundation

/// A comparison between two numbers.
public enum Comparison: String, Sendable, CaseIterable {
    case less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">=", equal = "==", notEqual = "!="

    /// Whether `left op right` holds. NaN never holds.
    public func holds(_ left: Double, _ right: Double, tolerance: Double = 0) -> Bool {
        if left.isNaN || right.isNaN { return false }
        switch self {
        case .less: return left < right
        case .lessOrEqual: return left <= right
        case .greater: return left > right
        case .greaterOrEqual: return left >= right
        case .equal: return tolerance > 0 ? Swift.abs(left - right) <= tolerance : left == right
        case .notEqual: return tolerance > 0 ? Swift.abs(left - right) > tolerance : left != right
        }
    }
}

// A recorded series is named by the engine's `MetricKey` (name, layer, stage, unit): the record
// stores it, claims and predicts read it. This is how a claim writes one.
extension MetricKey {
    /// The key as a learner writes it in a claim, e.g. "std of layer 2 pre_activation unit 0".
    public var claimText: String {
        var parts = [name]
        if let layer { parts.append("of layer \(layer)") }
        if let stage { parts.append(stage.rawValue) }
        if let unit { parts.append("unit \(unit)") }
        return parts.joined(separator: " ")
    }
}

/// How a series becomes one number.
public enum Reduction: Sendable, Equatable {
    case final, initial, min, max, mean
    case maxAbs, minAbs, meanAbs
    /// max − min over every recorded step: how far a value wandered.
    case range
    /// The value recorded at exactly this step (NaN if none was).
    case atStep(Int)
    /// The mean of the last K recorded values (NaN if fewer were recorded): where a run ended, with the
    /// step-to-step wobble of its last evaluations averaged out.
    case meanLast(Int)
    /// The first recorded step where `value op threshold` holds; +∞ ("never") if no step did.
    case stepsUntil(Comparison, Double)

    public var text: String {
        switch self {
        case .final: return "final"
        case .initial: return "initial"
        case .min: return "min"
        case .max: return "max"
        case .mean: return "mean"
        case .maxAbs: return "max abs"
        case .minAbs: return "min abs"
        case .meanAbs: return "mean abs"
        case .range: return "range"
        case .atStep(let s): return "at step \(s)"
        case .meanLast(let k): return "mean last \(k)"
        case .stepsUntil: return "steps until"
        }
    }
}

/// One number read from one variant's record.
public struct Measurement: Sendable {
    public var reduction: Reduction
    public var metric: MetricKey
    /// nil: the experiment's only variant.
    public var variant: String?
    public var variantLocation: SourceLocation?
    /// `steps until … or never`: the claim is (also) about never reaching the threshold, so "never"
    /// counts as +∞. Without it a "steps until" that never got there makes the claim fail.
    public var allowsNever: Bool

    public init(reduction: Reduction, metric: MetricKey, variant: String?, variantLocation: SourceLocation?, allowsNever: Bool = false) {
        self.reduction = reduction
        self.metric = metric
        self.variant = variant
        self.variantLocation = variantLocation
        self.allowsNever = allowsNever
    }

    /// The measurement as text, e.g. "final test_accuracy of bn".
    public var text: String {
        var s: String
        if case .stepsUntil(let op, let threshold) = reduction {
            s = "steps until \(metric.claimText) \(op.rawValue) \(formatNumber(threshold))"
        } else {
            s = "\(reduction.text) \(metric.claimText)"
        }
        if let variant { s += " of \(variant)" }
        if allowsNever { s += " or never" }
        return s
    }
}

/// A least-squares slope of y against x over the points where both were recorded.
public struct Slope: Sendable {
    public var logY: Bool
    public var y: MetricKey
    public var logX: Bool
    /// nil: against the step number.
    public var x: MetricKey?
    public var variant: String?
    public var variantLocation: SourceLocation?

    public var text: String {
        let xs = x?.claimText ?? "step"
        var s = "slope \(logY ? "log " : "")\(y.claimText) vs \(logX ? "log " : "")\(xs)"
        if let variant { s += " in \(variant)" }
        return s
    }
}

/// Arithmetic over numbers and measurements.
public indirect enum Expression: Sendable {
    case number(Double)
    case measurement(Measurement)
    case slope(Slope)
    case negate(Expression)
    case absolute(Expression)
    case binary(Character, Expression, Expression)
    /// A reduction over the experiment's seeds or its sweep: `max over learning_rate final test_accuracy of bn`.
    case over(DimensionReduction)
}

/// What a claim can reduce over: the experiment's `seeds`, or its sweep (named by the swept field's last key).
public enum Dimension: Sendable, Equatable, Hashable {
    case seeds
    case sweep(String)

    public var text: String {
        switch self {
        case .seeds: return "seeds"
        case .sweep(let name): return name
        }
    }
}

/// A reduction over a dimension. `body` is evaluated once per seed (or swept value), each measurement of
/// a variant reading that seed's run (or that value's variant: `bn` at learning_rate 0.01 is `bn_lr0_01`).
public struct DimensionReduction: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        /// `mean | min | max over DIM body`; `spread over DIM body` is max − min.
        case mean, min, max, spread
        /// `best DIM by body`: the value (a swept value, or a seed) where body is largest.
        case best
        /// `count of DIM where body cmp bound`: how many values meet the condition.
        case count
        /// `lowest | highest DIM where …`: the smallest / largest swept value meeting the condition.
        case lowest, highest
        /// `decades | width of DIM where …`: the widest unbroken run of sorted swept values meeting the
        /// condition, as log10(high/low) or high − low.
        case decades, width
    }
    public var kind: Kind
    public var dimension: Dimension
    public var body: Expression
    /// The condition's comparison and other side (count, lowest, highest, decades, width).
    public var condition: (Comparison, Expression)?
    /// The reduction as written in the claim.
    public var text: String

    public init(kind: Kind, dimension: Dimension, body: Expression, condition: (Comparison, Expression)?, text: String) {
        self.kind = kind
        self.dimension = dimension
        self.body = body
        self.condition = condition
        self.text = text
    }
}

/// `in every seed: CLAIM` or `in at least K of N seeds: CLAIM`: the claim is judged at each seed's runs alone.
public enum SeedQuantifier: Sendable, Equatable {
    case every
    case atLeast(Int, of: Int)

    public var text: String {
        switch self {
        case .every: return "in every seed"
        case .atLeast(let k, let n): return "in at least \(k) of \(n) seeds"
        }
    }
}

/// What a claim is evidence of.
public enum ClaimKind: String, Sendable, Codable {
    /// An empirical result of the lesson's runs: it could have come out otherwise (a ```claim cell).
    case finding
    /// True by construction (γ has one entry per feature; x̂ has mean 0 over its own batch): a
    /// demonstration that the engine does what the formula says, not evidence about training (a ```check cell).
    case check
}

/// One checked claim.
public struct Claim: Sendable {
    /// Finding (a ```claim cell) or check (a ```check cell).
    public var kind: ClaimKind = .finding
    /// The claim's source text, shown with its verdict.
    public var text: String
    public var location: SourceLocation
    /// The experiment it reads (the nearest experiment above it).
    public var experiment: String
    public var left: Expression
    public var comparison: Comparison
    public var right: Expression
    /// `== right ± tolerance`.
    public var tolerance: Expression?
    /// `in every seed:` / `in at least K of N seeds:` before the claim; nil: judged once, a multi-seed
    /// variant's measurement meaning its mean over the seeds.
    public var seedQuantifier: SeedQuantifier?

    /// `never metric cmp number [of variant]`: the threshold was never reached in the run.
    public var isNeverClaim: Bool {
        guard comparison == .equal, tolerance == nil, case .number(let v) = right, v == .infinity,
              case .measurement(let m) = left, m.allowsNever, case .stepsUntil = m.reduction else { return false }
        return true
    }

    public init(text: String, location: SourceLocation, experiment: String, left: Expression,
                comparison: Comparison, right: Expression, tolerance: Expression?) {
        self.text = text
        self.location = location
        self.experiment = experiment
        self.left = left
        self.comparison = comparison
        self.right = right
        self.tolerance = tolerance
    }
}

/// A number as claims show it: 4 significant digits, "∞" for infinity.
public func formatNumber(_ value: Double) -> String {
    if value.isNaN { return "NaN" }
    if value.isInfinite { return value > 0 ? "∞" : "-∞" }
    if value == value.rounded() && Swift.abs(value) < 1e7 { return String(Int(value)) }
    let magnitude = Swift.abs(value)
    if magnitude >= 1e-3 && magnitude < 1e5 {
        var s = String(format: "%.4g", value)
        if s.contains("e") { s = String(value) }
        return s
    }
    return String(format: "%.3g", value)
}
