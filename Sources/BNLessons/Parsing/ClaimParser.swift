// A recursive-descent parser for claims and predict answers, checked against the experiment it reads.
//
// Grammar (lessons/README.md has the long form):
//   claim       = expr comparison expr [ "±" expr ] | "never" metric comparison number [ "of" variant ]
//   expr        = term { ("+" | "-") term }
//   term        = unary { ("*" | "/") unary }
//   unary       = "-" unary | primary
//   primary     = number | "(" expr ")" | "abs" "(" expr ")" | slope | unit sum | measurement
//   measurement = [ reduction ] metric [ ("of" | "in") variant ]
//   reduction   = "final" | "initial" | ("min" | "max" | "mean") ["abs"] | "mean" "last" int | "range"
//               | "at" "step" int
//               | "steps" "until" metric comparison number   (then [ "of" variant ] [ "or" "never" ])
//
// Input is bounded before anything recurses: a claim is at most `maximumLength` characters and
// `maximumTokens` tokens, and parentheses, abs( and unary minus nest at most `maximumDepth` deep.
//   metric      = name [ "of" "layer" int ] [ stage ] [ "unit" int ]
//   slope       = "slope" ["log"] metric "vs" ["log"] (metric | "step") [ ("of" | "in") variant ]
//   unit sum    = "sum" "over" "units" int ".." int ["of"] unary   (its metrics name no unit; see `unitSum`)

import BNEngine
import Foundation

/// What a claim may refer to: the experiment's variants, metrics and layer count.
struct ClaimContext {
    var experiment: String
    var variants: [String]
    var metrics: Set<String>
    var layerCount: Int
    /// How many seeds the experiment's `seeds` lists (0: none).
    var seedCount: Int
    var sweep: Sweep?
    /// The widest any variant makes each layer (layer N at index N − 1); empty: not known, not checked.
    var layerWidths: [Int]
    /// Units some variant probes (`probes.units`); nil: not checked.
    var probedUnits: Set<Int>?

    init(experiment: String, variants: [String], metrics: Set<String>, layerCount: Int, seedCount: Int = 0, sweep: Sweep? = nil,
         layerWidths: [Int] = [], probedUnits: Set<Int>? = nil) {
        self.experiment = experiment
        self.variants = variants
        self.metrics = metrics
        self.layerCount = layerCount
        self.seedCount = seedCount
        self.sweep = sweep
        self.layerWidths = layerWidths
        self.probedUnits = probedUnits
    }

    init(_ spec: ExperimentSpec) {
        experiment = spec.name
        variants = spec.variantNames
        metrics = spec.knownMetrics
        layerCount = spec.layerCount
        seedCount = spec.seeds.count
        sweep = spec.sweep
        layerWidths = spec.layerWidths
        probedUnits = spec.kind == .train ? spec.probedUnits : nil
    }
}

struct ClaimParser {
    private var tokens: [ClaimToken]
    private var position = 0
    private let line: Int
    private let context: ClaimContext
    private var depth = 0
    /// The claim's characters and its first column, to quote a reduction's text.
    private let source: [Character]
    private let firstColumn: Int
    /// Dimensions an enclosing reduction is walking: inside `max over learning_rate …`, `bn` means bn at each value.
    private var bound: [Dimension] = []
    /// Inside `sum over units A..B`: the layers its metrics read; nil outside one.
    private var unitSumLayers: [Int]?

    /// Longest claim (or `{{ … }}` expression, or predict answer), in characters.
    static let maximumLength = 2_000
    /// Most tokens in one claim: also bounds a long sum's tree, which evaluation walks recursively.
    static let maximumTokens = 400
    /// Deepest nesting of "(", "abs(" and unary "-".
    static let maximumDepth = 32
    /// Most units one `sum over units` adds up (as many as `probes.units` may list). The sum is written
    /// out as one term per unit, so an expanded claim has at most this many times `maximumTokens` nodes
    /// and a sum adds this many levels to the tree.
    static let maximumUnitsInSum = 64

    /// The most values `mean last K` averages.
    static let maximumMeanLast = 10_000
    static let reductionWords: Set<String> = ["final", "initial", "min", "max", "mean", "range", "at", "steps"]
    static let stages = Dictionary(uniqueKeysWithValues: Stage.allCases.map { ($0.rawValue, $0) })

