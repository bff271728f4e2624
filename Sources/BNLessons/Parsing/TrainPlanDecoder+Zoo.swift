// The lesson keys of the normalization zoo (issue 15), decoded into the engine's settings with each
// bad value located on its key: which normalization each hidden layer has and where, Batch Renorm's
// limits, GroupNorm's groups, residual blocks, weight decay, batch sampling and the opt-in probes.
//
// How `normalization` and the placement combine, per hidden layer (each key a single value or a list
// with one entry per hidden layer):
//   - `placement` says where (none | before | after); `batch_norm` is its older name, and a network
//     gives one or the other;
//   - `normalization` says which (batch | layer | group | batch_renorm | none), default `batch`, so
//     every lesson written with `batch_norm: before` alone means BN, as it always did;
//   - `normalization: none` on a layer means no normalization there, whatever the placement says;
//   - a kind with no placement sits `before` the activation (the usual order);
//   - a kind other than none whose placement is `none` on every layer is an error (it would do nothing).

import BNEngine

extension TrainPlanDecoder {
    /// The network keys read here.
    static let zooNetworkKeys = ["normalization", "placement", "groups", "rmax", "dmax", "ramp_start", "ramp_steps", "residual", "init_scale"]
    /// The experiment keys read here.
    static let zooKeys = ["weight_decay", "sampling"]
    /// The probe keys read here.
    static let zooProbeKeys = ["weight_norms", "train_eval_gap", "initial_gradients", "gamma_threshold", "eval_mode"]
    static let residualKeys = ["span", "scale", "alpha"]
    static let weightDecayKeys = ["rate", "parameters"]
    static let samplingKeys = ["kind", "classes_per_batch"]

    /// The lesson names of the normalization kinds (GroupNorm's groups and Batch Renorm's limits come from their own keys).
    static let normalizationNames = ["batch", "layer", "group", "batch_renorm", "none"]

    // MARK: Normalization per hidden layer

    /// Each hidden layer's placement and kind (the kind is `.batch` where the placement is `.none`).
    static func decodeNormalization(_ n: MappingReader, hidden: [Int]) throws(LessonError) -> [(placement: BNPlacement, kind: NormalizationKind)] {
        if n.has("placement"), n.has("batch_norm") {
            throw LessonError(n.keyLocation("placement"), "the network sets both 'placement' and 'batch_norm'",
                              hint: "'batch_norm' is the older name of 'placement': keep one of them")
        }
        let placementKey = n.has("placement") ? "placement" : "batch_norm"
        let placements: [BNPlacement?] = try perLayer(n, placementKey, count: hidden.count, what: "placement") { item throws(LessonError) in
            let s = try MappingReader.string(item, key: placementKey)
            guard let p = Self.placements[s.lowercased()] else {
                throw LessonError(item.location, "unknown placement '\(s)'", hint: NearestName.hint(for: s, in: Self.placements.keys))
            }
            return p
        } ?? Array(repeating: nil, count: hidden.count)
        let names: [String?] = try perLayer(n, "normalization", count: hidden.count, what: "normalization") { item throws(LessonError) in
            let s = try MappingReader.string(item, key: "normalization").lowercased()
            guard normalizationNames.contains(s) else {
                throw LessonError(item.location, "unknown normalization '\(s)'", hint: NearestName.hint(for: s, in: normalizationNames))
            }
            return s
        } ?? Array(repeating: nil, count: hidden.count)

        var layers: [(placement: BNPlacement, kind: NormalizationKind)] = []
        for i in hidden.indices {
            let name = names[i] ?? "batch"
            let placement: BNPlacement = name == "none" ? .none : placements[i] ?? (names[i] == nil ? .none : .before)
            guard placement != .none else {
                layers.append((.none, .batch))
                continue
            }
            layers.append((placement, try kind(name, n, layer: i, widths: hidden)))
        }
        if names.contains(where: { $0 != nil && $0 != "none" }), layers.allSatisfy({ $0.placement == .none }) {
            throw LessonError(n.keyLocation(placementKey), "'normalization' is set but '\(placementKey)' is none on every layer",
                              hint: "write \(placementKey): before (or after), or normalization: none for no normalization")
        }
        return layers
    }

