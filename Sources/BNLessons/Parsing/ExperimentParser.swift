// Experiment cells: YAML defaults plus named variants, each merged over the defaults and decoded
// into a plan for its kind. Every check that needs no data runs here, so a bad lesson fails with
// exit 2 before anything trains.

/// Parses one experiment cell.
enum ExperimentParser {
    /// Keys every kind accepts at the top of an experiment.
    static let commonKeys = ["name", "kind", "variants", "seed", "may_diverge"]
    /// Keys only the top of an experiment has: its dimensions.
    static let dimensionKeys = ["seeds", "sweep"]
    /// At most this many seeds in `seeds`.
    static let maximumSeeds = 10
    /// At most this many values in a sweep.
    static let maximumSweepValues = 40
    /// At most this many runs (variants × sweep values × seeds) in one experiment.
    static let maximumRuns = 64
    /// Short forms of swept fields in variant names; other fields use their last key.
    static let sweepAbbreviations = ["learning_rate": "lr", "batch_size": "bs", "ghost_batch_size": "g", "weight_decay": "wd",
                                     "momentum": "mom", "bn_momentum": "bnm", "bn_epsilon": "eps", "train_size": "n"]

    static func parse(_ text: String, firstLine: Int, fence: SourceLocation) throws(LessonError) -> ExperimentSpec {
        guard let root = try YAMLValue.parse(text, firstLine: firstLine) else {
            throw LessonError(fence, "empty experiment cell", hint: "give at least a name, data, network, optimizer, batch_size and steps")
        }
        guard case .mapping(let entries, let location) = root else {
            throw LessonError(root.location, "an experiment must be a YAML mapping, got \(root.typeName)")
        }
        let top = MappingReaderLoose(entries: entries)
        guard let nameValue = top.value("name") else {
            throw LessonError(fence, "the experiment has no name", hint: "add 'name: something' so plots and claims can refer to it")
        }
        let name = try MappingReader.string(nameValue, key: "name")
        try checkIdentifier(name, at: nameValue.location, what: "experiment name")
        var kind = ExperimentKind.train
        if let kindValue = top.value("kind") {
            let s = try MappingReader.string(kindValue, key: "kind")
            guard let k = ExperimentKind(rawValue: s) else {
                throw LessonError(kindValue.location, "unknown experiment kind '\(s)'",
                                  hint: NearestName.hint(for: s, in: ExperimentKind.allCases.map(\.rawValue)))
            }
            kind = k
        }
        let base = YAMLValue.mapping(entries.filter { !(["name", "kind", "variants"] + dimensionKeys).contains($0.key) }, location)
        let seeds = try parseSeeds(top, entries: entries, kind: kind)
        var sweepField = try parseSweep(top, entries: entries, kind: kind)
        var variants: [VariantSpec] = []
        if let variantsValue = top.value("variants") {
            guard case .mapping(let list, _) = variantsValue, !list.isEmpty else {
                throw LessonError(variantsValue.location, "'variants' must map variant names to their changes",
                                  hint: "write e.g. variants: { plain: {}, bn: { network: { batch_norm: before } } }")
            }
            for entry in list {
                try checkIdentifier(entry.key, at: entry.keyLocation, what: "variant name")
                if variants.contains(where: { $0.name == entry.key }) {
                    throw LessonError(entry.keyLocation, "variant '\(entry.key)' is declared twice")
                }
                var overlay = entry.value
                if case .scalar(let s, _, let l) = overlay, s.isEmpty || s == "~" || s == "null" { overlay = .mapping([], l) }
                if case .mapping(let changes, _) = overlay, let bad = changes.first(where: { (["name", "kind", "variants"] + dimensionKeys).contains($0.key) }) {
                    throw LessonError(bad.keyLocation, "a variant cannot change '\(bad.key)'", hint: "set it at the top of the experiment")
                }
                if !seeds.isEmpty, case .mapping(let changes, _) = overlay, let bad = changes.first(where: { $0.key == "seed" }) {
                    throw LessonError(bad.keyLocation, "a variant of an experiment with 'seeds' cannot set its own seed",
                                      hint: "every variant runs at every seed of 'seeds'")
                }
                guard case .mapping = overlay else {
                    throw LessonError(overlay.location, "variant '\(entry.key)' must be a mapping of changed fields",
                                      hint: "write \(entry.key): {} for a variant that changes nothing")
                }
                variants.append(contentsOf: try expand(name: entry.key, location: entry.keyLocation, base: base, overlay: overlay,
                                                       sweep: sweepField, kind: kind))
            }
        } else {
            variants.append(contentsOf: try expand(name: "default", location: fence, base: base, overlay: .mapping([], fence),
                                                   sweep: sweepField, kind: kind))
        }
        var names = Set<String>()
        for variant in variants where !names.insert(variant.name).inserted {
            throw LessonError(variant.location, "the sweep names a variant '\(variant.name)', which is already declared",
                              hint: "rename the variant")
        }
        let runs = variants.count * max(1, seeds.count)
        if runs > maximumRuns {
            let at = sweepField?.location ?? top.value("seeds")?.location ?? fence
            throw LessonError(at, "this experiment makes \(runs) runs (variants × sweep values × seeds); the limit is \(maximumRuns)",
                              hint: "use fewer variants, values or seeds")
        }
        sweepField?.baseVariants = Array(distinctInOrder(variants.map(\.base)))
        return ExperimentSpec(name: name, kind: kind, location: fence, variants: variants, seeds: seeds, sweep: sweepField?.sweep)
    }