    init(_ text: String, at location: SourceLocation, context: ClaimContext) throws(LessonError) {
        if text.count > Self.maximumLength {
            throw LessonError(SourceLocation(line: location.line, column: location.column + Self.maximumLength),
                              "this claim is \(text.count) characters long; the limit is \(Self.maximumLength)",
                              hint: "split it into several claims")
        }
        tokens = try ClaimTokenizer.tokenize(text, at: location)
        if tokens.count - 1 > Self.maximumTokens {
            throw LessonError(SourceLocation(line: location.line, column: tokens[Self.maximumTokens].column),
                              "this claim has \(tokens.count - 1) tokens; the limit is \(Self.maximumTokens)",
                              hint: "split it into several claims")
        }
        line = location.line
        self.context = context
        source = Array(text)
        firstColumn = location.column
    }

    /// Parses one claim line.
    static func claim(_ text: String, at location: SourceLocation, context: ClaimContext) throws(LessonError) -> Claim {
        var parser = try ClaimParser(text, at: location, context: context)
        if parser.accept(word: "never") {
            // "never metric cmp number [of variant]": the threshold was not reached in the whole run.
            let metric = try parser.metric()
            guard let op = parser.comparison() else {
                throw parser.error("expected a comparison after 'never \(metric.name)'", hint: "e.g. never test_accuracy >= 0.99 of plain")
            }
            let threshold = try parser.signedNumber()
            let variant = try parser.variantReference(allowed: true)
            try parser.expectEnd()
            let measurement = Measurement(reduction: .stepsUntil(op, threshold), metric: metric, variant: variant?.0,
                                          variantLocation: variant?.1, allowsNever: true)
            return Claim(text: text, location: location, experiment: context.experiment, left: .measurement(measurement),
                         comparison: .equal, right: .number(.infinity), tolerance: nil)
        }
        var quantifier: SeedQuantifier?
        if parser.peekWord == "in", parser.wordAhead(1) == "every" || parser.wordAhead(1) == "at" {
            quantifier = try parser.seedQuantifier()
        }
        let left = try parser.expression()
        guard let comparison = parser.comparison() else {
            throw parser.error("expected a comparison (<, <=, >, >=, ==, !=) but found \(parser.describe(parser.peek))",
                               hint: "a claim compares two sides, e.g. final test_accuracy of bn > 0.9")
        }
        let right = try parser.expression()
        var tolerance: Expression?
        if parser.accept(symbol: "±") { tolerance = try parser.expression() }
        try parser.expectEnd()
        var claim = Claim(text: text, location: location, experiment: context.experiment, left: left,
                          comparison: comparison, right: right, tolerance: tolerance)
        claim.seedQuantifier = quantifier
        return claim
    }

    /// `in every seed:` or `in at least K of N seeds:` (N the experiment's seed count, 1 ≤ K ≤ N).
    private mutating func seedQuantifier() throws(LessonError) -> SeedQuantifier {
        let start = peek
        position += 1  // "in"
        let quantifier: SeedQuantifier
        if accept(word: "every") {
            try expect(word: "seed")
            quantifier = .every
        } else {
            try expect(word: "at")
            try expect(word: "least")
            let k = try wholeNumber("a count of seeds")
            try expect(word: "of")
            let nToken = peek
            let n = try wholeNumber("a count of seeds")
            if !accept(word: "seeds") { try expect(word: "seed") }
            guard n == context.seedCount else {
                throw LessonError(location(of: nToken), "experiment '\(context.experiment)' runs \(context.seedCount) seeds, not \(n)",
                                  hint: "write in at least K of \(context.seedCount) seeds")
            }
            guard k >= 1, k <= n else {
                throw LessonError(location(of: nToken), "'at least \(k) of \(n)' needs 1 ≤ \(k) ≤ \(n)")
            }
            quantifier = .atLeast(k, of: n)
        }
        guard context.seedCount > 0 else {
            throw LessonError(location(of: start), "experiment '\(context.experiment)' has no 'seeds', so there is nothing to judge per seed",
                              hint: "add seeds: [1, 2, 3] to the experiment")
        }
        try expect(symbol: ":")
        bound.append(.seeds)
        return quantifier
    }

