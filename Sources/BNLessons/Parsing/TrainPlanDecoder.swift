// Decodes a train experiment's (merged) YAML straight into the engine's TrainingConfig (plus the
// data request and min_steps, a TrainPlan) and checks it against the engine's
// own validation, with the error placed on the offending key.

import BNData
import BNEngine

enum TrainPlanDecoder {
    static let keys = ["data", "network", "optimizer", "batch_size", "ghost_batch_size", "steps", "min_steps",
                       "evaluation_interval", "train_evaluation_size", "probes", "frozen",
                       "train_mode_eval_batches"] + zooKeys
    static let dataKeys = ["dataset", "scaling", "train_size", "test_size", "noise", "arms", "classes", "feature_scales"]
    static let networkKeys = ["hidden", "activation", "batch_norm", "bias", "init", "init_std", "bn_epsilon",
                              "bn_momentum", "bn_noise"] + zooNetworkKeys
    static let optimizerKeys = ["name", "learning_rate", "momentum", "beta1", "beta2", "epsilon"]
    static let probeKeys = ["interval", "batch_size", "bins", "range", "units", "landscape"] + zooProbeKeys

    static let activations = Dictionary(uniqueKeysWithValues: Activation.allCases.map { ($0.rawValue, $0) })
    static let placements = Dictionary(uniqueKeysWithValues: BNPlacement.allCases.map { ($0.rawValue, $0) })
    static let scalings = Dictionary(uniqueKeysWithValues: InputScaling.allCases.map { ($0.rawValue, $0) })

    static func decode(_ r: MappingReader) throws(LessonError) -> TrainPlan {
        let seed = UInt64(max(0, try r.int("seed") ?? 1))
        guard let dataValue = r.value("data") else {
            throw LessonError(r.location, "the experiment has no 'data'", hint: "add data: { dataset: mnist, train_size: 10000 }")
        }
        let data = try decodeData(MappingReader(dataValue, context: "data", knownKeys: dataKeys), seed: seed)
        guard let networkValue = r.value("network") else {
            throw LessonError(r.location, "the experiment has no 'network'", hint: "add network: { hidden: [100, 100], activation: sigmoid }")
        }
        let networkReader = try MappingReader(networkValue, context: "network", knownKeys: networkKeys)
        let network = try decodeNetwork(networkReader)
        guard let optimizerValue = r.value("optimizer") else {
            throw LessonError(r.location, "the experiment has no 'optimizer'", hint: "add optimizer: { name: sgd, learning_rate: 0.1 }")
        }
        let optimizerReader = try MappingReader(optimizerValue, context: "optimizer", knownKeys: optimizerKeys)
        let optimizer = try decodeOptimizer(optimizerReader)
        guard let batchSize = try r.int("batch_size") else {
            throw LessonError(r.location, "the experiment has no 'batch_size'", hint: "add batch_size: 60")
        }
        guard let steps = try r.int("steps") else {
            throw LessonError(r.location, "the experiment has no 'steps'", hint: "add steps: 1000")
        }
        var probes = ProbeSettings(interval: 0)
        if let probeValue = r.value("probes") {
            let p = try MappingReader(probeValue, context: "probes", knownKeys: probeKeys)
            probes.interval = try p.int("interval") ?? 0
            probes.batchSize = try p.int("batch_size") ?? probes.batchSize
            probes.bins = try p.int("bins") ?? probes.bins
            if let range = try p.doubleList("range") {
                guard range.count == 2, range[0] < range[1] else {
                    throw LessonError(p.keyLocation("range"), "'range' must be two increasing numbers", hint: "write range: [-5, 5]")
                }
                probes.range = range[0]...range[1]
            }
            probes.units = try p.intList("units") ?? probes.units
            probes.landscapeMultipliers = (try p.doubleList("landscape") ?? []).map(Float.init)
            if probes.landscapeMultipliers.contains(where: { $0 <= 0 }) {
                throw LessonError(p.keyLocation("landscape"), "'landscape' step multipliers must be positive", hint: "write landscape: [0.5, 1, 2, 4]")
            }
            try decodeOptInProbes(p, into: &probes)
            if probes.interval < 0 || probes.batchSize < 2 || probes.bins < 1 {
                throw LessonError(p.location, "probe settings out of range", hint: "interval ≥ 0, batch_size ≥ 2, bins ≥ 1")
            }
        }
        var frozen = Set<FrozenParameter>()
        for name in try r.stringList("frozen") ?? [] {
            guard let parameter = FrozenParameter(rawValue: name) else {
                throw LessonError(r.keyLocation("frozen"), "cannot freeze '\(name)'",
                                  hint: NearestName.hint(for: name, in: FrozenParameter.allCases.map(\.rawValue)))
            }
            frozen.insert(parameter)
        }
        let evaluationInterval = try r.int("evaluation_interval") ?? max(1, steps / 20)
        let minSteps = try r.int("min_steps") ?? 1
        if evaluationInterval < 0 {
            throw LessonError(r.keyLocation("evaluation_interval"), "'evaluation_interval' must be ≥ 0 (got \(evaluationInterval))")
        }
        var config = TrainingConfig(network: network, optimizer: optimizer, batchSize: batchSize,
                                    ghostBatchSize: try r.int("ghost_batch_size"), steps: steps,
                                    evaluationInterval: evaluationInterval,
                                    trainEvaluationSize: try r.int("train_evaluation_size") ?? 2000,
                                    probes: probes, frozen: frozen,
                                    trainModeEvaluationBatchSizes: try r.intList("train_mode_eval_batches") ?? [], seed: seed)
        config.weightDecay = try decodeWeightDecay(r, optimizer: optimizer, optimizerReader: optimizerReader)
        config.sampling = try decodeSampling(r)
        let plan = TrainPlan(data: data, config: config, minSteps: max(1, minSteps))
        try validate(plan, r, optimizerReader: optimizerReader, networkReader: networkReader)
        return plan
    }

