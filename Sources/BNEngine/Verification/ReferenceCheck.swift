// Runs each case of a reference file through the engine: BN layers, optimizers and small MLPs.

import Foundation

public enum ReferenceCheck {
    /// The tolerance `bnlab verify` applies: |a − b| ≤ tolerance · max(1, |b|).
    public static let tolerance = 1e-4

    /// Checks every case in the file at `url`.
    public static func run(fileAt url: URL) throws -> [ReferenceCaseResult] {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw ReferenceFileError(location: url.path, message: "cannot read the file (\(error.localizedDescription))")
        }
        return try run(data: data, source: url.lastPathComponent)
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
        return try root.field("cases").array().map { node in
            let name = (try? node.field("name").string()) ?? node.path
            let namedCase = JSONNode(value: node.value, path: "case '\(name)'")
            let kind = try namedCase.field("kind").string()
            var tally = ErrorTally()
            switch kind {
            case "batchnorm": try checkBatchNorm(namedCase, &tally)
            case "optimizer": try checkOptimizer(namedCase, &tally)
            case "mlp_sgd": try checkMLP(namedCase, &tally)
            default:
                throw ReferenceFileError(location: "\(namedCase.path).kind", message: "unknown kind '\(kind)' (expected batchnorm, optimizer or mlp_sgd)")
            }
            return ReferenceCaseResult(name: name, kind: kind, maxAbsoluteError: tally.maxAbsolute,
                                       maxRelativeError: tally.maxRelative, maxScaledError: tally.maxScaled,
                                       worstField: tally.worstField, passed: tally.maxScaled <= tolerance)
        }
    }

    private static func floats(_ v: [Double]) -> [Float] { v.map(Float.init) }
    private static func doubles(_ t: Tensor) -> [Double] { t.values.map(Double.init) }

    private static func tensor(_ node: JSONNode, columns expected: Int? = nil) throws -> Tensor {
        let (rows, columns, values) = try node.matrix()
        if let expected, columns != expected {
            throw ReferenceFileError(location: node.path, message: "rows have \(columns) values, expected \(expected)")
        }
        return Tensor(rows: rows, columns: columns, values: floats(values))
    }

    // MARK: batchnorm

    private static func checkBatchNorm(_ c: JSONNode, _ tally: inout ErrorTally) throws {
        let gamma = try c.field("gamma").vector()
        let n = gamma.count
        let bn = BatchNorm(features: n, epsilon: Float(try c.field("eps").number()), momentum: Float(try c.field("momentum").number()))
        for (field, target) in [("gamma", bn.gamma.value), ("beta", bn.beta.value), ("running_mean", bn.runningMean), ("running_var", bn.runningVariance)] {
            let v = try c.field(field).vector()
            guard v.count == n else { throw ReferenceFileError(location: "\(c.path).\(field)", message: "has \(v.count) values, expected \(n)") }
            target.copy(from: floats(v))
        }
        let batches = try c.field("batches").array().map { try tensor($0, columns: n) }
        guard let first = batches.first else { throw ReferenceFileError(location: "\(c.path).batches", message: "is empty") }
        let expect = try c.field("expect")
        for (index, x) in batches.enumerated() {
            let m = x.rows
            guard m >= 2 else { throw ReferenceFileError(location: "\(c.path).batches[\(index)]", message: "BN in train mode needs at least 2 rows") }
            let y = Tensor(rows: m, columns: n), cache = BatchNorm.Cache(rows: m, features: n)
            bn.forwardTrain(x, into: y, rows: m, ghostSize: m, cache: cache)
            if index == 0 {
                let firstExpect = try expect.field("first_batch")
                try tally.compare("first_batch.y", doubles(y), try firstExpect.field("y").matrix().values)
                let dy = try tensor(try c.field("dy"), columns: n)
                let dx = Tensor(rows: m, columns: n)
                bn.backward(dy, into: dx, rows: m, ghostSize: m, cache: cache)
                try tally.compare("first_batch.dx", doubles(dx), try firstExpect.field("dx").matrix().values)
                try tally.compare("first_batch.dgamma", doubles(bn.gamma.gradient), try firstExpect.field("dgamma").vector())
                try tally.compare("first_batch.dbeta", doubles(bn.beta.gradient), try firstExpect.field("dbeta").vector())
                try tally.compare("first_batch.running_mean", doubles(bn.runningMean), try firstExpect.field("running_mean").vector())
                try tally.compare("first_batch.running_var", doubles(bn.runningVariance), try firstExpect.field("running_var").vector())
            }
        }
        _ = first
        let after = try expect.field("after_all_batches")
        try tally.compare("after_all_batches.running_mean", doubles(bn.runningMean), try after.field("running_mean").vector())
        try tally.compare("after_all_batches.running_var", doubles(bn.runningVariance), try after.field("running_var").vector())
        let probe = try tensor(try c.field("probe"), columns: n)
        let out = Tensor(rows: probe.rows, columns: n)
        bn.forwardEval(probe, into: out, rows: probe.rows)
        try tally.compare("probe_eval", doubles(out), try expect.field("probe_eval").matrix().values)
    }

    // MARK: optimizer

    private static func checkOptimizer(_ c: JSONNode, _ tally: inout ErrorTally) throws {
        let name = try c.field("optimizer").string()
        let hyper = try c.field("hyper")
        func h(_ key: String, _ fallback: Double) throws -> Float { Float(try hyper.optionalField(key)?.number() ?? fallback) }
        let lr = Float(try hyper.field("lr").number())
        guard let spec = OptimizerSpec.named(name, learningRate: lr, momentum: try h("momentum", 0), beta1: try h("beta1", 0.9),
                                             beta2: try h("beta2", 0.999), epsilon: try h("eps", 1e-8)) else {
            throw ReferenceFileError(location: "\(c.path).optimizer", message: "unknown optimizer '\(name)' (expected sgd, adam or adamax)")
        }
        let initial = try c.field("params").vector()
        let parameter = Parameter(name: "params", rows: 1, columns: initial.count)
        parameter.value.copy(from: floats(initial))
        let optimizer = Optimizer(spec, parameters: [parameter])
        let expected = try c.field("expect").field("params_after_each_step").array()
        let grads = try c.field("grads").array()
        guard grads.count == expected.count else {
            throw ReferenceFileError(location: "\(c.path).expect.params_after_each_step", message: "has \(expected.count) entries for \(grads.count) grads")
        }
        for (step, (g, e)) in zip(grads, expected).enumerated() {
            let gradient = try g.vector()
            guard gradient.count == initial.count else { throw ReferenceFileError(location: g.path, message: "has \(gradient.count) values, expected \(initial.count)") }
            parameter.gradient.copy(from: floats(gradient))
            optimizer.step()
            try tally.compare("params after step \(step + 1)", doubles(parameter.value), try e.vector())
        }
    }

    // MARK: mlp_sgd

    private static func checkMLP(_ c: JSONNode, _ tally: inout ErrorTally) throws {
        let layerNodes = try c.field("layers").array()
        var specs = [LayerSpec]()
        var weights = [(Tensor, [Double]?)]()
        var inputs: Int?
        for node in layerNodes {
            let layerInputs = try node.field("inputs").int(), outputs = try node.field("outputs").int()
            if inputs == nil { inputs = layerInputs }
            let activationName = try node.field("activation").string()
            guard let activation = Activation(rawValue: activationName) else {
                throw ReferenceFileError(location: "\(node.path).activation", message: "unknown activation '\(activationName)'")
            }
            let bnName = try node.field("batchnorm").string()
            guard let placement = BNPlacement(rawValue: bnName) else {
                throw ReferenceFileError(location: "\(node.path).batchnorm", message: "unknown placement '\(bnName)' (none, before or after)")
            }
            let weight = try tensor(try node.field("weight"), columns: layerInputs)
            guard weight.rows == outputs else { throw ReferenceFileError(location: "\(node.path).weight", message: "has \(weight.rows) rows, expected \(outputs)") }
            let bias = try node.optionalField("bias")?.vector()
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
        var losses = [Double]()
        for batch in try c.field("batches").array() {
            let x = try tensor(try batch.field("x"), columns: inputCount)
            let labels = try batch.field("labels").array().map { try $0.int() }
            guard labels.count == x.rows else { throw ReferenceFileError(location: "\(batch.path).labels", message: "has \(labels.count) labels for \(x.rows) rows") }
            if let bad = labels.first(where: { $0 < 0 || $0 >= network.classes }) {
                throw ReferenceFileError(location: "\(batch.path).labels", message: "label \(bad) is outside 0..<\(network.classes)")
            }
            let workspace = Workspace(network: network, capacity: x.rows)
            workspace.input.copy(from: x)
            for (i, label) in labels.enumerated() { workspace.labels[i] = Int32(label) }
            network.forward(workspace, rows: x.rows, mode: .train(ghostSize: nil))
            network.zeroGradients()
            let (loss, _) = SoftmaxCrossEntropy.evaluate(logits: workspace.logits, labels: workspace.labels, rows: x.rows,
                                                         gradient: workspace.logitsGradient)
            losses.append(loss)
            network.backward(workspace, rows: x.rows, ghostSize: nil)
            optimizer.step()
        }
        let expect = try c.field("expect")
        try tally.compare("loss_per_step", losses, try expect.field("loss_per_step").vector())
        for (index, (layer, node)) in zip(network.layers, try expect.field("final_linear_layers").array()).enumerated() {
            try tally.compare("final layer \(index + 1) weight", layer.dense.weights().map(Double.init), try node.field("weight").matrix().values)
            if let bias = layer.dense.bias, let expectedBias = try node.optionalField("bias")?.vector() {
                try tally.compare("final layer \(index + 1) bias", doubles(bias.value), expectedBias)
            }
        }
        let probe = try tensor(try c.field("probe"), columns: inputCount)
        let workspace = Workspace(network: network, capacity: probe.rows)
        workspace.input.copy(from: probe)
        network.forward(workspace, rows: probe.rows, mode: .eval)
        try tally.compare("probe_eval_logits", doubles(workspace.logits), try expect.field("probe_eval_logits").matrix().values)
    }
}
