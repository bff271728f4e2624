// Experiment cells: YAML defaults plus named variants, each merged over the defaults and decoded
// into a plan for its kind. Every check that needs no data runs here, so a bad lesson fails with
// exit 2 before anything trains.

/// Parses one experiment cell.
enum ExperimentParser {
    /// Keys every kind accepts at the top of an experiment.
    static let commonKeys = ["name", "kind", "variants", "seed", "may_diverge"]

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
        let base = YAMLValue.mapping(entries.filter { !["name", "kind", "variants"].contains($0.key) }, location)
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
                if case .mapping(let changes, _) = overlay, let bad = changes.first(where: { ["name", "kind", "variants"].contains($0.key) }) {
                    throw LessonError(bad.keyLocation, "a variant cannot change '\(bad.key)'", hint: "set it at the top of the experiment")
                }
                guard case .mapping = overlay else {
                    throw LessonError(overlay.location, "variant '\(entry.key)' must be a mapping of changed fields",
                                      hint: "write \(entry.key): {} for a variant that changes nothing")
                }
                variants.append(try decodeVariant(name: entry.key, location: entry.keyLocation,
                                                  value: base.merged(with: overlay), kind: kind))
            }
        } else {
            variants.append(try decodeVariant(name: "default", location: fence, value: base, kind: kind))
        }
        return ExperimentSpec(name: name, kind: kind, location: fence, variants: variants)
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

    /// Names are identifiers so claims can mention them: a letter, then letters, digits, '_' or '-'.
    static func checkIdentifier(_ name: String, at location: SourceLocation, what: String) throws(LessonError) {
        let ok = name.first.map { $0.isLetter } == true
            && name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
        if !ok {
            throw LessonError(location, "\(what) '\(name)' is not a simple name",
                              hint: "use letters, digits or '_', starting with a letter")
        }
    }
}

/// Reads keys from a mapping without rejecting unknown ones (the variant decoder does that).
struct MappingReaderLoose {
    let entries: [YAMLEntry]
    func value(_ key: String) -> YAMLValue? { entries.last { $0.key == key }?.value }
}
