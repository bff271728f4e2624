// A recursive-descent parser for claims and predict answers, checked against the experiment it reads.
//
// Grammar (lessons/README.md has the long form):
//   claim       = expr comparison expr [ "±" expr ] | "never" metric comparison number [ "of" variant ]
//   expr        = term { ("+" | "-") term }
//   term        = unary { ("*" | "/") unary }
//   unary       = "-" unary | primary
//   primary     = number | "(" expr ")" | "abs" "(" expr ")" | slope | measurement
//   measurement = [ reduction ] metric [ ("of" | "in") variant ]
//   reduction   = "final" | "initial" | ("min" | "max" | "mean") ["abs"] | "range" | "at" "step" int
//               | "steps" "until" metric comparison number   (then [ "of" variant ] [ "or" "never" ])
//
// Input is bounded before anything recurses: a claim is at most `maximumLength` characters and
// `maximumTokens` tokens, and parentheses, abs( and unary minus nest at most `maximumDepth` deep.
//   metric      = name [ "of" "layer" int ] [ stage ] [ "unit" int ]
//   slope       = "slope" ["log"] metric "vs" ["log"] (metric | "step") [ ("of" | "in") variant ]

import BNEngine

/// What a claim may refer to: the experiment's variants, metrics and layer count.
struct ClaimContext {
    var experiment: String
    var variants: [String]
    var metrics: Set<String>
    var layerCount: Int

    init(experiment: String, variants: [String], metrics: Set<String>, layerCount: Int) {
        self.experiment = experiment
        self.variants = variants
        self.metrics = metrics
        self.layerCount = layerCount
    }

    init(_ spec: ExperimentSpec) {
        experiment = spec.name
        variants = spec.variantNames
        metrics = spec.knownMetrics
        layerCount = spec.layerCount
    }
}

struct ClaimParser {
    private var tokens: [ClaimToken]
    private var position = 0
    private let line: Int
    private let context: ClaimContext
    private var depth = 0

    /// Longest claim (or `{{ … }}` expression, or predict answer), in characters.
    static let maximumLength = 2_000
    /// Most tokens in one claim: also bounds a long sum's tree, which evaluation walks recursively.
    static let maximumTokens = 400
    /// Deepest nesting of "(", "abs(" and unary "-".
    static let maximumDepth = 32

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
        let left = try parser.expression()
        guard let comparison = parser.comparison() else {
            throw parser.error("expected a comparison (<, <=, >, >=, ==, !=) but found \(parser.describe(parser.peek))",
                               hint: "a claim compares two sides, e.g. final test_accuracy of bn > 0.9")
        }
        let right = try parser.expression()
        var tolerance: Expression?
        if parser.accept(symbol: "±") { tolerance = try parser.expression() }
        try parser.expectEnd()
        return Claim(text: text, location: location, experiment: context.experiment, left: left,
                     comparison: comparison, right: right, tolerance: tolerance)
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
        case .word:
            return .measurement(try measurement(allowVariant: true))
        default:
            throw error("expected a number or a measurement but found \(describe(peek))")
        }
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
            case "mean": reduction = accept(word: "abs") ? .meanAbs : .mean
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
        if accept(word: "unit") { ref.unit = try wholeNumber("a unit") }
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

    /// Checks a variant name (nil: the only variant).
    private func resolveVariant(_ name: String?, at location: SourceLocation) throws(LessonError) -> String {
        guard let name else {
            if context.variants.count == 1 { return context.variants[0] }
            throw LessonError(location, "experiment '\(context.experiment)' has several variants; say which",
                              hint: "add 'of \(context.variants.first ?? "variant")'")
        }
        guard context.variants.contains(name) else {
            throw LessonError(location, "unknown variant '\(name)' in experiment '\(context.experiment)'",
                              hint: NearestName.hint(for: name, in: context.variants))
        }
        return name
    }

    // MARK: Tokens

    private var peek: ClaimToken { tokens[position] }
    private var peekWord: String? { if case .word(let w) = peek.kind { return w } else { return nil } }

    private func location(of token: ClaimToken) -> SourceLocation { SourceLocation(line: line, column: token.column) }

    private func describe(_ token: ClaimToken) -> String {
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