    /// Parses a bare expression (a `{{ … }}` value in prose).
    static func expression(_ text: String, at location: SourceLocation, context: ClaimContext) throws(LessonError) -> Expression {
        var parser = try ClaimParser(text, at: location, context: context)
        let expression = try parser.expression()
        try parser.expectEnd()
        return expression
    }

    /// Parses a predict cell's answer rule.
    static func answer(_ text: String, at location: SourceLocation, context: ClaimContext) throws(LessonError) -> AnswerRule {
        var parser = try ClaimParser(text, at: location, context: context)
        let rule: AnswerRule
        if parser.accept(word: "highest") || parser.peekWord == "lowest" {
            let isLowest = parser.accept(word: "lowest")
            let measurement = try parser.measurement(allowVariant: false)
            rule = isLowest ? .lowest(measurement) : .highest(measurement)
        } else if parser.accept(word: "first") {
            try parser.expect(word: "to")
            try parser.expect(word: "reach")
            let metric = try parser.metric()
            guard let op = parser.comparison() else { throw parser.error("expected a comparison after \(metric.name)") }
            rule = .firstToReach(metric, op, try parser.number())
        } else if parser.accept(word: "nearest") {
            rule = .nearest(try parser.expression())
        } else {
            throw parser.error("an answer starts with 'highest', 'lowest', 'first to reach' or 'nearest'",
                               hint: "e.g. answer: highest final test_accuracy")
        }
        try parser.expectEnd()
        return rule
    }

    // MARK: Expressions

    mutating func expression() throws(LessonError) -> Expression {
        var left = try term()
        while true {
            if accept(symbol: "+") { left = .binary("+", left, try term()) }
            else if accept(symbol: "-") { left = .binary("-", left, try term()) }
            else { return left }
        }
    }

    private mutating func term() throws(LessonError) -> Expression {
        var left = try unary()
        while true {
            if accept(symbol: "*") { left = .binary("*", left, try unary()) }
            else if accept(symbol: "/") { left = .binary("/", left, try unary()) }
            else { return left }
        }
    }

    private mutating func unary() throws(LessonError) -> Expression {
        if accept(symbol: "-") {
            try enter(back: 1)
            defer { depth -= 1 }
            return .negate(try unary())
        }
        return try primary()
    }

    /// One level deeper into "(", "abs(" or unary "-"; refused past `maximumDepth`.
    private mutating func enter(back: Int) throws(LessonError) {
        depth += 1
        if depth > Self.maximumDepth {
            throw error("this claim nests more than \(Self.maximumDepth) levels of parentheses, abs( or minus signs", back: back,
                        hint: "write it flatter")
        }
    }

    private mutating func primary() throws(LessonError) -> Expression {
        let nests = peek.kind == .symbol("(") || peekWord == "abs"
        if nests { try enter(back: 0) }
        defer { if nests { depth -= 1 } }
        return try leaf()
    }

    private mutating func leaf() throws(LessonError) -> Expression {
        switch peek.kind {
        case .number(let v):
            position += 1
            return .number(v)
        case .symbol("("):
            position += 1
            let inner = try expression()
            try expect(symbol: ")")
            return inner
        case .word("abs"):
            position += 1
            try expect(symbol: "(")
            let inner = try expression()
            try expect(symbol: ")")
            return .absolute(inner)
        case .word("slope"):
            return .slope(try slope())
        case .word("sum") where wordAhead(1) == "over" && wordAhead(2) == "units":
            return try unitSum()
        case .word(let w) where ["mean", "min", "max", "spread"].contains(w) && wordAhead(1) == "over":
            return .over(try dimensionReduction())
        case .word(let w) where ["count", "best", "lowest", "highest", "decades", "width"].contains(w) && isDimensionAhead(w):
            return .over(try dimensionReduction())
        case .word:
            return .measurement(try measurement(allowVariant: true))
        default:
            throw error("expected a number or a measurement but found \(describe(peek))")
        }
    }