    /// The kind called `name` for hidden layer `i` (0-based) of `width` units, its settings checked.
    private static func kind(_ name: String, _ n: MappingReader, layer i: Int, widths: [Int]) throws(LessonError) -> NormalizationKind {
        switch name {
        case "layer": return .layer
        case "group":
            guard let groupList = try n.list("groups") else {
                throw LessonError(n.keyLocation("normalization"), "normalization 'group' needs 'groups'",
                                  hint: "add groups: 4 (it must divide the width of every GroupNorm layer)")
            }
            guard groupList.count == 1 || groupList.count == widths.count else {
                throw LessonError(n.keyLocation("groups"), "'groups' lists \(groupList.count) values for \(widths.count) hidden layers",
                                  hint: "give one group count per hidden layer, or a single one for all")
            }
            let item = groupList.count == 1 ? groupList[0] : groupList[i]
            let groups = try MappingReader.int(item, key: "groups"), width = widths[i]
            guard groups >= 1, groups <= width, width % groups == 0 else {
                throw LessonError(item.location, "GroupNorm's \(groups) groups do not divide hidden layer \(i + 1)'s \(width) units",
                                  hint: "pick a divisor of \(width), e.g. \(divisorHint(width))")
            }
            return .group(groups: groups)
        case "batch_renorm": return .batchRenorm(try renormLimits(n))
        default: return .batch
        }
    }

    /// A few divisors of `width` for a hint: `1, 2, 4 or 100`.
    private static func divisorHint(_ width: Int) -> String {
        guard width >= 1 else { return "1" }
        let small = (1...min(width, 10)).filter { width % $0 == 0 }.prefix(4).map(String.init)
        return (small + (width > 10 ? [String(width)] : [])).joined(separator: ", ")
    }

    /// Batch Renorm's rmax, dmax and ramp (the engine's defaults: rmax 3, dmax 5, no ramp).
    static func renormLimits(_ n: MappingReader) throws(LessonError) -> BatchRenormLimits {
        var limits = BatchRenormLimits()
        if let rmax = try n.double("rmax") {
            guard rmax.isFinite, rmax >= 1, Float(rmax).isFinite else {
                throw LessonError(n.keyLocation("rmax"), "'rmax' must be a number ≥ 1 (got \(rmax))", hint: "rmax: 1 is plain BN; the paper ends at rmax: 3")
            }
            limits.rmax = Float(rmax)
        }
        if let dmax = try n.double("dmax") {
            guard dmax.isFinite, dmax >= 0, Float(dmax).isFinite else {
                throw LessonError(n.keyLocation("dmax"), "'dmax' must be a number ≥ 0 (got \(dmax))", hint: "dmax: 0 is plain BN; the paper ends at dmax: 5")
            }
            limits.dmax = Float(dmax)
        }
        for key in ["ramp_start", "ramp_steps"] {
            guard let value = try n.int(key) else { continue }
            guard value >= 0, value <= TrainingConfig.maximumSteps else {
                throw LessonError(n.keyLocation(key), "'\(key)' must be between 0 and \(TrainingConfig.maximumSteps) steps (got \(value))",
                                  hint: "ramp_start: 0, ramp_steps: 0 applies rmax and dmax from the first step")
            }
            if key == "ramp_start" { limits.rampStart = value } else { limits.rampSteps = value }
        }
        return limits
    }

    /// A key holding one value for every hidden layer or a list of one per layer, each item decoded by `item`.
    private static func perLayer<T>(_ n: MappingReader, _ key: String, count: Int, what: String,
                                    _ item: (YAMLValue) throws(LessonError) -> T) throws(LessonError) -> [T?]? {
        guard let value = n.value(key) else { return nil }
        if case .sequence(let items, _) = value {
            guard items.count == count else {
                throw LessonError(value.location, "'\(key)' lists \(items.count) values for \(count) hidden layers",
                                  hint: "give one \(what) per hidden layer, or a single one for all")
            }
            var out: [T?] = []
            for entry in items { out.append(try item(entry)) }
            return out
        }
        let one = try item(value)
        return Array(repeating: one, count: count)
    }

