// Checks claims against an experiment's records and shows the numbers behind each verdict.
//
// "steps until" a threshold that is never reached is +∞ and shown "never (in N steps)". A claim with
// such a side fails ("it holds only because the run was too short to tell") unless that measurement says
// `or never`; then never counts as +∞, and a comparison with "never" on both sides still fails.
// A NaN anywhere in a reduced series makes the reduction NaN, which fails every comparison, and the
// note says where ("NaN at step 140 in wild").
//
// Seeds and sweeps (lessons/README.md, "Seeds and sweeps"): a measurement of a variant that ran at
// several seeds is the mean over its seeds (NaN if any seed's is, never if any seed never got there);
// `in every seed:` judges the claim at each seed alone; `… over DIM`, `count/best/lowest/highest/
// decades/width … DIM` evaluate their body once per seed or swept value. Inside those, "never" is +∞
// (a condition on it is simply not met).

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
    /// A multi-seed variant's value at each seed, in the order of the experiment's `seeds` (`value` is their mean).
    public var perSeed: [Double]?
    /// A reduction over seeds or a sweep: its body's value at each seed or swept value.
    public var over: [PointValue]?

    public init(expression: String, value: Double, neverIn: Int? = nil, perSeed: [Double]? = nil, over: [PointValue]? = nil) {
        self.expression = expression
        self.value = value
        self.neverIn = neverIn
        self.perSeed = perSeed
        self.over = over
    }

    /// The value as shown: "never (in 300 steps)" for a threshold never reached, else the number; a
    /// multi-seed value as "mean 0.912 (0.909 0.915 0.913)", a reduction with the values it reduced.
    public var displayValue: String {
        var shown = neverIn.map { "never (in \($0) steps)" } ?? formatNumber(value)
        if let perSeed {
            if neverIn == nil { shown = "mean " + shown }
            shown += " (" + perSeed.map { $0 == .infinity ? "never" : formatNumber($0) }.joined(separator: " ") + ")"
        }
        if let over {
            shown += " (" + over.map { "\(formatNumber($0.at)): \($0.value == .infinity ? "never" : formatNumber($0.value))" }
                .joined(separator: ", ") + ")"
        }
        return shown
    }
}

/// One point of a reduction over a dimension: the seed or swept value, and the body's value there.
public struct PointValue: Sendable, Equatable, Codable {
    public var at: Double
    public var value: Double
}

/// A claim judged at one seed (`in every seed:`).
public struct SeedVerdict: Sendable, Equatable, Codable {
    public var seed: UInt64
    public var left: Double
    public var right: Double
    public var held: Bool
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
    /// `in every seed:` / `in at least K of N seeds:`: the claim at each seed (`left`, `right` are then the means).
    public var perSeed: [SeedVerdict]?

    /// How far from failing the claim came, in the units of its sides: right − left for < and <=,
    /// left − right for > and >=, tolerance − |left − right| for == ± tolerance (negative: it failed by
    /// that much). nil where no distance applies: an exact == or a !=, a "never" claim, a claim over
    /// seeds, a side that is not finite.
    public var margin: Double? {
        guard !claim.isNeverClaim, perSeed == nil, left.isFinite, right.isFinite else { return nil }
        switch claim.comparison {
        case .less, .lessOrEqual: return right - left
        case .greater, .greaterOrEqual: return left - right
        case .equal: return tolerance.flatMap { $0 > 0 ? $0 - Swift.abs(left - right) : nil }
        case .notEqual: return nil
        }
    }

    /// "0.954 > 0.931" or "0.954 == 0.95 ± 0.01"; a "never …" claim: "not reached in 60 steps" or "reached at step 40".
    public var comparisonText: String {
        if claim.isNeverClaim {
            if left.isFinite { return "reached at step \(formatNumber(left))" }
            return measurements.first?.neverIn.map { "not reached in \($0) steps" } ?? "not reached"
        }
        if let perSeed, let quantifier = claim.seedQuantifier {
            let held = perSeed.filter(\.held).count
            let needed: Int
            switch quantifier {
            case .every: needed = perSeed.count
            case .atLeast(let k, _): needed = k
            }
            let each = perSeed.map { v in
                "seed \(v.seed): \(formatNumber(v.left)) \(claim.comparison.rawValue) \(formatNumber(v.right)) \(v.held ? "holds" : "fails")"
            }
            return "held in \(held) of \(perSeed.count) seeds (needs \(needed)): " + each.joined(separator: ", ")
        }
        var s = "\(formatNumber(left)) \(claim.comparison.rawValue) \(formatNumber(right))"
        if let tolerance { s += " ± \(formatNumber(tolerance))" }
        return s
    }
}