    // MARK: Reductions over seeds and sweeps

    /// Whether the words after `word` start a reduction over a dimension (so `count` stays free as a metric name).
    private func isDimensionAhead(_ word: String) -> Bool {
        let next = wordAhead(1) == "of" ? wordAhead(2) : wordAhead(1)
        guard let next else { return false }
        return next == "seeds" || next == context.sweep?.name
    }

    /// `mean|min|max|spread over DIM [of] body`, `best DIM by body`, `count [of] DIM where cond`,
    /// `lowest|highest DIM where cond`, `decades|width [of] DIM where cond`.
    private mutating func dimensionReduction() throws(LessonError) -> DimensionReduction {
        let startToken = peek
        guard case .word(let word) = startToken.kind else { throw error("expected a reduction") }
        position += 1
        let kind = DimensionReduction.Kind(rawValue: word) ?? .mean
        if ["mean", "min", "max", "spread"].contains(word) { try expect(word: "over") } else { _ = accept(word: "of") }
        let dimensionToken = peek
        let dimension: Dimension
        if accept(word: "seeds") || accept(word: "seed") {
            guard context.seedCount > 0 else {
                throw LessonError(location(of: dimensionToken), "experiment '\(context.experiment)' has no 'seeds'",
                                  hint: "add seeds: [1, 2, 3] to the experiment")
            }
            dimension = .seeds
            guard [.mean, .min, .max, .spread, .count].contains(kind) else {
                throw LessonError(location(of: startToken), "'\(word)' is for a sweep; over seeds use mean, min, max, spread or count",
                                  hint: "e.g. min over seeds final test_accuracy of bn")
            }
        } else if let sweep = context.sweep, accept(word: sweep.name) {
            dimension = .sweep(sweep.name)
        } else {
            let names = ["seeds"] + (context.sweep.map { [$0.name] } ?? [])
            throw LessonError(location(of: dimensionToken), "expected 'seeds'\(context.sweep.map { " or '\($0.name)'" } ?? "") after '\(word)' but found \(describe(dimensionToken))",
                              hint: context.sweep == nil && context.seedCount == 0 ? "experiment '\(context.experiment)' has neither 'seeds' nor a 'sweep'"
                                : NearestName.hint(for: dimensionToken.text, in: names))
        }
        if bound.contains(dimension) {
            throw LessonError(location(of: dimensionToken), "this reduces over \(dimension.text) inside a reduction over \(dimension.text)",
                              hint: "reduce over each dimension once")
        }
        try enter(back: 0)
        bound.append(dimension)
        defer {
            bound.removeLast()
            depth -= 1
        }
        var condition: (Comparison, Expression)?
        let body: Expression
        switch kind {
        case .mean, .min, .max, .spread:
            _ = accept(word: "of")
            body = try unary()
        case .best:
            try expect(word: "by")
            body = try unary()
        default:
            try expect(word: "where")
            body = try expression()
            guard let op = comparison() else {
                throw error("expected a comparison in the condition after 'where'", hint: "e.g. where final test_accuracy of bn > 0.9")
            }
            condition = (op, try expression())
        }
        return DimensionReduction(kind: kind, dimension: dimension, body: body, condition: condition,
                                  text: sourceText(from: startToken, to: tokens[position]))
    }

    // MARK: Sums over units