    /// The engine's checks, run now with the dataset's known size, the error placed on its key.
    private static func validate(_ plan: TrainPlan, _ r: MappingReader, optimizerReader: MappingReader,
                                 networkReader: MappingReader) throws(LessonError) {
        do {
            var config = plan.config(features: 1, classes: 1)
            config.sampling = .random  // checked by decodeSampling; the classes present are known only with the data
            try config.validate(trainCount: trainCount(plan.data), features: 1, classes: 1)
        } catch let error as ConfigurationError {
            let location: SourceLocation
            switch error.field {
            case "learning_rate": location = optimizerReader.value("learning_rate")?.location ?? optimizerReader.location
            case "layers", "network": location = networkReader.value("hidden")?.location ?? networkReader.location
            default: location = r.value(error.field)?.location ?? r.location
            }
            throw LessonError(location, "\(error.field): \(error.message)", hint: hint(for: error.field))
        } catch {
            throw LessonError(r.location, "\(error)")
        }
    }

    private static func hint(for field: String) -> String {
        switch field {
        case "batch_size": return "use a batch size between 2 and the training set size"
        case "steps": return "use steps: 1 or more"
        case "learning_rate": return "learning rates are positive, e.g. 0.1"
        case "ghost_batch_size": return "pick a ghost size of at least 2 that divides batch_size"
        default: return "see lessons/README.md for the allowed values"
        }
    }

    /// Examples in MNIST's training split.
    static let mnistTrainCount = 60_000

    /// The training examples `request` will load, known before loading: what sizes are checked against.
    static func trainCount(_ request: DataRequest) -> Int {
        request.trainSize ?? (request.dataset == "mnist" ? mnistTrainCount : DataCatalog.defaultSyntheticSize)
    }