public enum ClaimEvaluator {
    /// Checks `claim` against `result`. A tweaked run's claims are "not judged" (but still measured).
    public static func evaluate(_ claim: Claim, in result: ExperimentResult) -> ClaimOutcome {
        if let quantifier = claim.seedQuantifier { return evaluatePerSeed(claim, quantifier, in: result) }
        var evaluator = Evaluation(result: result)
        let (left, right, tolerance, holds) = judge(claim, &evaluator)
        let verdict: Verdict = result.tweaked ? .notJudged : (holds ? .pass : .fail)
        return ClaimOutcome(claim: claim, verdict: verdict, left: left, right: right, tolerance: tolerance,
                            measurements: evaluator.measured, note: evaluator.notes.isEmpty ? nil : evaluator.notes.joined(separator: "; "))
    }

    /// Both sides, the tolerance and whether the claim holds, with the "never" rules.
    private static func judge(_ claim: Claim, _ evaluator: inout Evaluation) -> (Double, Double, Double?, Bool) {
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
        return (left, right, tolerance, holds)
    }

    /// `in every seed:` / `in at least K of N seeds:`: the claim judged at each seed's runs alone.
    private static func evaluatePerSeed(_ claim: Claim, _ quantifier: SeedQuantifier, in result: ExperimentResult) -> ClaimOutcome {
        var verdicts: [SeedVerdict] = []
        var measuredBySeed: [[MeasuredValue]] = []
        var notes: [String] = []
        var tolerances: [Double] = []
        for (index, seed) in result.seeds.enumerated() {
            var evaluator = Evaluation(result: result)
            evaluator.seedIndex = index
            let (left, right, tolerance, holds) = judge(claim, &evaluator)
            verdicts.append(SeedVerdict(seed: seed, left: left, right: right, held: holds))
            measuredBySeed.append(evaluator.measured)
            if let tolerance { tolerances.append(tolerance) }
            for note in evaluator.notes where !notes.contains(note) { notes.append(note) }
        }
        if verdicts.isEmpty { notes.append("the run has no seeds to judge the claim at") }
        let needed: Int
        switch quantifier {
        case .every: needed = max(1, verdicts.count)
        case .atLeast(let k, _): needed = k
        }
        let holds = verdicts.filter(\.held).count >= needed
        // Each measurement with its value at every seed (the walk is the same at every seed).
        var measured: [MeasuredValue] = []
        if let first = measuredBySeed.first {
            for (j, m) in first.enumerated() {
                let values = measuredBySeed.map { $0.indices.contains(j) ? $0[j].value : .nan }
                let never = measuredBySeed.compactMap { $0.indices.contains(j) ? $0[j].neverIn : nil }.max()
                measured.append(MeasuredValue(expression: m.expression, value: Evaluation.mean(values), neverIn: never,
                                              perSeed: values, over: nil))
            }
        }
        let verdict: Verdict = result.tweaked ? .notJudged : (holds ? .pass : .fail)
        var outcome = ClaimOutcome(claim: claim, verdict: verdict, left: Evaluation.mean(verdicts.map(\.left)),
                                   right: Evaluation.mean(verdicts.map(\.right)),
                                   tolerance: claim.tolerance == nil ? nil : Evaluation.mean(tolerances),
                                   measurements: measured, note: notes.isEmpty ? nil : notes.joined(separator: "; "))
        outcome.perSeed = verdicts
        return outcome
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
    /// Set while judging at one seed (`in every seed:`, `… over seeds`): the index into the result's seeds.
    var seedIndex: Int?
    /// Set inside a reduction over the sweep: the index into its values.
    var sweepIndex: Int?
    /// Inside a reduction over a dimension: its measurements are summed up in one entry, not listed.
    var quiet = 0
    /// The last multi-seed measurement's value at each seed.
    private var lastPerSeed: [Double]?

    init(result: ExperimentResult) { self.result = result }

    /// The mean; NaN if any value is NaN (+∞ if any is +∞ and none NaN).
    static func mean(_ values: [Double]) -> Double {
        values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count)
    }

