import Testing
@testable import BNEngine

/// Every backward against central finite differences of its forward.
///
/// The engine computes in Float, so differences use h = 1e-2 on inputs of order 1 and the tolerance
/// is |numeric − analytic| ≤ 2e-3 + 2e-2·|numeric|: far below any real bug (a wrong sign or a
/// missing term is off by O(1)), above float rounding.
@Suite struct GradientCheckTests {
    static let h: Float = 1e-2

    static func expectClose(_ analytic: Float, _ numeric: Float, _ what: String) {
        #expect(abs(analytic - numeric) <= 2e-3 + 2e-2 * abs(numeric), "\(what): analytic \(analytic), numeric \(numeric)")
    }

    static func random(_ count: Int, _ rng: inout SplitMix64, scale: Float = 1) -> [Float] {
        (0..<count).map { _ in rng.normal(std: scale) }
    }

    /// Compares each entry of `gradient` with the central difference of `loss` in that entry of `value`.
    static func checkEveryEntry(of value: Tensor, against gradient: Tensor, stride: Int = 1, loss: () -> Float, _ what: String) {
        for k in Swift.stride(from: 0, to: value.count, by: stride) {
            let saved = value.pointer[k]
            value.pointer[k] = saved + h
            let up = loss()
            value.pointer[k] = saved - h
            let down = loss()
            value.pointer[k] = saved
            expectClose(gradient.pointer[k], (up - down) / (2 * h), "\(what)[\(k)]")
        }
    }

    /// L = Σ r ⊙ f(x) for a fixed random r, so dL/df = r.
    static func weightedSum(_ t: Tensor, _ r: [Float]) -> Float {
        var s: Float = 0
        for i in 0..<t.count { s += t.pointer[i] * r[i] }
        return s
    }

    @Test(arguments: Activation.allCases)
    func activationBackwardMatchesFiniteDifferences(_ activation: Activation) {
        var rng = SplitMix64(seed: 1)
        let count = 40
        // Keep ReLU inputs away from its kink at 0, where the derivative is undefined.
        var z = Self.random(count, &rng, scale: 1.5)
        if activation == .relu { z = z.map { abs($0) < 0.05 ? $0 + 0.2 : $0 } }
        let r = Self.random(count, &rng)
        func loss(_ zs: [Float]) -> Float {
            var a = [Float](repeating: 0, count: count)
            activation.forward(zs, into: &a, count: count)
            return zip(a, r).reduce(0) { $0 + $1.0 * $1.1 }
        }
        var a = [Float](repeating: 0, count: count), dz = [Float](repeating: 0, count: count)
        activation.forward(z, into: &a, count: count)
        activation.backward(r, input: z, output: a, into: &dz, count: count)
        for i in 0..<count {
            var plus = z, minus = z
            plus[i] += Self.h
            minus[i] -= Self.h
            Self.expectClose(dz[i], (loss(plus) - loss(minus)) / (2 * Self.h), "\(activation) dz[\(i)]")
        }
    }

    @Test(arguments: [true, false])
    func denseBackwardMatchesFiniteDifferences(hasBias: Bool) {
        var rng = SplitMix64(seed: 2)
        let (m, i, o) = (5, 4, 3)
        let dense = Dense(inputs: i, outputs: o, hasBias: hasBias)
        dense.setWeights(Self.random(o * i, &rng))
        if let bias = dense.bias { bias.value.copy(from: Self.random(o, &rng)) }
        let x = Tensor(rows: m, columns: i, values: Self.random(m * i, &rng))
        let r = Self.random(m * o, &rng)
        let z = Tensor(rows: m, columns: o)
        func loss() -> Float { dense.forward(x, into: z, rows: m); return Self.weightedSum(z, r) }
        _ = loss()
        let dz = Tensor(rows: m, columns: o, values: r), dx = Tensor(rows: m, columns: i)
        dense.backward(dz, input: x, into: dx, rows: m)
        var targets: [(String, Tensor, Tensor)] = [("W", dense.weight.value, dense.weight.gradient), ("x", x, dx)]
        if let bias = dense.bias { targets.append(("b", bias.value, bias.gradient)) }
        for (name, value, gradient) in targets {
            Self.checkEveryEntry(of: value, against: gradient, loss: loss, "dense d\(name)")
        }
    }

