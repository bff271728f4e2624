// The normalization zoo's cases: layernorm, groupnorm, batchrenorm (shared/reference/README.md).
//
// Like the BN case, every size comes from the case itself: n from γ, m from x, the group count and
// the clipping limits from their fields; every shape is checked before the engine sees a value.

import BNEngine

extension ReferenceCheck {
    // MARK: layernorm, groupnorm

    /// One train-mode forward of `x` and backward of `dy`, for a per-example normalization.
    static func checkPerExampleNormalization(_ c: JSONNode, _ tally: inout ErrorTally, groupsField: Bool) throws {
        let gamma = try c.field("gamma").vector()
        let n = gamma.count
        guard n >= 1 else { throw ReferenceFileError(location: "\(c.path).gamma", message: "is empty") }
        let epsilon = Float(try c.field("eps").number())
        let layer: any Normalization
        if groupsField {
            let groupsNode = try c.field("groups")
            let groups = try count(groupsNode)
            guard n % groups == 0 else {
                throw ReferenceFileError(location: groupsNode.path, message: "\(groups) groups do not divide the \(n) features")
            }
            layer = GroupNorm(features: n, groups: groups, epsilon: epsilon)
        } else {
            layer = GroupNorm.layerNorm(features: n, epsilon: epsilon)
        }
        layer.gamma.value.copy(from: floats(gamma))
        layer.beta.value.copy(from: floats(try c.field("beta").vector(count: n)))
        let x = try tensor(try c.field("x"), columns: n)
        let m = x.rows
        let dy = try tensor(try c.field("dy"), rows: m, columns: n)
        let y = Tensor(rows: m, columns: n), dx = Tensor(rows: m, columns: n), cache = layer.makeCache(rows: m)
        layer.forward(x, into: y, rows: m, mode: .train(ghostSize: m, updateRunningStatistics: true), cache: cache)
        layer.backward(dy, into: dx, rows: m, cache: cache)
        let expect = try c.field("expect")
        try tally.compare(doubles(y), expect.field("y"))
        try tally.compare(doubles(dx), expect.field("dx"))
        try tally.compare(doubles(layer.gamma.gradient), expect.field("dgamma"))
        try tally.compare(doubles(layer.beta.gradient), expect.field("dbeta"))
        // "The same computation in train and eval mode": eval must reproduce y.
        let yEval = Tensor(rows: m, columns: n)
        layer.forward(x, into: yEval, rows: m, mode: .eval, cache: layer.makeCache(rows: m))
        try tally.compare(doubles(yEval), expect.field("y"))
    }

    // MARK: batchrenorm

    static func checkBatchRenorm(_ c: JSONNode, _ tally: inout ErrorTally) throws {
        let n = try c.field("gamma").vector().count
        guard n >= 1 else { throw ReferenceFileError(location: "\(c.path).gamma", message: "is empty") }
        let limits = BatchRenormLimits(rmax: Float(try c.field("rmax").number()), dmax: Float(try c.field("dmax").number()))
        if let problem = limits.problem { throw ReferenceFileError(location: "\(c.path).rmax", message: problem) }
        let layer = BatchRenorm(features: n, epsilon: Float(try c.field("eps").number()),
                                momentum: Float(try c.field("momentum").number()), limits: limits)
        try checkWithRunningStatistics(c, &tally, layer: layer, name: "Batch Renorm",
                                       statistics: [("running_mean", layer.runningMean), ("running_std", layer.runningStd)]) { cache in
            [("r", Array(doubles(cache.r).prefix(n))), ("d", Array(doubles(cache.d).prefix(n)))]
        }
    }
}
