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
        let seed = try decodeSeed(r)
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
        // The default units, less those past every layer (which no probe records anyway); units a
        // lesson lists are checked, not filtered.
        let widest = max(network.layers.map(\.outputs).max() ?? 0, classCount(data))
        probes.units = probes.units.filter { $0 < widest }
        var probeReader: MappingReader?
        if let probeValue = r.value("probes") {
            let p = try MappingReader(probeValue, context: "probes", knownKeys: probeKeys)
            probeReader = p
            probes.interval = try p.int("interval") ?? 0
            probes.batchSize = try p.int("batch_size") ?? probes.batchSize
            probes.bins = try p.int("bins") ?? probes.bins
            if let range = try p.doubleList("range") {
                guard range.count == 2, range[0] < range[1] else {
                    throw LessonError(p.value("range")?.location ?? p.location, "'range' must be two increasing numbers (got \(range))",
                                      hint: "write range: [-5, 5]")
                }
                probes.range = range[0]...range[1]
            }
            probes.units = try p.intList("units") ?? probes.units
            probes.landscapeMultipliers = (try p.doubleList("landscape") ?? []).map(Float.init)
            try decodeOptInProbes(p, into: &probes)
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
        if !(1...TrainingConfig.maximumSteps).contains(minSteps) {
            throw LessonError(r.value("min_steps")?.location ?? r.location,
                              "'min_steps' must be in 1…\(TrainingConfig.maximumSteps) (got \(minSteps))",
                              hint: "min_steps is the fewest steps --scale may shrink this run to, e.g. min_steps: 200")
        }
        var config = TrainingConfig(network: network, optimizer: optimizer, batchSize: batchSize,
                                    ghostBatchSize: try r.int("ghost_batch_size"), steps: steps,
                                    evaluationInterval: evaluationInterval,
                                    trainEvaluationSize: try r.int("train_evaluation_size") ?? 2000,
                                    probes: probes, frozen: frozen,
                                    trainModeEvaluationBatchSizes: try r.intList("train_mode_eval_batches") ?? [], seed: seed)
        config.weightDecay = try decodeWeightDecay(r, optimizer: optimizer, optimizerReader: optimizerReader)
        config.sampling = try decodeSampling(r)
        let plan = TrainPlan(data: data, config: config, minSteps: minSteps)
        let readers = ["optimizer": optimizerReader, "network": networkReader, "probes": probeReader]
        try validate(plan, r, readers: readers.compactMapValues { $0 })
        return plan
    }

    /// The engine's checks (``TrainingConfig/validate(trainCount:features:classes:testCount:)``), run
    /// now with the dataset's known size and classes, the error placed on its key. The engine names
    /// a field by its key (`steps`) or its mapping and key (`network.bn_momentum`).
    private static func validate(_ plan: TrainPlan, _ r: MappingReader, readers: [String: MappingReader]) throws(LessonError) {
        let classes = classCount(plan.data)
        do {
            // Every check, sampling included: class-sorted batches need their classes, and the class count is known here.
            let config = plan.config(features: 1, classes: classes)
            try config.validate(trainCount: trainCount(plan.data), features: 1, classes: classes)
        } catch let error as ConfigurationError {
            var reader = r, key = error.field
            switch error.field {
            case "learning_rate": reader = readers["optimizer"] ?? r
            case "layers", "network": (reader, key) = (readers["network"] ?? r, "hidden")
            default:
                let parts = error.field.split(separator: ".", maxSplits: 1).map(String.init)
                if parts.count == 2 { (reader, key) = (readers[parts[0]] ?? r, parts[1]) }
            }
            throw LessonError(reader.value(key)?.location ?? reader.location, "\(error.field): \(error.message)", hint: hint(for: error.field))
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
        case "train_mode_eval_batches": return "list batch sizes of at least 2, e.g. train_mode_eval_batches: [2, 8, 32]"
        case "network.bn_momentum": return "PyTorch's default is bn_momentum: 0.1"
        case "network.bn_epsilon": return "PyTorch's default is bn_epsilon: 1e-5"
        case "network.init_std": return "write e.g. init_std: 0.01"
        case "optimizer.momentum": return "typical: momentum: 0.9 (0 = plain SGD)"
        case "optimizer.beta1", "optimizer.beta2": return "Adam's defaults are beta1: 0.9, beta2: 0.999"
        case "optimizer.epsilon": return "Adam's default is epsilon: 1e-8"
        case "probes.units": return "list units inside the layers, counting from 0, e.g. units: [0, 1, 2, 3]"
        case "probes.range": return "write range: [-5, 5]"
        case "probes.bins": return "write e.g. bins: 40"
        case "probes.batch_size": return "write e.g. batch_size: 500"
        case "probes.landscape": return "write landscape: [0.5, 1, 2, 4]"
        default: return "see lessons/README.md for the allowed values"
        }
    }

    /// A seed: a whole number ≥ 0 (a negative one is an error, not clamped).
    static func decodeSeed(_ r: MappingReader) throws(LessonError) -> UInt64 {
        let seed = try r.int("seed") ?? 1
        guard seed >= 0 else {
            throw LessonError(r.value("seed")?.location ?? r.location, "'seed' must be 0 or more (got \(seed))", hint: "write e.g. seed: 1")
        }
        return UInt64(seed)
    }

    /// The classes `request` will have, known before loading: the output layer's width.
    static func classCount(_ request: DataRequest) -> Int {
        switch request.dataset {
        case "mnist": return 10
        case "spirals": return request.arms
        case "blobs": return request.blobClasses
        default: return 2
        }
    }

    /// The most hidden layers a lesson's network may have.
    static let maximumLayers = 64
    /// The most examples per split of a synthetic set.
    static let maximumSyntheticSize = 100_000
    /// The most classes (spiral arms, blobs) a synthetic set may have.
    static let maximumClasses = 100

    /// Examples in MNIST's training split.
    static let mnistTrainCount = 60_000
    /// Examples in MNIST's test split.
    static let mnistTestCount = 10_000

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
        for (key, mnistSize) in [("train_size", mnistTrainCount), ("test_size", mnistTestCount)] {
            let most = dataset == "mnist" ? mnistSize : maximumSyntheticSize
            if let size = try d.int(key), !(1...most).contains(size) {
                throw LessonError(d.value(key)?.location ?? d.location, "'\(key)' must be in 1…\(most) for \(dataset) (got \(size))",
                                  hint: dataset == "mnist" ? "MNIST has \(mnistTrainCount) training and \(mnistTestCount) test examples"
                                                           : "synthetic sets hold at most \(maximumSyntheticSize) examples per split")
            }
        }
        request.noise = try d.double("noise") ?? request.noise
        guard request.noise.isFinite, request.noise >= 0, request.noise <= 100 else {
            throw LessonError(d.value("noise")?.location ?? d.location, "'noise' must be in 0…100 (got \(request.noise))", hint: "write e.g. noise: 0.1")
        }
        request.arms = try d.int("arms") ?? request.arms
        request.blobClasses = try d.int("classes") ?? request.blobClasses
        for (key, value) in [("arms", request.arms), ("classes", request.blobClasses)] where !(2...maximumClasses).contains(value) {
            throw LessonError(d.value(key)?.location ?? d.location, "'\(key)' must be in 2…\(maximumClasses) (got \(value))",
                              hint: "write e.g. \(key): 3")
        }
        request.featureScales = try d.doubleList("feature_scales") ?? request.featureScales
        if request.featureScales.isEmpty || request.featureScales.count > 1000
            || !request.featureScales.allSatisfy({ $0.isFinite && $0 > 0 && $0 <= 1e6 }) {
            throw LessonError(d.value("feature_scales")?.location ?? d.location,
                              "'feature_scales' must list 1…1000 positive numbers of at most 1e6",
                              hint: "one stretch per feature, e.g. feature_scales: [1, 100]")
        }
        if dataset != "mnist", request.scaling == .scaled || request.scaling == .binarized {
            throw LessonError(d.keyLocation("scaling"), "scaling '\(request.scaling.rawValue)' is for MNIST pixels",
                              hint: "use raw or zscore for \(dataset)")
        }
        return request
    }

    static func decodeNetwork(_ n: MappingReader) throws(LessonError) -> NetworkSpec {
        let hidden = try n.intList("hidden") ?? [100]
        if hidden.count > maximumLayers {
            throw LessonError(n.value("hidden")?.location ?? n.location, "\(hidden.count) hidden layers; at most \(maximumLayers)",
                              hint: "a lesson's network has a few hidden layers, e.g. hidden: [100, 100]")
        }
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
        try applyInitScale(n, to: &layers, hidden: hidden)
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