    /// `sum over units A..B [of] body`: body once per unit A…B, added left to right, exactly as if the
    /// sum were written out (`body at unit A + body at unit A+1 + …`), so its measurements are listed
    /// one by one in the verdict. Body's metrics must be recorded per unit (p15, p50, p85), name a layer,
    /// and leave the unit out; every unit must fit the layer and be probed.
    private mutating func unitSum() throws(LessonError) -> Expression {
        let startToken = peek
        position += 3  // "sum" "over" "units"
        if unitSumLayers != nil {
            throw LessonError(location(of: startToken), "this sums over units inside a sum over units", hint: "sum over units once")
        }
        let firstToken = peek
        let first = try wholeNumber("a unit")
        try expect(symbol: "..")
        let lastToken = peek
        let last = try wholeNumber("a unit")
        guard first <= last else {
            throw LessonError(location(of: lastToken), "units \(first)..\(last) is empty: the range counts up",
                              hint: "write the lower unit first, e.g. units \(last)..\(first)")
        }
        guard last - first < Self.maximumUnitsInSum else {
            throw LessonError(location(of: lastToken), "units \(first)..\(last) are \(last - first + 1) units; a sum adds at most \(Self.maximumUnitsInSum)",
                              hint: "split it into several sums")
        }
        _ = accept(word: "of")
        let bodyToken = peek
        unitSumLayers = []
        let body = try unary()
        let layers = unitSumLayers ?? []
        unitSumLayers = nil
        guard !layers.isEmpty else {
            throw LessonError(location(of: bodyToken), "a sum over units needs a per-unit measurement after 'units \(first)..\(last)'",
                              hint: "e.g. sum over units 0..15 range p50 of layer 3 pre_activation in plain")
        }
        for layer in layers where layer <= context.layerWidths.count {
            let width = context.layerWidths[layer - 1]
            guard last < width else {
                throw LessonError(location(of: first >= width ? firstToken : lastToken),
                                  "layer \(layer) of '\(context.experiment)' has \(width) units (0..\(width - 1)); units \(first)..\(last) go past it",
                                  hint: "sum over units \(min(first, width - 1))..\(width - 1) at most")
            }
        }
        if let probed = context.probedUnits, let missing = (first...last).first(where: { !probed.contains($0) }) {
            throw LessonError(location(of: lastToken), "units \(first)..\(last) include unit \(missing), which no variant of '\(context.experiment)' probes",
                              hint: probed.isEmpty ? "add probes: { units: [...] } to the experiment"
                                  : "its probed units are " + probed.sorted().map(String.init).joined(separator: ", "))
        }
        var sum = Self.atUnit(body, first)
        for unit in stride(from: first + 1, through: last, by: 1) { sum = .binary("+", sum, Self.atUnit(body, unit)) }
        return sum
    }

    /// `body` with every metric at `unit` (the parser made sure none names one).
    private static func atUnit(_ body: Expression, _ unit: Int) -> Expression {
        switch body {
        case .number: return body
        case .measurement(var m):
            m.metric.unit = unit
            return .measurement(m)
        case .slope(var s):
            s.y.unit = unit
            s.x?.unit = unit
            return .slope(s)
        case .negate(let e): return .negate(atUnit(e, unit))
        case .absolute(let e): return .absolute(atUnit(e, unit))
        case .binary(let op, let l, let r): return .binary(op, atUnit(l, unit), atUnit(r, unit))
        case .over(var r):
            r.body = atUnit(r.body, unit)
            r.condition = r.condition.map { ($0.0, atUnit($0.1, unit)) }
            r.text += ", unit \(unit)"
            return .over(r)
        }
    }

    /// The claim's text from `start` up to (not including) `end`, trimmed.
    private func sourceText(from start: ClaimToken, to end: ClaimToken) -> String {
        let a = max(0, start.column - firstColumn), b = min(source.count, max(a, end.column - firstColumn))
        return String(source[a..<b]).trimmingCharacters(in: .whitespaces)
    }

    /// The word `offset` tokens ahead, if that token is a word.
    func wordAhead(_ offset: Int) -> String? {
        if case .word(let w) = tokens[min(position + offset, tokens.count - 1)].kind { return w }
        return nil
    }

    // MARK: Measurements

