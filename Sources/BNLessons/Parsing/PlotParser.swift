// Plot cells: YAML naming a view, an experiment and what to show, checked against that experiment.

import BNEngine

enum PlotParser {
    static let keys = ["experiment", "view", "metric", "metrics", "variants", "layer", "layers", "stage", "stages", "unit", "step",
                       "log_y", "title", "height"]
    /// Rows a layers-view row of histograms gets by default: caption, three rows of bars, axis, range labels.
    static let layerRowHeight = 6

    static func parse(_ cell: RawCell, experiments: [String: ExperimentSpec], current: ExperimentSpec?) throws(LessonError) -> PlotSpec {
        guard let value = try YAMLValue.parse(cell.body, firstLine: cell.bodyLine) else {
            throw LessonError(cell.location, "empty plot cell", hint: "give at least view: curves and metric: test_accuracy")
        }
        let r = try MappingReader(value, context: "plot", knownKeys: keys)
        let experiment: ExperimentSpec
        if let name = try r.string("experiment") {
            guard let found = experiments[name] else {
                throw LessonError(r.value("experiment")?.location ?? r.location, "no experiment named '\(name)' above this plot",
                                  hint: NearestName.hint(for: name, in: experiments.keys))
            }
            experiment = found
        } else if let current {
            experiment = current
        } else {
            throw LessonError(cell.location, "this plot comes before any experiment", hint: "move it below the experiment it shows")
        }
        let views = Dictionary(uniqueKeysWithValues: PlotView.allCases.map { ($0.rawValue, $0) })
        guard let view = try r.choice("view", views, what: "plot view") else {
            throw LessonError(r.location, "the plot has no 'view'", hint: "views: " + PlotView.allCases.map(\.rawValue).joined(separator: ", "))
        }
        var metrics = try r.stringList("metrics") ?? []
        if let metric = try r.string("metric") { metrics.insert(metric, at: 0) }
        for metric in metrics where !experiment.knownMetrics.contains(metric) {
            throw LessonError(r.value(r.has("metric") ? "metric" : "metrics")?.location ?? r.location,
                              "unknown metric '\(metric)' in experiment '\(experiment.name)'",
                              hint: NearestName.hint(for: metric, in: experiment.knownMetrics))
        }
        let variants = try r.stringList("variants")
        for variant in variants ?? [] where !experiment.variantNames.contains(variant) {
            throw LessonError(r.value("variants")?.location ?? r.location, "unknown variant '\(variant)' in experiment '\(experiment.name)'",
                              hint: NearestName.hint(for: variant, in: experiment.variantNames))
        }
        func checkLayer(_ layer: Int, key: String) throws(LessonError) {
            guard layer < 1 || layer > experiment.layerCount else { return }
            throw LessonError(r.value(key)?.location ?? r.location, "experiment '\(experiment.name)' has no layer \(layer)",
                              hint: experiment.layerCount > 0 ? "its layers are 1…\(experiment.layerCount) (the last is the output layer)"
                                                              : "a \(experiment.kind.rawValue) experiment has no layers")
        }
        let layer = try r.int("layer")
        if let layer { try checkLayer(layer, key: "layer") }
        let layers = try r.intList("layers")
        for l in layers ?? [] { try checkLayer(l, key: "layers") }
        let stageNames = Dictionary(uniqueKeysWithValues: Stage.allCases.map { ($0.rawValue, $0) })
        let stage = try r.choice("stage", stageNames, what: "stage")
        var stages: [Stage] = []
        for name in try r.stringList("stages") ?? [] {
            guard let s = stageNames[name.lowercased()] else {
                throw LessonError(r.value("stages")?.location ?? r.location, "unknown stage '\(name)'",
                                  hint: NearestName.hint(for: name, in: stageNames.keys))
            }
            stages.append(s)
        }
        let unit = try r.int("unit")
        let probedUnits = experiment.probedUnits
        if let unit, experiment.kind == .train, !probedUnits.contains(unit) {
            throw LessonError(r.value("unit")?.location ?? r.location, "experiment '\(experiment.name)' records no percentiles of unit \(unit)",
                              hint: probedUnits.isEmpty ? "add probes: { units: [\(unit)] } to the experiment"
                                  : "its probed units are " + probedUnits.sorted().map(String.init).joined(separator: ", ")
                                    + " (probes: { units: [...] })")
        }
        switch view {
        case .curves, .bars:
            if metrics.isEmpty { throw LessonError(r.location, "a \(view.rawValue) plot needs a 'metric'", hint: "add metric: test_accuracy") }
        case .sweep:
            if metrics.isEmpty { throw LessonError(r.location, "a sweep plot needs a 'metric'", hint: "add metric: test_accuracy") }
            guard experiment.sweep != nil else {
                throw LessonError(r.keyLocation("view"), "experiment '\(experiment.name)' sweeps nothing",
                                  hint: "a sweep plot shows an experiment with sweep: { field: [values] }")
            }
        case .histogram, .heatmap, .percentiles:
            guard layer != nil else { throw LessonError(r.location, "a \(view.rawValue) plot needs a 'layer'", hint: "add layer: 1") }
        case .table, .layers:
            break
        }
        let height: Int
        if let given = try r.int("height") {
            guard (4...80).contains(given) else { throw LessonError(r.keyLocation("height"), "'height' must be 4…80 rows", hint: "write e.g. height: 12") }
            height = given
        } else {
            switch view {
            case .layers:
                // A title row, a row of variant names, then one block of histograms per layer and stage.
                let layerCount = layers?.count ?? max(1, experiment.layerCount - 1)
                height = 2 + layerCount * max(1, stages.count) * layerRowHeight
            case .histogram: height = 9
            default: height = 12
            }
        }
        return PlotSpec(location: cell.location, experiment: experiment.name, view: view, metrics: metrics, variants: variants,
                        layer: layer, stage: stage, unit: unit, step: try r.int("step"),
                        logY: try r.bool("log_y") ?? false, title: try r.string("title"), height: height,
                        layers: layers, stages: stages)
    }
}

