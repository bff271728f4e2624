// Runs each case of a reference file through the engine: normalization layers, optimizers and small MLPs.

import BNEngine
import BNFiles
import Foundation

public enum ReferenceCheck {
    /// The tolerance `bnlab verify` applies: |a − b| ≤ tolerance · max(1, |b|).
    public static let tolerance = 1e-4

    /// The case kinds this checker reads.
    public static let kinds = ["batchnorm", "layernorm", "groupnorm", "batchrenorm", "optimizer", "mlp_sgd"]

    /// Larger files are refused before they are read (the shipped ones are 1–2 MB).
    public static let maximumFileSize = 64 << 20

    /// Checks every case in the file at `url`.
    public static func run(fileAt url: URL) throws -> [ReferenceCaseResult] {
        let bytes: [UInt8]
        do { bytes = try InputFile.read(url.path, limit: maximumFileSize) } catch {
            throw ReferenceFileError(location: url.path, message: error.message)
        }
        return try run(data: Data(bytes), source: url.lastPathComponent)
    }

    /// Checks every case in an in-memory reference file.
    public static func run(data: Data, source: String = "reference") throws -> [ReferenceCaseResult] {
        let decoded: Any
        do { decoded = try JSONSerialization.jsonObject(with: data) } catch {
            throw ReferenceFileError(location: source, message: "not valid JSON (\(error.localizedDescription))")
        }
        let root = JSONNode(value: decoded, path: source)
        let format = try root.field("format").string()
        guard format == "bnlab-reference-v1" else {
            throw ReferenceFileError(location: "\(source).format", message: "unknown format '\(format)', expected 'bnlab-reference-v1'")
        }
        let cases = try root.field("cases").array()
        guard !cases.isEmpty else { throw ReferenceFileError(location: "\(source).cases", message: "has no cases: nothing to check") }
        return try cases.map { node in
            let name = (try? node.field("name").string()) ?? node.path
            let path = "case '\(name)'"
            let namedCase = JSONNode(value: node.value, path: path, caseRoot: path)
            let kind = try namedCase.field("kind").string()
            var tally = ErrorTally()
            switch kind {
            case "batchnorm": try checkBatchNorm(namedCase, &tally)
            case "layernorm": try checkPerExampleNormalization(namedCase, &tally, groupsField: false)
            case "groupnorm": try checkPerExampleNormalization(namedCase, &tally, groupsField: true)
            case "batchrenorm": try checkBatchRenorm(namedCase, &tally)
            case "optimizer": try checkOptimizer(namedCase, &tally)
            case "mlp_sgd": try checkMLP(namedCase, &tally)
            default:
                throw ReferenceFileError(location: "\(path).kind", message: "unknown kind '\(kind)' (expected \(kinds.joined(separator: ", ")))")
            }
            guard tally.comparedValues > 0 else { throw ReferenceFileError(location: path, message: "compares nothing") }
            return ReferenceCaseResult(name: name, kind: kind, maxAbsoluteError: tally.maxAbsolute,
                                       maxRelativeError: tally.maxRelative, maxScaledError: tally.maxScaled,
                                       worstField: tally.worstField, comparedValues: tally.comparedValues,
                                       passed: tally.maxScaled <= tolerance)
        }
    }

    static func floats(_ v: [Double]) -> [Float] { v.map(Float.init) }
    static func doubles(_ t: Tensor) -> [Double] { t.values.map(Double.init) }

    /// The m × n matrix at `node` as a tensor (nil rows = any number).
    static func tensor(_ node: JSONNode, rows: Int? = nil, columns n: Int) throws -> Tensor {
        let values = try node.matrix(rows: rows, columns: n)
        return Tensor(rows: values.count / n, columns: n, values: floats(values))
    }

    /// A positive whole number.
    static func count(_ node: JSONNode) throws -> Int {
        let k = try node.int()
        guard k >= 1 else { throw ReferenceFileError(location: node.path, message: "must be at least 1 (got \(k))") }
        return k
    }

    // MARK: batchnorm

    private static func checkBatchNorm(_ c: JSONNode, _ tally: inout ErrorTally) throws {
        let n = try c.field("gamma").vector().count
        guard n >= 1 else { throw ReferenceFileError(location: "\(c.path).gamma", message: "is empty") }
        let bn = BatchNorm(features: n, epsilon: Float(try c.field("eps").number()), momentum: Float(try c.field("momentum").number()))
        try checkWithRunningStatistics(c, &tally, layer: bn, name: "BN",
                                       statistics: [("running_mean", bn.runningMean), ("running_var", bn.runningVariance)])
    }