    mutating func measurement(allowVariant: Bool) throws(LessonError) -> Measurement {
        var reduction = Reduction.final
        if let word = peekWord, Self.reductionWords.contains(word) {
            position += 1
            switch word {
            case "final": reduction = .final
            case "initial": reduction = .initial
            case "min": reduction = accept(word: "abs") ? .minAbs : .min
            case "max": reduction = accept(word: "abs") ? .maxAbs : .max
            case "mean":
                if accept(word: "last") {
                    let count = try number()
                    guard let whole = Int(exactly: count), (1...Self.maximumMeanLast).contains(whole) else {
                        throw error("'mean last' takes a whole number of values, 1 to \(Self.maximumMeanLast)", back: 1,
                                    hint: "e.g. mean last 3 test_accuracy of bn")
                    }
                    reduction = .meanLast(whole)
                } else {
                    reduction = accept(word: "abs") ? .meanAbs : .mean
                }
            case "range": reduction = .range
            case "at":
                try expect(word: "step")
                let step = try number()
                guard step >= 0, let whole = Int(exactly: step) else { throw error("a step is a whole number ≥ 0", back: 1) }
                reduction = .atStep(whole)
            default:  // "steps"
                try expect(word: "until")
                let metric = try metric()
                guard let op = comparison() else { throw error("expected a comparison after 'steps until \(metric.name)'", hint: "e.g. steps until test_accuracy >= 0.9 of bn") }
                let threshold = try signedNumber()
                let variant = try variantReference(allowed: allowVariant)
                var orNever = false
                if peekWord == "or", case .word("never") = tokens[min(position + 1, tokens.count - 1)].kind {
                    position += 2
                    orNever = true
                }
                return Measurement(reduction: .stepsUntil(op, threshold), metric: metric, variant: variant?.0, variantLocation: variant?.1,
                                   allowsNever: orNever)
            }
        }
        let metric = try metric()
        let variant = try variantReference(allowed: allowVariant)
        return Measurement(reduction: reduction, metric: metric, variant: variant?.0, variantLocation: variant?.1)
    }

    private mutating func slope() throws(LessonError) -> Slope {
        try expect(word: "slope")
        let logY = accept(word: "log")
        let y = try metric()
        try expect(word: "vs")
        let logX = accept(word: "log")
        var x: MetricKey?
        if !accept(word: "step") { x = try metric() }
        let variant = try variantReference(allowed: true)
        if variant == nil { _ = try resolveVariant(nil, at: location(of: peek)) }
        return Slope(logY: logY, y: y, logX: logX, x: x, variant: variant?.0, variantLocation: variant?.1)
    }

    mutating func metric() throws(LessonError) -> MetricKey {
        let token = peek
        guard case .word(let name) = token.kind else { throw error("expected a metric name but found \(describe(token))") }
        guard context.metrics.contains(name) else {
            throw LessonError(location(of: token), "unknown metric '\(name)' in experiment '\(context.experiment)'",
                              hint: NearestName.hint(for: name, in: context.metrics))
        }
        position += 1
        var ref = MetricKey(name)
        if peekWord == "of", case .word("layer") = tokens[min(position + 1, tokens.count - 1)].kind {
            position += 2
            let layerToken = peek
            let layer = try number()
            guard layer >= 1, let whole = Int(exactly: layer), whole <= max(context.layerCount, 0) || context.layerCount == 0 else {
                throw LessonError(location(of: layerToken), "experiment '\(context.experiment)' has no layer \(formatNumber(layer))",
                                  hint: "its layers are 1…\(context.layerCount) (the last is the output layer)")
            }
            ref.layer = whole
        } else if accept(word: "layer") {
            ref.layer = try wholeNumber("a layer")
        }
        if let word = peekWord, let stage = Self.stages[word] {
            position += 1
            ref.stage = stage
        }
        if accept(word: "unit") {
            if unitSumLayers != nil { throw error("the sum over units gives the unit", back: 1, hint: "drop 'unit \(formatNumber(peekNumber ?? 0))'") }
            ref.unit = try wholeNumber("a unit")
        }
        if unitSumLayers != nil {
            guard MetricName.percentiles.contains(where: { $0.0.rawValue == name }) else {
                throw LessonError(location(of: token), "\(name) is not recorded per unit, so it cannot be summed over units",
                                  hint: "per-unit metrics: " + MetricName.percentiles.map(\.0.rawValue).joined(separator: ", "))
            }
            guard let layer = ref.layer else {
                throw LessonError(location(of: token), "a sum over units needs the layer: \(name) of layer N", hint: "e.g. range p50 of layer 3 pre_activation")
            }
            unitSumLayers?.append(layer)
        }
        return ref
    }

    /// The next number, which must be a whole number ≥ 0 that fits an Int (never a trapping conversion).
    private mutating func wholeNumber(_ what: String) throws(LessonError) -> Int {
        let value = try number()
        guard value >= 0, let whole = Int(exactly: value) else { throw error("\(what) is a whole number ≥ 0", back: 1) }
        return whole
    }

