// Checks claims against an experiment's records and shows the numbers behind each verdict.
//
// "steps until" a threshold that is never reached is +∞ and shown "never (in N steps)". A claim with
// such a side fails ("it holds only because the run was too short to tell") unless that measurement says
// `or never`; then never counts as +∞, and a comparison with "never" on both sides still fails.
// A NaN anywhere in a reduced series makes the reduction NaN, which fails every comparison, and the
// note says where ("NaN at step 140 in wild").

import BNEngine
import Foundation

/// A claim's verdict.
public enum Verdict: String, Sendable, Codable {
    case pass
    case fail
    /// The learner turned knobs, so the lesson's claims do not apply to this run.
    case notJudged = "not judged"
}

/// One measured quantity inside a claim.
public struct MeasuredValue: Sendable, Equatable, Codable {
    public var expression: String
    public var value: Double
    /// For a "steps until" that was never reached: the steps the variant ran.
    public var neverIn: Int?

    public init(expression: String, value: Double, neverIn: Int? = nil) {
        self.expression = expression
        self.value = value
        self.neverIn = neverIn
    }

    /// The value as shown: "never (in 300 steps)" for a threshold never reached, else the number.
    public var displayValue: String {
        if let neverIn { return "never (in \(neverIn) steps)" }
        return formatNumber(value)
    }
}

/// A checked claim: verdict, both sides, and every measurement that went into them.
public struct ClaimOutcome: Sendable {
    public var claim: Claim
    public var verdict: Verdict
    public var left: Double
    public var right: Double
    public var tolerance: Double?
    public var measurements: [MeasuredValue]
    /// Why a value is missing or a comparison could not be made, if so.
    public var note: String?

    /// "0.954 > 0.931" or "0.954 == 0.95 ± 0.01"; a "never …" claim: "not reached in 60 steps" or "reached at step 40".
    public var comparisonText: String {
        if claim.isNeverClaim {
            if left.isFinite { return "reached at step \(formatNumber(left))" }
            return measurements.first?.neverIn.map { "not reached in \($0) steps" } ?? "not reached"
        }
        var s = "\(formatNumber(left)) \(claim.comparison.rawValue) \(formatNumber(right))"
        if let tolerance { s += " ± \(formatNumber(tolerance))" }
        return s
    }
}

public enum ClaimEvaluator {
    /// Checks `claim` against `result`. A tweaked run's claims are "not judged" (but still measured).
    public static func evaluate(_ claim: Claim, in result: ExperimentResult) -> ClaimOutcome {
        var evaluator = Evaluation(result: result)
        let left = evaluator.value(claim.left)
        let right = evaluator.value(claim.right)
        let tolerance = claim.tolerance.map { evaluator.value($0) }
        var holds = claim.comparison.holds(left, right, tolerance: tolerance ?? 0)
        if left.isInfinite && right.isInfinite && left == right && evaluator.neverReached.count >= 2 {
            holds = false
            evaluator.notes.append("neither side was ever reached")
        }
        let unexpected = evaluator.neverReached.filter { !$0.allowsNever }
        if !unexpected.isEmpty {
            holds = false
            evaluator.notes.append("\(unexpected.map(\.text).joined(separator: ", ")) never got there, so the claim cannot be judged "
                                   + "on it (write 'or never' after that measurement if never reaching counts)")
        }
        let verdict: Verdict = result.tweaked ? .notJudged : (holds ? .pass : .fail)
        return ClaimOutcome(claim: claim, verdict: verdict, left: left, right: right, tolerance: tolerance,
                            measurements: evaluator.measured, note: evaluator.notes.isEmpty ? nil : evaluator.notes.joined(separator: "; "))
    }

    /// The value of one measurement (NaN if the series is missing; +∞ for "steps until" never).
    public static func value(of measurement: Measurement, in result: ExperimentResult) -> Double {
        var evaluator = Evaluation(result: result)
        return evaluator.measure(measurement)
    }

    /// The value of an expression.
    public static func value(of expression: Expression, in result: ExperimentResult) -> Double {
        var evaluator = Evaluation(result: result)
        return evaluator.value(expression)
    }
}

/// Walks an expression, remembering each measurement and what was missing.
struct Evaluation {
    let result: ExperimentResult
    var measured: [MeasuredValue] = []
    var notes: [String] = []
    /// Every "steps until" measurement that never reached its threshold.
    var neverReached: [Measurement] = []

    mutating func value(_ expression: Expression) -> Double {
        switch expression {
        case .number(let v): return v
        case .measurement(let m):
            let v = measure(m)
            var neverIn: Int?
            if case .stepsUntil = m.reduction, v == .infinity {
                neverReached.append(m)
                neverIn = stepsRun(m.variant)
            }
            measured.append(MeasuredValue(expression: m.text, value: v, neverIn: neverIn))
            return v
        case .slope(let s):
            let v = slope(s)
            measured.append(MeasuredValue(expression: s.text, value: v))
            return v
        case .negate(let e): return -value(e)
        case .absolute(let e): return abs(value(e))
        case .binary(let op, let l, let r):
            let a = value(l), b = value(r)
            switch op {
            case "+": return a + b
            case "-": return a - b
            case "*": return a * b
            default: return a / b
            }
        }
    }