    /// A normalization with running statistics (BN, Batch Renorm), checked the same way: γ, β and the
    /// running statistics set from the case; a train-mode step on every batch (the first one also
    /// backward, compared in full); the running statistics after all batches; eval mode on the probe.
    /// `firstBatchExtras` names further per-feature values to compare after the first batch.
    static func checkWithRunningStatistics(_ c: JSONNode, _ tally: inout ErrorTally, layer: any Normalization, name: String,
                                           statistics: [(field: String, tensor: Tensor)],
                                           firstBatchExtras: (NormalizationCache) -> [(field: String, values: [Double])] = { _ in [] }) throws {
        let n = layer.features
        for (field, target) in [("gamma", layer.gamma.value), ("beta", layer.beta.value)] + statistics {
            target.copy(from: floats(try c.field(field).vector(count: n)))
        }
        let batchNodes = try c.field("batches").array()
        guard !batchNodes.isEmpty else { throw ReferenceFileError(location: "\(c.path).batches", message: "is empty") }
        let batches = try batchNodes.map { try tensor($0, columns: n) }
        let expect = try c.field("expect")
        for (index, x) in batches.enumerated() {
            let m = x.rows
            guard m >= 2 else { throw ReferenceFileError(location: "\(c.path).batches[\(index)]", message: "\(name) in train mode needs at least 2 rows") }
            let y = Tensor(rows: m, columns: n), cache = layer.makeCache(rows: m)
            layer.forward(x, into: y, rows: m, mode: .train(ghostSize: m, updateRunningStatistics: true), cache: cache)
            guard index == 0 else { continue }
            let first = try expect.field("first_batch")
            try tally.compare(doubles(y), first.field("y"))
            let dy = try tensor(try c.field("dy"), rows: m, columns: n)
            let dx = Tensor(rows: m, columns: n)
            layer.backward(dy, into: dx, rows: m, cache: cache)
            try tally.compare(doubles(dx), first.field("dx"))
            try tally.compare(doubles(layer.gamma.gradient), first.field("dgamma"))
            try tally.compare(doubles(layer.beta.gradient), first.field("dbeta"))
            for (field, values) in firstBatchExtras(cache) { try tally.compare(values, first.field(field)) }
            for (field, tensor) in statistics { try tally.compare(doubles(tensor), first.field(field)) }
        }
        let after = try expect.field("after_all_batches")
        for (field, tensor) in statistics { try tally.compare(doubles(tensor), after.field(field)) }
        let probe = try tensor(try c.field("probe"), columns: n)
        let out = Tensor(rows: probe.rows, columns: n)
        layer.forward(probe, into: out, rows: probe.rows, mode: .eval, cache: layer.makeCache(rows: probe.rows))
        try tally.compare(doubles(out), expect.field("probe_eval"))
    }

    // MARK: optimizer

    private static func checkOptimizer(_ c: JSONNode, _ tally: inout ErrorTally) throws {
        let name = try c.field("optimizer").string()
        let hyper = try c.field("hyper")
        func h(_ key: String, _ fallback: Double) throws -> Float { Float(try hyper.optionalField(key)?.number() ?? fallback) }
        let lr = Float(try hyper.field("lr").number())
        guard let spec = OptimizerKind(named: name)?.spec(learningRate: lr, momentum: try h("momentum", 0), beta1: try h("beta1", 0.9),
                                             beta2: try h("beta2", 0.999), epsilon: try h("eps", 1e-8)) else {
            throw ReferenceFileError(location: "\(c.path).optimizer", message: "unknown optimizer '\(name)' (expected \(OptimizerKind.names.joined(separator: ", ")))")
        }
        let initial = try c.field("params").vector()
        guard !initial.isEmpty else { throw ReferenceFileError(location: "\(c.path).params", message: "is empty") }
        let parameter = Parameter(name: "params", rows: 1, columns: initial.count)
        parameter.value.copy(from: floats(initial))
        // weight_decay: coupled L2 for sgd/adam/adamax, decoupled for adamw (PyTorch's meaning of the same name).
        let decay = try h("weight_decay", name.lowercased() == "adamw" ? 0.01 : 0)  // PyTorch's defaults
        guard decay.isFinite && decay >= 0 else {
            throw ReferenceFileError(location: "\(c.path).hyper.weight_decay", message: "must be a number ≥ 0 (got \(decay))")
        }
        let optimizer = Optimizer(spec, parameters: [parameter], weightDecay: WeightDecay(rate: decay, scope: .all))
        let expected = try c.field("expect").field("params_after_each_step").array()
        let grads = try c.field("grads").array()
        guard !grads.isEmpty else { throw ReferenceFileError(location: "\(c.path).grads", message: "is empty: no step to check") }
        guard grads.count == expected.count else {
            throw ReferenceFileError(location: "\(c.path).expect.params_after_each_step", message: "has \(expected.count) entries for \(grads.count) grads")
        }
        for (g, e) in zip(grads, expected) {
            parameter.gradient.copy(from: floats(try g.vector(count: initial.count)))
            optimizer.step()
            try tally.compare(doubles(parameter.value), e)
        }
    }

    // MARK: mlp_sgd