    mutating func variantReference(allowed: Bool) throws(LessonError) -> (String, SourceLocation)? {
        guard peekWord == "of" || peekWord == "in" else {
            if allowed { _ = try resolveVariant(nil, at: location(of: peek)) }
            return nil
        }
        position += 1
        let token = peek
        guard case .word(let name) = token.kind else { throw error("expected a variant name after 'of'") }
        position += 1
        guard allowed else {
            throw LessonError(location(of: token), "this answer compares every option, so it names no variant", hint: "drop 'of \(name)'")
        }
        return (try resolveVariant(name, at: location(of: token)), location(of: token))
    }

    /// Checks a variant name (nil: the only variant). Inside a reduction over a sweep, a variant as
    /// written (`bn`) stands for bn at each swept value; outside one it must name a value (`bn_lr0_01`).
    private func resolveVariant(_ name: String?, at location: SourceLocation) throws(LessonError) -> String {
        if let sweep = context.sweep {
            let base = name ?? (sweep.baseVariants.count == 1 ? sweep.baseVariants[0] : nil)
            if let base, sweep.baseVariants.contains(base), !context.variants.contains(base) {
                guard bound.contains(.sweep(sweep.name)) else {
                    let example = sweep.values.first.map { sweep.variantName(base: base, value: $0) } ?? base
                    throw LessonError(location, "variant '\(base)' is swept over \(sweep.name); say which value or reduce over the sweep",
                                      hint: "name one value (\(example)), or e.g. max over \(sweep.name) final test_accuracy of \(base)")
                }
                return base
            }
        }
        guard let name else {
            if context.variants.count == 1 { return context.variants[0] }
            throw LessonError(location, "experiment '\(context.experiment)' has several variants; say which",
                              hint: "add 'of \(context.variants.first ?? "variant")'")
        }
        guard context.variants.contains(name) else {
            throw LessonError(location, "unknown variant '\(name)' in experiment '\(context.experiment)'",
                              hint: NearestName.hint(for: name, in: context.variants + (context.sweep?.baseVariants ?? [])))
        }
        return name
    }

    // MARK: Tokens

    private var peek: ClaimToken { tokens[position] }
    var peekWord: String? { if case .word(let w) = peek.kind { return w } else { return nil } }
    private var peekNumber: Double? { if case .number(let v) = peek.kind { return v } else { return nil } }

    private func location(of token: ClaimToken) -> SourceLocation { SourceLocation(line: line, column: token.column) }

    func describe(_ token: ClaimToken) -> String {
        token.kind == .end ? "the end of the line" : "'\(token.text)'"
    }

    private mutating func accept(symbol: String) -> Bool {
        if case .symbol(symbol) = peek.kind { position += 1; return true }
        return false
    }

    mutating func accept(word: String) -> Bool {
        if peekWord == word { position += 1; return true }
        return false
    }

    private mutating func expect(symbol: String) throws(LessonError) {
        guard accept(symbol: symbol) else { throw error("expected '\(symbol)' but found \(describe(peek))") }
    }

    private mutating func expect(word: String) throws(LessonError) {
        guard accept(word: word) else { throw error("expected '\(word)' but found \(describe(peek))") }
    }

    mutating func comparison() -> Comparison? {
        if case .symbol(let s) = peek.kind, let op = Comparison(rawValue: s) { position += 1; return op }
        return nil
    }

    private mutating func number() throws(LessonError) -> Double {
        guard case .number(let v) = peek.kind else { throw error("expected a number but found \(describe(peek))") }
        position += 1
        return v
    }

    mutating func signedNumber() throws(LessonError) -> Double {
        accept(symbol: "-") ? -(try number()) : try number()
    }

    func expectEnd() throws(LessonError) {
        guard peek.kind == .end else {
            throw error("unexpected \(describe(peek))", hint: "one claim per line; join parts with + - * /")
        }
    }

    func error(_ message: String, back: Int = 0, hint: String? = nil) -> LessonError {
        LessonError(location(of: tokens[max(0, position - back)]), message, hint: hint)
    }
}