    mutating func value(_ expression: Expression) -> Double {
        switch expression {
        case .number(let v): return v
        case .measurement(let m):
            lastPerSeed = nil
            let v = measure(m)
            guard quiet == 0 else { return v }
            var neverIn: Int?
            if case .stepsUntil = m.reduction, v == .infinity {
                neverReached.append(m)
                neverIn = stepsRun(m.variant)
            }
            measured.append(MeasuredValue(expression: m.text, value: v, neverIn: neverIn, perSeed: lastPerSeed))
            return v
        case .slope(let s):
            lastPerSeed = nil
            let v = slope(s)
            if quiet == 0 { measured.append(MeasuredValue(expression: s.text, value: v, perSeed: lastPerSeed)) }
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
        case .over(let reduction):
            return over(reduction)
        }
    }

    // MARK: Seeds and sweeps

    /// The points of a dimension: the seeds as written, or the swept values.
    private func points(_ dimension: Dimension) -> [Double] {
        switch dimension {
        case .seeds: return result.seeds.map { Double($0) }
        case .sweep: return result.sweep?.values ?? []
        }
    }

    private mutating func over(_ r: DimensionReduction) -> Double {
        let xs = points(r.dimension)
        let savedSeed = seedIndex, savedSweep = sweepIndex, notesBefore = notes.count
        quiet += 1
        var values: [Double] = [], met: [Bool] = []
        for i in xs.indices {
            switch r.dimension {
            case .seeds: seedIndex = i
            case .sweep: sweepIndex = i
            }
            let v = value(r.body)
            values.append(v)
            if let (op, bound) = r.condition { met.append(op.holds(v, value(bound))) }
        }
        quiet -= 1
        seedIndex = savedSeed
        sweepIndex = savedSweep
        let what = r.dimension == .seeds ? "seed" : "\(r.dimension.text) value"
        var v: Double
        switch r.kind {
        case .mean: v = Self.mean(values)
        case .min: v = values.contains(where: \.isNaN) ? .nan : values.min() ?? .nan
        case .max: v = values.contains(where: \.isNaN) ? .nan : values.max() ?? .nan
        case .spread: v = values.contains(where: \.isNaN) || values.isEmpty ? .nan : values.max()! - values.min()!
        case .best:
            // NaN (a diverged run) is never the best; the first of equal values wins.
            let best = values.indices.filter { !values[$0].isNaN }.max { values[$0] < values[$1] || (values[$0] == values[$1] && $0 > $1) }
            v = best.map { xs[$0] } ?? .nan
        case .count: v = Double(met.filter { $0 }.count)
        case .lowest, .highest, .decades, .width:
            let meeting = xs.indices.filter { met.indices.contains($0) && met[$0] }.map { xs[$0] }
            if meeting.isEmpty {
                v = .nan
            } else if r.kind == .lowest {
                v = meeting.min() ?? .nan
            } else if r.kind == .highest {
                v = meeting.max() ?? .nan
            } else {
                // The widest unbroken run of meeting values, in increasing order of the swept value.
                let order = xs.indices.sorted { xs[$0] < xs[$1] }
                var bestRun: (Double, Double)?, start: Double?
                for (k, i) in order.enumerated() {
                    let ok = met.indices.contains(i) && met[i]
                    if ok, start == nil { start = xs[i] }
                    let endsHere = ok && (k == order.count - 1 || !(met.indices.contains(order[k + 1]) && met[order[k + 1]]))
                    if endsHere, let lo = start {
                        let hi = xs[i]
                        let size = r.kind == .decades ? log10(hi) - log10(lo) : hi - lo
                        let bestSize = bestRun.map { r.kind == .decades ? log10($0.1) - log10($0.0) : $0.1 - $0.0 }
                        if bestSize == nil || size > bestSize! { bestRun = (lo, hi) }
                    }
                    if !ok { start = nil }
                }
                if let (lo, hi) = bestRun {
                    v = r.kind == .decades ? (lo > 0 ? log10(hi) - log10(lo) : .nan) : hi - lo
                    if r.kind == .decades && !(lo > 0) { notes.append("decades need positive values (the range starts at \(formatNumber(lo)))") }
                } else {
                    v = .nan
                }
            }
            if meeting.isEmpty { notes.append("no \(what) met the condition in \(r.text)") }
        }
        // Notes from inside the reduction explain a NaN result; when it has a value they are noise.
        if !v.isNaN && notes.count > notesBefore { notes.removeSubrange(notesBefore...) }
        if quiet == 0 {
            measured.append(MeasuredValue(expression: r.text, value: v, over: zip(xs, values).map { PointValue(at: $0, value: $1) }))
        }
        return v
    }