enum PredictParser {
    static let keys = ["question", "options", "answer"]

    static func parse(_ cell: RawCell, experiment: ExperimentSpec) throws(LessonError) -> Predict {
        guard let value = try YAMLValue.parse(cell.body, firstLine: cell.bodyLine) else {
            throw LessonError(cell.location, "empty predict cell", hint: "give question, options and answer")
        }
        let r = try MappingReader(value, context: "predict", knownKeys: keys)
        guard let question = try r.string("question") else { throw LessonError(r.location, "the predict cell has no 'question'") }
        guard let options = try r.stringList("options"), options.count >= 2 else {
            throw LessonError(r.value("options")?.location ?? r.location, "a predict cell needs at least two 'options'")
        }
        if let duplicate = options.enumerated().first(where: { options[..<$0.offset].contains($0.element) })?.element {
            throw LessonError(r.value("options")?.location ?? r.location, "option '\(duplicate)' is listed twice",
                              hint: "give each option once")
        }
        guard let answerValue = r.value("answer") else {
            throw LessonError(r.location, "the predict cell has no 'answer' rule",
                              hint: "e.g. answer: highest final test_accuracy (the numbers pick the option)")
        }
        let answerText = try MappingReader.string(answerValue, key: "answer")
        let rule = try ClaimParser.answer(answerText, at: answerValue.location, context: ClaimContext(experiment))
        switch rule {
        case .highest, .lowest, .firstToReach:
            for option in options where !experiment.variantNames.contains(option) {
                throw LessonError(r.value("options")?.location ?? r.location, "option '\(option)' is not a variant of '\(experiment.name)'",
                                  hint: "this answer rule picks among variants: " + experiment.variantNames.joined(separator: ", "))
            }
        case .nearest:
            for option in options where leadingNumber(option) == nil {
                throw LessonError(r.value("options")?.location ?? r.location, "option '\(option)' does not start with a number",
                                  hint: "'nearest' picks the option whose leading number is closest to the value")
            }
        }
        return Predict(location: cell.location, experiment: experiment.name, question: question, options: options,
                       answer: rule, answerText: answerText)
    }

    /// The number an option starts with ("3 (one per feature)" → 3).
    static func leadingNumber(_ option: String) -> Double? {
        let prefix = option.prefix { $0.isNumber || $0 == "." || $0 == "-" || $0 == "e" }
        return Double(prefix)
    }
}