    static func decodeData(_ d: MappingReader, seed: UInt64) throws(LessonError) -> DataRequest {
        guard let datasetValue = d.value("dataset") else {
            throw LessonError(d.location, "'data' has no 'dataset'", hint: "known: " + DataCatalog.names.joined(separator: ", "))
        }
        let dataset = try MappingReader.string(datasetValue, key: "dataset").lowercased()
        guard DataCatalog.names.contains(dataset) else {
            throw LessonError(datasetValue.location, "unknown dataset '\(dataset)'", hint: NearestName.hint(for: dataset, in: DataCatalog.names))
        }
        var request = DataRequest(dataset: dataset, scaling: dataset == "mnist" ? .scaled : .raw, seed: seed)
        request.scaling = try d.choice("scaling", scalings, what: "scaling") ?? request.scaling
        request.trainSize = try d.int("train_size")
        request.testSize = try d.int("test_size")
        for key in ["train_size", "test_size"] {
            if let size = try d.int(key), size < 1 {
                throw LessonError(d.keyLocation(key), "'\(key)' must be at least 1 (got \(size))")
            }
        }
        request.noise = try d.double("noise") ?? request.noise
        request.arms = try d.int("arms") ?? request.arms
        request.blobClasses = try d.int("classes") ?? request.blobClasses
        request.featureScales = try d.doubleList("feature_scales") ?? request.featureScales
        if dataset != "mnist", request.scaling == .scaled || request.scaling == .binarized {
            throw LessonError(d.keyLocation("scaling"), "scaling '\(request.scaling.rawValue)' is for MNIST pixels",
                              hint: "use raw or zscore for \(dataset)")
        }
        return request
    }

    static func decodeNetwork(_ n: MappingReader) throws(LessonError) -> NetworkSpec {
        let hidden = try n.intList("hidden") ?? [100]
        guard let activation = try n.choice("activation", activations, what: "activation") else {
            throw LessonError(n.location, "'network' has no 'activation'", hint: "known: " + Activation.allCases.map(\.rawValue).joined(separator: ", "))
        }
        let normalizations = try decodeNormalization(n, hidden: hidden)
        var bias: Bool?
        if let value = n.value("bias") {
            let s = try MappingReader.string(value, key: "bias").lowercased()
            switch s {
            case "auto": bias = nil
            case "true", "yes", "on": bias = true
            case "false", "no", "off": bias = false
            default: throw LessonError(value.location, "'bias' must be auto, true or false (got '\(s)')")
            }
        }
        var initialization = Initialization.pytorchDefault
        if let value = n.value("init") {
            let s = try MappingReader.string(value, key: "init")
            guard let named = Initialization.named(s, std: Float(try n.double("init_std") ?? 0.01)) else {
                throw LessonError(value.location, "unknown init '\(s)'", hint: NearestName.hint(for: s, in: Initialization.names))
            }
            initialization = named
        }
        var layers = zip(hidden, normalizations).map { width, norm in
            LayerSpec(outputs: width, activation: activation, placement: norm.placement, normalization: norm.kind,
                      hasBias: bias ?? !(norm.placement == .before && norm.kind.usesBatchStatistics))
        }
        try applyResidual(n, to: &layers, hidden: hidden)
        // The output layer: its width comes from the data's classes at run time.
        layers.append(LayerSpec(outputs: 0, activation: .identity, batchNorm: .none, hasBias: true))
        var spec = NetworkSpec(inputs: 0, layers: layers, initialization: initialization)
        spec.bnEpsilon = Float(try n.double("bn_epsilon") ?? 1e-5)
        spec.bnMomentum = Float(try n.double("bn_momentum") ?? 0.1)
        if try n.bool("bn_noise") == true { spec.bnNoise = BNNoise() }
        return spec
    }


    private static func decodeOptimizer(_ o: MappingReader) throws(LessonError) -> OptimizerSpec {
        let name = try o.string("name") ?? OptimizerKind.sgd.rawValue
        guard let lr = try o.double("learning_rate") else {
            throw LessonError(o.location, "the optimizer has no 'learning_rate'", hint: "add learning_rate: 0.1")
        }
        guard let kind = OptimizerKind(named: name) else {
            throw LessonError(o.value("name")?.location ?? o.location, "unknown optimizer '\(name)'",
                              hint: NearestName.hint(for: name, in: OptimizerKind.names))
        }
        return kind.spec(learningRate: Float(lr), momentum: Float(try o.double("momentum") ?? 0),
                         beta1: Float(try o.double("beta1") ?? 0.9), beta2: Float(try o.double("beta2") ?? 0.999),
                         epsilon: Float(try o.double("epsilon") ?? 1e-8))
    }
}