    private static func checkMLP(_ c: JSONNode, _ tally: inout ErrorTally) throws {
        let layerNodes = try c.field("layers").array()
        guard !layerNodes.isEmpty else { throw ReferenceFileError(location: "\(c.path).layers", message: "is empty") }
        var specs = [LayerSpec]()
        var weights = [(Tensor, [Double]?)]()
        var inputs: Int?
        for node in layerNodes {
            let layerInputs = try count(node.field("inputs")), outputs = try count(node.field("outputs"))
            if let previous = specs.last?.outputs, layerInputs != previous {
                throw ReferenceFileError(location: "\(node.path).inputs", message: "is \(layerInputs), but the layer before has \(previous) outputs")
            }
            if inputs == nil { inputs = layerInputs }
            let activationName = try node.field("activation").string()
            guard let activation = Activation(rawValue: activationName) else {
                throw ReferenceFileError(location: "\(node.path).activation", message: "unknown activation '\(activationName)'")
            }
            let bnName = try node.field("batchnorm").string()
            guard let placement = BNPlacement(rawValue: bnName) else {
                throw ReferenceFileError(location: "\(node.path).batchnorm", message: "unknown placement '\(bnName)' (none, before or after)")
            }
            let weight = try tensor(try node.field("weight"), rows: outputs, columns: layerInputs)
            let bias = try node.optionalField("bias").map { try $0.vector(count: outputs) }
            specs.append(LayerSpec(outputs: outputs, activation: activation, batchNorm: placement, hasBias: bias != nil))
            weights.append((weight, bias))
        }
        guard let inputCount = inputs else { throw ReferenceFileError(location: "\(c.path).layers", message: "is empty") }
        let spec = NetworkSpec(inputs: inputCount, layers: specs, bnEpsilon: Float(try c.field("bn_eps").number()),
                               bnMomentum: Float(try c.field("bn_momentum").number()))
        let network = Network(spec, seed: 0)
        for (layer, (weight, bias)) in zip(network.layers, weights) {
            layer.dense.setWeights(weight.values)
            if let bias { layer.dense.bias?.value.copy(from: floats(bias)) }
        }
        let optimizer = Optimizer(.sgd(learningRate: Float(try c.field("lr").number())), parameters: network.parameters)
        let usesBN = specs.contains { $0.placement != .none }
        var losses = [Double]()
        let batches = try c.field("batches").array()
        guard !batches.isEmpty else { throw ReferenceFileError(location: "\(c.path).batches", message: "is empty: no step to check") }
        for batch in batches {
            let x = try tensor(try batch.field("x"), columns: inputCount)
            if usesBN && x.rows < 2 {
                throw ReferenceFileError(location: "\(batch.path).x", message: "BN in train mode needs at least 2 rows")
            }
            let labels = try batch.field("labels").array().map { try $0.int() }
            guard labels.count == x.rows else { throw ReferenceFileError(location: "\(batch.path).labels", message: "has \(labels.count) labels for \(x.rows) rows") }
            if let bad = labels.first(where: { $0 < 0 || $0 >= network.classes }) {
                throw ReferenceFileError(location: "\(batch.path).labels", message: "label \(bad) is outside 0..<\(network.classes)")
            }
            let workspace = Workspace(network: network, capacity: x.rows)
            workspace.input.copy(from: x)
            for (i, label) in labels.enumerated() { workspace.labels[i] = Int32(label) }
            network.forward(workspace, rows: x.rows, mode: .train(ghostSize: nil))
            let (loss, _) = SoftmaxCrossEntropy.evaluate(logits: workspace.logits, labels: workspace.labels, rows: x.rows,
                                                         gradient: workspace.logitsGradient)
            losses.append(loss)
            network.backward(workspace, rows: x.rows)
            optimizer.step()
        }
        let expect = try c.field("expect")
        try tally.compare(losses, expect.field("loss_per_step"))
        let finalLayers = try expect.field("final_linear_layers").array()
        guard finalLayers.count == network.layers.count else {
            throw ReferenceFileError(location: "\(c.path).expect.final_linear_layers",
                                     message: "has \(finalLayers.count) layers, the case's network has \(network.layers.count)")
        }
        for (layer, node) in zip(network.layers, finalLayers) {
            try tally.compare(layer.dense.weights().map(Double.init), node.field("weight"))
            switch (layer.dense.bias, node.optionalField("bias")) {
            case let (bias?, expected?): try tally.compare(doubles(bias.value), expected)
            case (nil, nil): break
            case (.some, nil): throw ReferenceFileError(location: "\(node.path).bias", message: "is missing, but the layer has a bias")
            case (nil, .some): throw ReferenceFileError(location: "\(node.path).bias", message: "is given, but the layer has no bias")
            }
        }
        let probe = try tensor(try c.field("probe"), columns: inputCount)
        let workspace = Workspace(network: network, capacity: probe.rows)
        workspace.input.copy(from: probe)
        network.forward(workspace, rows: probe.rows, mode: .eval)
        try tally.compare(doubles(workspace.logits), expect.field("probe_eval_logits"))
    }
}