    private func variant(_ name: String?) -> VariantResult? {
        name.flatMap { result.variant(named: $0) } ?? (result.variants.count == 1 ? result.variants.first : nil)
    }

    /// The steps a variant ran (for "never (in N steps)").
    func stepsRun(_ name: String?) -> Int? { variant(name)?.record.steps }

    private mutating func series(_ metric: MetricKey, variant name: String?) -> MetricSeries? {
        let found = variant(name)
        guard let found else {
            notes.append("no variant '\(name ?? "?")' in this run")
            return nil
        }
        guard let series = found.record.series[metric], !series.isEmpty else {
            notes.append("\(metric.claimText) was not recorded in \(found.name)")
            return nil
        }
        return series
    }

    mutating func measure(_ m: Measurement) -> Double {
        guard let s = series(m.metric, variant: m.variant) else { return .nan }
        let values = s.values
        let variantName = m.variant ?? result.variants.first?.name ?? "the run"
        // The first NaN of the series, noted once: a reduction over the whole series is NaN if any value is.
        func firstNaN() -> Double? {
            guard let i = values.firstIndex(where: \.isNaN) else { return nil }
            notes.append("\(m.metric.claimText) is NaN at step \(s.steps[i]) in \(variantName)")
            return .nan
        }
        func noted(_ value: Double, at index: Int) -> Double {
            if value.isNaN { notes.append("\(m.metric.claimText) is NaN at step \(s.steps[index]) in \(variantName)") }
            return value
        }
        switch m.reduction {
        case .final: return noted(values[values.count - 1], at: values.count - 1)
        case .initial: return noted(values[0], at: 0)
        case .atStep(let step):
            guard let i = s.steps.firstIndex(of: step) else {
                notes.append("\(m.metric.claimText) has no value at step \(step) (recorded at \(describeSteps(s.steps)))")
                return .nan
            }
            return noted(values[i], at: i)
        case .stepsUntil(let op, let threshold):
            guard let i = values.indices.first(where: { op.holds(values[$0], threshold) }) else {
                _ = firstNaN()
                let steps = stepsRun(m.variant).map { " (in \($0) steps)" } ?? ""
                notes.append("\(variantName) never reached \(m.metric.claimText) \(op.rawValue) \(formatNumber(threshold))\(steps)")
                return .infinity
            }
            return Double(s.steps[i])
        default:
            break
        }
        if let nan = firstNaN() { return nan }
        switch m.reduction {
        case .min: return values.min() ?? .nan
        case .max: return values.max() ?? .nan
        case .mean: return values.reduce(0, +) / Double(values.count)
        case .minAbs: return values.map(abs).min() ?? .nan
        case .maxAbs: return values.map(abs).max() ?? .nan
        case .meanAbs: return values.map(abs).reduce(0, +) / Double(values.count)
        case .range: return (values.max() ?? .nan) - (values.min() ?? .nan)
        default: return .nan
        }
    }

    private func describeSteps(_ steps: [Int]) -> String {
        steps.count <= 6 ? steps.map(String.init).joined(separator: ", ")
            : "\(steps.prefix(3).map(String.init).joined(separator: ", ")) … \(steps.last ?? 0)"
    }

    /// Least-squares slope of (log) y against (log) x over steps where both are recorded and finite.
    mutating func slope(_ s: Slope) -> Double {
        guard let ys = series(s.y, variant: s.variant) else { return .nan }
        if let i = ys.values.firstIndex(where: \.isNaN) {
            notes.append("\(s.y.claimText) is NaN at step \(ys.steps[i])")
            return .nan
        }
        var points: [(Double, Double)] = []
        if let xRef = s.x {
            guard let xs = series(xRef, variant: s.variant) else { return .nan }
            if let i = xs.values.firstIndex(where: \.isNaN) {
                notes.append("\(xRef.claimText) is NaN at step \(xs.steps[i])")
                return .nan
            }
            let xByStep = Dictionary(zip(xs.steps, xs.values), uniquingKeysWith: { _, last in last })
            for (step, y) in zip(ys.steps, ys.values) { if let x = xByStep[step] { points.append((x, y)) } }
        } else {
            points = zip(ys.steps, ys.values).map { (Double($0), $1) }
        }
        points = points.compactMap { x, y in
            let px = s.logX ? (x > 0 ? log(x) : .nan) : x
            let py = s.logY ? (y > 0 ? log(y) : .nan) : y
            return px.isFinite && py.isFinite ? (px, py) : nil
        }
        guard points.count >= 2 else {
            notes.append("\(s.text) needs at least 2 points with positive values")
            return .nan
        }
        let n = Double(points.count)
        let meanX = points.map(\.0).reduce(0, +) / n, meanY = points.map(\.1).reduce(0, +) / n
        let sxy = points.reduce(0) { $0 + ($1.0 - meanX) * ($1.1 - meanY) }
        let sxx = points.reduce(0) { $0 + ($1.0 - meanX) * ($1.0 - meanX) }
        return sxx > 0 ? sxy / sxx : .nan
    }
}