    /// `seeds: [1, 2, 3]`: 1…`maximumSeeds` distinct whole numbers ≥ 0, train experiments only, not with `seed`.
    private static func parseSeeds(_ top: MappingReaderLoose, entries: [YAMLEntry], kind: ExperimentKind) throws(LessonError) -> [UInt64] {
        guard let value = top.value("seeds") else { return [] }
        guard kind == .train else {
            throw LessonError(value.location, "'seeds' is for train experiments", hint: "a \(kind.rawValue) experiment runs once; use 'seed'")
        }
        if let seed = entries.last(where: { $0.key == "seed" }) {
            throw LessonError(seed.keyLocation, "an experiment has 'seed' or 'seeds', not both", hint: "drop 'seed'; every variant runs at each of 'seeds'")
        }
        guard case .sequence(let items, _) = value, !items.isEmpty else {
            throw LessonError(value.location, "'seeds' must be a list of seeds", hint: "write seeds: [1, 2, 3]")
        }
        if items.count > maximumSeeds {
            throw LessonError(items[maximumSeeds].location, "'seeds' lists \(items.count) seeds; at most \(maximumSeeds)",
                              hint: "three to five seeds show whether a result holds")
        }
        var seeds: [UInt64] = []
        for item in items {
            let seed = try MappingReader.int(item, key: "seeds")
            guard seed >= 0 else { throw LessonError(item.location, "a seed must be 0 or more (got \(seed))", hint: "write seeds: [1, 2, 3]") }
            if seeds.contains(UInt64(seed)) {
                throw LessonError(item.location, "seed \(seed) is listed twice", hint: "each seed runs once")
            }
            seeds.append(UInt64(seed))
        }
        return seeds
    }

    /// The sweep while variants are expanded: the field path, its value nodes and what the spec keeps.
    struct SweepField {
        var path: [String]
        var items: [YAMLValue]
        var sweep: Sweep
        var location: SourceLocation
        var baseVariants: [String] {
            get { sweep.baseVariants }
            set { sweep.baseVariants = newValue }
        }
    }

    /// `sweep: { optimizer.learning_rate: [1e-4, 1e-3, 0.01] }`: one field, 1…`maximumSweepValues` distinct numbers.
    private static func parseSweep(_ top: MappingReaderLoose, entries: [YAMLEntry], kind: ExperimentKind) throws(LessonError) -> SweepField? {
        guard let value = top.value("sweep") else { return nil }
        guard kind == .train else {
            throw LessonError(value.location, "'sweep' is for train experiments", hint: "write the values as variants")
        }
        guard case .mapping(let fields, _) = value, fields.count == 1, let field = fields.first else {
            throw LessonError(value.location, "'sweep' must map one field to its values",
                              hint: "write sweep: { optimizer.learning_rate: [0.001, 0.01, 0.1] }")
        }
        let path = field.key.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let topKeys = TrainPlanDecoder.keys
        guard (1...2).contains(path.count), path.allSatisfy({ !$0.isEmpty }), topKeys.contains(path[0]) else {
            throw LessonError(field.keyLocation, "cannot sweep '\(field.key)'",
                              hint: "sweep a field of the experiment, e.g. optimizer.learning_rate, batch_size, weight_decay, ghost_batch_size or network.bn_momentum")
        }
        guard case .sequence(let items, let listLocation) = field.value, !items.isEmpty else {
            throw LessonError(field.value.location, "a sweep's values must be a list of numbers", hint: "write \(field.key): [0.001, 0.01, 0.1]")
        }
        if items.count > maximumSweepValues {
            throw LessonError(items[maximumSweepValues].location, "the sweep lists \(items.count) values; at most \(maximumSweepValues)",
                              hint: "sweep fewer values")
        }
        var values: [Double] = []
        for item in items {
            let v = try MappingReader.double(item, key: field.key)
            guard v.isFinite else { throw LessonError(item.location, "a swept value must be a finite number", hint: "write \(field.key): [0.001, 0.01, 0.1]") }
            if values.contains(v) { throw LessonError(item.location, "\(formatNumber(v)) is swept twice", hint: "each value runs once") }
            values.append(v)
        }
        let name = path[path.count - 1]
        let sweep = Sweep(path: field.key, name: name, abbreviation: sweepAbbreviations[name] ?? name, values: values,
                          baseVariants: [], location: listLocation)
        return SweepField(path: path, items: items, sweep: sweep, location: field.keyLocation)
    }