    // MARK: Initial weight scale

    /// `init_scale: α` (every hidden layer) or one α per hidden layer: multiplies the drawn initial
    /// weights, so a variant can scale one layer's W by α and nothing else (the engine checks the same range).
    static func applyInitScale(_ n: MappingReader, to layers: inout [LayerSpec], hidden: [Int]) throws(LessonError) {
        let scales: [Float?]? = try perLayer(n, "init_scale", count: hidden.count, what: "scale") { item throws(LessonError) in
            let scale = try MappingReader.double(item, key: "init_scale")
            guard scale.isFinite, scale > 0, scale <= Double(TrainingConfig.maximumInitScale) else {
                throw LessonError(item.location, "'init_scale' must be a positive number of at most \(Int(TrainingConfig.maximumInitScale)) (got \(scale))",
                                  hint: "init_scale: 4 multiplies the initial weights by 4; one per hidden layer scales only some, e.g. [4, 1]")
            }
            return Float(scale)
        }
        for (i, scale) in (scales ?? []).enumerated() { layers[i].initScale = scale ?? 1 }
    }

    // MARK: Residual blocks

    /// `residual: none | 1 | 2 | { span, scale, alpha }`, placed on `layers` (hidden layers then the output
    /// layer) like `NetworkSpec.mlp`: a block closes every `span` hidden layers after the first, wherever
    /// the widths match.
    static func applyResidual(_ n: MappingReader, to layers: inout [LayerSpec], hidden: [Int]) throws(LessonError) {
        guard let value = n.value("residual") else { return }
        var residual = Residual()
        switch value {
        case .scalar(let s, _, _) where ["none", "off", "false", "no"].contains(s.lowercased()):
            return
        case .scalar:
            residual.span = try MappingReader.int(value, key: "residual")
        default:
            let r = try MappingReader(value, context: "residual", knownKeys: residualKeys)
            residual.span = try r.int("span") ?? 1
            let alpha = try r.double("alpha")
            if let alpha, !(alpha.isFinite && Float(alpha).isFinite) {
                throw LessonError(r.keyLocation("alpha"), "'alpha' must be a finite number (got \(alpha))", hint: "alpha: 0 starts every block as the identity")
            }
            switch try r.string("scale")?.lowercased() ?? "none" {
            case "none":
                if alpha != nil {
                    throw LessonError(r.keyLocation("alpha"), "'alpha' needs scale: fixed or learnable", hint: "with scale: none the branch is added as it is (α = 1)")
                }
            case "fixed":
                guard let alpha else {
                    throw LessonError(r.keyLocation("scale"), "scale: fixed needs 'alpha', the branch's factor", hint: "write alpha: 0.5")
                }
                residual.scale = .fixed(Float(alpha))
            case "learnable": residual.scale = .learnable(initial: Float(alpha ?? 0))
            case let other:
                throw LessonError(r.value("scale")?.location ?? r.location, "unknown residual scale '\(other)'",
                                  hint: NearestName.hint(for: other, in: ["none", "fixed", "learnable"]))
            }
        }
        guard residual.span == 1 || residual.span == 2 else {
            throw LessonError(value.location, "a residual branch spans 1 or 2 layers (got \(residual.span))", hint: "write residual: { span: 2 }")
        }
        var blocks = 0
        for i in stride(from: residual.span, to: hidden.count, by: residual.span) where hidden[i] == hidden[i - residual.span] {
            layers[i].residual = residual
            blocks += 1
        }
        if blocks == 0 {
            throw LessonError(value.location, "no residual block fits hidden \(hidden) with span \(residual.span)",
                              hint: "a block needs \(residual.span + 1) consecutive hidden layers of equal width, e.g. hidden: [100, 100, 100]")
        }
    }

    // MARK: Training options