    /// The runs a measurement of `name` reads: at the bound swept value and seed, if any.
    private mutating func runs(_ name: String?) -> [VariantResult] {
        var target = name
        if let sweep = result.sweep, let i = sweepIndex, sweep.values.indices.contains(i) {
            let base = name ?? (sweep.baseVariants.count == 1 ? sweep.baseVariants[0] : nil)
            if let base, sweep.baseVariants.contains(base), result.runs(named: base).isEmpty {
                target = sweep.variantName(base: base, value: sweep.values[i])
            }
        }
        let names = result.variantNames
        guard let target = target ?? (names.count == 1 ? names.first : nil) else { return [] }
        var found = result.runs(named: target)
        if let s = seedIndex, result.seeds.indices.contains(s) { found = found.filter { $0.seed == result.seeds[s] } }
        return found
    }

    /// The steps a variant ran (for "never (in N steps)"): the most of its runs.
    mutating func stepsRun(_ name: String?) -> Int? { runs(name).map(\.record.steps).max() }

    private mutating func series(_ metric: MetricKey, in run: VariantResult) -> MetricSeries? {
        guard let series = run.record.series[metric], !series.isEmpty else {
            notes.append("\(metric.claimText) was not recorded in \(run.name)")
            return nil
        }
        return series
    }

    /// A measurement: of one run, or the mean over a multi-seed variant's runs.
    mutating func measure(_ m: Measurement) -> Double {
        ofVariant(m.variant) { evaluation, run in evaluation.measure(m, in: run) }
    }

    /// A least-squares slope: of one run, or the mean over a multi-seed variant's runs.
    mutating func slope(_ s: Slope) -> Double {
        ofVariant(s.variant) { evaluation, run in evaluation.slope(s, in: run) }
    }

    /// `value` of the variant's one run, or its mean over the variant's runs (one per seed, each kept in
    /// `lastPerSeed`); NaN, with a note, if the run has no such variant.
    private mutating func ofVariant(_ variant: String?, _ value: (inout Evaluation, VariantResult) -> Double) -> Double {
        let found = runs(variant)
        guard !found.isEmpty else {
            notes.append("no variant '\(variant ?? "?")' in this run")
            return .nan
        }
        guard found.count > 1 else { return value(&self, found[0]) }
        var values: [Double] = []
        for run in found { values.append(value(&self, run)) }
        lastPerSeed = values
        return Self.mean(values)
    }

    private mutating func measure(_ m: Measurement, in run: VariantResult) -> Double {
        guard let s = series(m.metric, in: run) else { return .nan }
        let values = s.values
        let variantName = run.name + (run.seed.map { " (seed \($0))" } ?? "")
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
        case .meanLast(let count):
            guard values.count >= count else {
                notes.append("\(m.metric.claimText) has \(values.count) value\(values.count == 1 ? "" : "s") in \(variantName), 'mean last \(count)' needs \(count) (recorded at \(describeSteps(s.steps)))")
                return .nan
            }
            let last = values.count - count
            for i in last..<values.count where values[i].isNaN { return noted(values[i], at: i) }
            return Self.mean(Array(values[last...]))
        case .stepsUntil(let op, let threshold):
            guard let i = values.indices.first(where: { op.holds(values[$0], threshold) }) else {
                _ = firstNaN()
                if quiet == 0 {
                    notes.append("\(variantName) never reached \(m.metric.claimText) \(op.rawValue) \(formatNumber(threshold)) (in \(run.record.steps) steps)")
                }
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
        case .mean: return Self.mean(values)
        case .minAbs: return values.map(abs).min() ?? .nan
        case .maxAbs: return values.map(abs).max() ?? .nan
        case .meanAbs: return Self.mean(values.map(abs))
        case .range: return (values.max() ?? .nan) - (values.min() ?? .nan)
        default: return .nan
        }
    }

    private func describeSteps(_ steps: [Int]) -> String {
        steps.count <= 6 ? steps.map(String.init).joined(separator: ", ")
            : "\(steps.prefix(3).map(String.init).joined(separator: ", ")) … \(steps.last ?? 0)"
    }

    /// Least-squares slope of (log) y against (log) x over steps where both are recorded and finite.
    private mutating func slope(_ s: Slope, in run: VariantResult) -> Double {
        guard let ys = series(s.y, in: run) else { return .nan }
        if let i = ys.values.firstIndex(where: \.isNaN) {
            notes.append("\(s.y.claimText) is NaN at step \(ys.steps[i])")
            return .nan
        }
        var points: [(Double, Double)] = []
        if let xRef = s.x {
            guard let xs = series(xRef, in: run) else { return .nan }
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