    /// One written variant: itself, or one variant per swept value.
    private static func expand(name: String, location: SourceLocation, base: YAMLValue, overlay: YAMLValue, sweep: SweepField?,
                               kind: ExperimentKind) throws(LessonError) -> [VariantSpec] {
        let merged = base.merged(with: overlay)
        guard let sweep else {
            return [try decodeVariant(name: name, location: location, value: merged, kind: kind)]
        }
        if let set = sweep.path.count > 0 ? lookup(overlay, sweep.path) : nil {
            throw LessonError(set, "variant '\(name)' sets \(sweep.sweep.path), which the sweep sets", hint: "drop it from the variant")
        }
        var out: [VariantSpec] = []
        for (item, value) in zip(sweep.items, sweep.sweep.values) {
            // The value goes in where the variant would have written it, so the same decoder checks it (and errors point at it).
            var node = item
            for key in sweep.path.dropFirst().reversed() { node = .mapping([YAMLEntry(key: key, keyLocation: item.location, value: node)], item.location) }
            let set = YAMLValue.mapping([YAMLEntry(key: sweep.path[0], keyLocation: item.location, value: node)], item.location)
            let variantName = sweep.sweep.variantName(base: name, value: value)
            var spec = try decodeVariant(name: variantName, location: location, value: merged.merged(with: set), kind: kind)
            spec.base = name
            spec.sweepValue = value
            out.append(spec)
        }
        return out
    }

    /// Where `value` sets the field at `path`, if it does.
    private static func lookup(_ value: YAMLValue, _ path: [String]) -> SourceLocation? {
        guard let first = path.first, case .mapping(let entries, _) = value, let entry = entries.last(where: { $0.key == first }) else { return nil }
        return path.count == 1 ? entry.keyLocation : lookup(entry.value, Array(path.dropFirst()))
    }

    private static func decodeVariant(name: String, location: SourceLocation, value: YAMLValue,
                                      kind: ExperimentKind) throws(LessonError) -> VariantSpec {
        let plan: VariantPlan
        let mayDiverge: Bool
        switch kind {
        case .train:
            let reader = try MappingReader(value, context: "experiment", knownKeys: commonKeys + TrainPlanDecoder.keys)
            plan = .train(try TrainPlanDecoder.decode(reader))
            mayDiverge = try reader.bool("may_diverge") ?? false
        case .transform:
            let reader = try MappingReader(value, context: "transform experiment", knownKeys: commonKeys + TransformPlanDecoder.keys)
            plan = .transform(try TransformPlanDecoder.decode(reader))
            mayDiverge = false
        case .batchNoise:
            let reader = try MappingReader(value, context: "batch_noise experiment", knownKeys: commonKeys + BatchNoisePlanDecoder.keys)
            plan = .batchNoise(try BatchNoisePlanDecoder.decode(reader))
            mayDiverge = false
        }
        return VariantSpec(name: name, location: location, mayDiverge: mayDiverge, plan: plan)
    }

    /// The longest name an experiment, a variant or a lesson may have: it is typed in claims and on
    /// the command line, and shown in keys and legends.
    static let maximumIdentifierLength = 40

    /// A name is ASCII letters, digits and '_', starting with a letter: claims and command lines type
    /// it, and an ASCII screen shows it as it is.
    static func checkIdentifier(_ name: String, at location: SourceLocation, what: String) throws(LessonError) {
        let ok = name.first.map { $0.isASCII && $0.isLetter } == true
            && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
        if !ok {
            throw LessonError(location, "\(what) '\(name)' is not a simple name",
                              hint: "use the letters a-z and A-Z, digits or '_', starting with a letter")
        }
        if name.count > maximumIdentifierLength {
            throw LessonError(location, "\(what) '\(name.prefix(maximumIdentifierLength))…' is \(name.count) characters long; the limit is \(maximumIdentifierLength)",
                              hint: "shorten it")
        }
    }
}

/// The distinct elements of a list, in first-seen order.
private func distinctInOrder(_ items: [String]) -> [String] {
    var seen = Set<String>()
    return items.filter { seen.insert($0).inserted }
}

/// Reads keys from a mapping without rejecting unknown ones (the variant decoder does that).
struct MappingReaderLoose {
    let entries: [YAMLEntry]
    func value(_ key: String) -> YAMLValue? { entries.last { $0.key == key }?.value }
}