    /// `weight_decay: λ` (weight matrices only) or `{ rate: λ, parameters: weights | all }`; adamw needs one.
    static func decodeWeightDecay(_ r: MappingReader, optimizer: OptimizerSpec, optimizerReader: MappingReader) throws(LessonError) -> WeightDecay {
        guard let value = r.value("weight_decay") else {
            if optimizer.kind == .adamw {
                throw LessonError(optimizerReader.value("name")?.location ?? optimizerReader.location,
                                  "adamw needs a 'weight_decay' (without one it is adam)",
                                  hint: "add weight_decay: { rate: 0.01, parameters: all } at the experiment's top level (PyTorch's AdamW default)")
            }
            return .none
        }
        var decay = WeightDecay()
        let rateValue: YAMLValue
        if case .mapping = value {
            let w = try MappingReader(value, context: "weight_decay", knownKeys: weightDecayKeys)
            guard let rate = w.value("rate") else {
                throw LessonError(w.location, "'weight_decay' has no 'rate'", hint: "write weight_decay: { rate: 0.0005, parameters: weights }")
            }
            rateValue = rate
            let scopes = Dictionary(uniqueKeysWithValues: WeightDecayScope.allCases.map { ($0.rawValue, $0) })
            decay.scope = try w.choice("parameters", scopes, what: "set of parameters to decay") ?? .weights
        } else {
            rateValue = value
        }
        let rate = try MappingReader.double(rateValue, key: "weight_decay")
        guard rate.isFinite, rate >= 0, rate < 1e6 else {
            throw LessonError(rateValue.location, "'weight_decay' must be a number ≥ 0 (got \(rate))", hint: "typical rates are 1e-4 to 0.1")
        }
        decay.rate = Float(rate)
        return decay
    }

    /// `sampling: random | class_sorted` (two classes per batch) or `{ kind: class_sorted, classes_per_batch: 1 }`.
    static func decodeSampling(_ r: MappingReader) throws(LessonError) -> BatchSampling {
        guard let value = r.value("sampling") else { return .random }
        var kindValue = value
        var classes: (Int, SourceLocation)?
        if case .mapping = value {
            let s = try MappingReader(value, context: "sampling", knownKeys: samplingKeys)
            guard let k = s.value("kind") else {
                throw LessonError(s.location, "'sampling' has no 'kind'", hint: "write sampling: { kind: class_sorted, classes_per_batch: 2 }")
            }
            kindValue = k
            if let count = try s.int("classes_per_batch") { classes = (count, s.keyLocation("classes_per_batch")) }
        }
        let kind = try MappingReader.string(kindValue, key: "sampling").lowercased()
        switch kind {
        case "random":
            if let (_, location) = classes {
                throw LessonError(location, "'classes_per_batch' is for kind: class_sorted", hint: "random batches draw from every class")
            }
            return .random
        case "class_sorted":
            let count = classes?.0 ?? 2
            if let (count, location) = classes, count != 1 && count != 2 {
                throw LessonError(location, "class-sorted batches draw from 1 or 2 classes (got \(count))", hint: "write classes_per_batch: 1 or 2")
            }
            return .classSorted(classesPerBatch: count)
        default:
            throw LessonError(kindValue.location, "unknown sampling '\(kind)'", hint: NearestName.hint(for: kind, in: ["random", "class_sorted"]))
        }
    }

    /// The opt-in probes: `weight_norms` (‖W‖ and η/‖W‖²), `train_eval_gap`, `initial_gradients`
    /// (the depth profile at step 0), `gamma_threshold` (the share of |γ| below it) and `eval_mode`.
    static func decodeOptInProbes(_ p: MappingReader, into probes: inout ProbeSettings) throws(LessonError) {
        probes.weightNorms = try p.bool("weight_norms") ?? false
        probes.trainEvalGap = try p.bool("train_eval_gap") ?? false
        probes.initialGradients = try p.bool("initial_gradients") ?? false
        probes.evalMode = try p.bool("eval_mode") ?? false
        if let threshold = try p.double("gamma_threshold") {
            guard threshold.isFinite && threshold > 0 else {
                throw LessonError(p.value("gamma_threshold")?.location ?? p.location,
                                  "'gamma_threshold' must be a positive number (got \(threshold))", hint: "write gamma_threshold: 0.1")
            }
            probes.gammaThreshold = threshold
        }
    }
}