    @Test(arguments: [nil, 4, 2] as [Int?])
    func batchNormBackwardMatchesFiniteDifferences(ghostSize: Int?) {
        var rng = SplitMix64(seed: 3)
        let (m, n) = (8, 3)
        let g = ghostSize ?? m
        let bn = BatchNorm(features: n, epsilon: 1e-3)
        bn.gamma.value.copy(from: [1.5, 0.7, -0.4])
        bn.beta.value.copy(from: [0.1, -0.2, 0.3])
        let x = Tensor(rows: m, columns: n, values: Self.random(m * n, &rng, scale: 2))
        let r = Self.random(m * n, &rng)
        let y = Tensor(rows: m, columns: n), cache = BatchNorm.Cache(rows: m, features: n)
        func loss() -> Float {
            bn.forwardTrain(x, into: y, rows: m, ghostSize: g, cache: cache, updateRunningStatistics: false)
            return Self.weightedSum(y, r)
        }
        _ = loss()
        let dy = Tensor(rows: m, columns: n, values: r), dx = Tensor(rows: m, columns: n)
        bn.backward(dy, into: dx, rows: m, ghostSize: g, cache: cache)
        for (name, value, gradient) in [("x", x, dx), ("γ", bn.gamma.value, bn.gamma.gradient), ("β", bn.beta.value, bn.beta.gradient)] {
            Self.checkEveryEntry(of: value, against: gradient, loss: loss, "BN(g=\(g)) d\(name)")
        }
    }

    @Test func softmaxCrossEntropyGradientMatchesFiniteDifferences() {
        var rng = SplitMix64(seed: 4)
        let (m, c) = (4, 5)
        let logits = Tensor(rows: m, columns: c, values: Self.random(m * c, &rng, scale: 2))
        var labels: [Int32] = [0, 3, 4, 1]
        let gradient = Tensor(rows: m, columns: c)
        labels.withUnsafeMutableBufferPointer { labelPointer in
            let p = UnsafePointer(labelPointer.baseAddress!)
            SoftmaxCrossEntropy.evaluate(logits: logits, labels: p, rows: m, gradient: gradient)
            for k in 0..<logits.count {
                let saved = logits.pointer[k]
                logits.pointer[k] = saved + Self.h
                let up = SoftmaxCrossEntropy.evaluate(logits: logits, labels: p, rows: m).loss
                logits.pointer[k] = saved - Self.h
                let down = SoftmaxCrossEntropy.evaluate(logits: logits, labels: p, rows: m).loss
                logits.pointer[k] = saved
                Self.expectClose(gradient.pointer[k], Float((up - down) / Double(2 * Self.h)), "dlogits[\(k)]")
            }
        }
    }

    /// The whole chain, every placement: network gradients against differences of the batch loss.
    @Test(arguments: BNPlacement.allCases)
    func networkBackwardMatchesFiniteDifferences(_ placement: BNPlacement) {
        var rng = SplitMix64(seed: 5)
        let spec = NetworkSpec(inputs: 4, layers: [
            LayerSpec(outputs: 5, activation: .tanh, batchNorm: placement, hasBias: true),
            LayerSpec(outputs: 3, activation: .identity, batchNorm: .none, hasBias: true),
        ])
        Self.checkNetworkGradients(Network(spec, seed: 9), rng: &rng, stride: 3, "\(placement)")
    }

    /// Every `stride`-th entry of every parameter's gradient of `network` (4 inputs, 3 classes) against
    /// differences of the batch loss on m = 6 rows drawn from `rng`, with batch statistics.
    static func checkNetworkGradients(_ network: Network, rng: inout SplitMix64, stride: Int, _ what: String) {
        let m = 6
        let workspace = Workspace(network: network, capacity: m)
        workspace.input.copy(from: random(m * 4, &rng))
        for i in 0..<m { workspace.labels[i] = Int32(i % 3) }
        func loss() -> Float {
            network.forward(workspace, rows: m, mode: .batchStatistics(ghostSize: nil))
            return Float(SoftmaxCrossEntropy.evaluate(logits: workspace.logits, labels: workspace.labels, rows: m).loss)
        }
        network.forward(workspace, rows: m, mode: .batchStatistics(ghostSize: nil))
        network.zeroGradients()
        SoftmaxCrossEntropy.evaluate(logits: workspace.logits, labels: workspace.labels, rows: m, gradient: workspace.logitsGradient)
        network.backward(workspace, rows: m)
        // loss() runs forwards only, so the gradients from the backward above stay put.
        for parameter in network.parameters {
            checkEveryEntry(of: parameter.value, against: parameter.gradient, stride: stride, loss: loss, "\(what) \(parameter.name)")
        }
    }
}

// Array conveniences for the activation tests.
extension Activation {
    func forward(_ z: [Float], into a: inout [Float], count: Int) {
        z.withUnsafeBufferPointer { zp in a.withUnsafeMutableBufferPointer { ap in
            forward(zp.baseAddress!, into: ap.baseAddress!, count: count)
        } }
    }

    func backward(_ da: [Float], input z: [Float], output a: [Float], into dz: inout [Float], count: Int) {
        da.withUnsafeBufferPointer { dap in z.withUnsafeBufferPointer { zp in a.withUnsafeBufferPointer { ap in
            dz.withUnsafeMutableBufferPointer { dzp in
                backward(dap.baseAddress!, input: zp.baseAddress!, output: ap.baseAddress!, into: dzp.baseAddress!, count: count)
            }
        } } }
    }
}
