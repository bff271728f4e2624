import Testing
@testable import BNEngine

/// What BN promises, checked directly.
@Suite struct BatchNormPropertyTests {
    static func batch(m: Int, n: Int, seed: UInt64) -> Tensor {
        var rng = SplitMix64(seed: seed)
        // Features on very different scales and offsets, as raw inputs are.
        return Tensor(rows: m, columns: n, values: (0..<(m * n)).map { i in rng.normal(mean: Float(i % n) * 10, std: Float(i % n + 1) * 3) })
    }

    @Test func normalizedFeaturesHaveMeanZeroAndVarianceOne() {
        let (m, n) = (32, 5)
        let x = Self.batch(m: m, n: n, seed: 1)
        let bn = BatchNorm(features: n, epsilon: 1e-5)
        let y = Tensor(rows: m, columns: n)
        bn.forwardTrain(x, into: y, rows: m, ghostSize: m, cache: BatchNorm.Cache(rows: m, features: n))
        for j in 0..<n {
            let column = (0..<m).map { Double(y[$0, j]) }
            let mean = column.reduce(0, +) / Double(m)
            let variance = column.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(m)
            #expect(abs(mean) < 1e-5, "feature \(j) mean \(mean)")
            #expect(abs(variance - 1) < 1e-3, "feature \(j) variance \(variance)")  // ε shrinks it by σ²/(σ²+ε)
        }
    }

    @Test func gammaSqrtVariancePlusEpsilonAndBetaMeanRecoverTheInput() {
        let (m, n) = (16, 3)
        let x = Self.batch(m: m, n: n, seed: 2)
        let bn = BatchNorm(features: n)
        var means = [Float](repeating: 0, count: n), variances = [Float](repeating: 0, count: n)
        for j in 0..<n {
            let column = (0..<m).map { x[$0, j] }
            means[j] = column.reduce(0, +) / Float(m)
            variances[j] = column.map { ($0 - means[j]) * ($0 - means[j]) }.reduce(0, +) / Float(m)
        }
        bn.setIdentity(mean: means, variance: variances)
        let y = Tensor(rows: m, columns: n)
        bn.forwardTrain(x, into: y, rows: m, ghostSize: m, cache: BatchNorm.Cache(rows: m, features: n))
        let worst = zip(x.values, y.values).map { abs($0 - $1) / max(1, abs($0)) }.max() ?? 0
        #expect(worst < 1e-5)
    }

    @Test func aBiasBeforeBatchNormGetsNoGradient() {
        let spec = NetworkSpec(inputs: 6, layers: [
            LayerSpec(outputs: 8, activation: .sigmoid, batchNorm: .before, hasBias: true),
            LayerSpec(outputs: 3, activation: .identity, batchNorm: .none, hasBias: true),
        ])
        let network = Network(spec, seed: 3)
        let m = 10
        let workspace = Workspace(network: network, capacity: m)
        var rng = SplitMix64(seed: 4)
        workspace.input.copy(from: (0..<(m * 6)).map { _ in rng.normal(std: 3) })
        for i in 0..<m { workspace.labels[i] = Int32(i % 3) }
        network.forward(workspace, rows: m, mode: .train(ghostSize: nil))
        network.zeroGradients()
        SoftmaxCrossEntropy.evaluate(logits: workspace.logits, labels: workspace.labels, rows: m, gradient: workspace.logitsGradient)
        network.backward(workspace, rows: m)
        let hiddenBias = network.layers[0].dense.bias!.gradient.values
        let outputBias = network.layers[1].dense.bias!.gradient.values
        #expect(hiddenBias.map(abs).max()! < 1e-6, "bias before BN: \(hiddenBias)")
        // The control: the output layer's bias, with no BN after it, does get a gradient.
        #expect(outputBias.map(abs).max()! > 1e-3)
    }

    @Test func evalOutputEqualsTrainOutputWhenRunningStatisticsEqualBatchStatistics() {
        let (m, n) = (12, 4)
        let x = Self.batch(m: m, n: n, seed: 5)
        let bn = BatchNorm(features: n)
        bn.gamma.value.copy(from: [2, 0.5, 1, -1])
        bn.beta.value.copy(from: [0, 1, -1, 3])
        let train = Tensor(rows: m, columns: n), cache = BatchNorm.Cache(rows: m, features: n)
        bn.forwardTrain(x, into: train, rows: m, ghostSize: m, cache: cache, updateRunningStatistics: false)
        bn.runningMean.copy(from: Array(cache.mean.values.prefix(n)))
        bn.runningVariance.copy(from: Array(cache.variance.values.prefix(n)))  // the biased σ² train mode used
        let eval = Tensor(rows: m, columns: n)
        bn.forwardEval(x, into: eval, rows: m)
        let worst = zip(train.values, eval.values).map { abs($0 - $1) }.max() ?? 0
        #expect(worst < 1e-4)
    }

    @Test func ghostBatchesUseEachGroupsOwnStatistics() {
        let (m, n, g) = (8, 2, 4)
        let x = Self.batch(m: m, n: n, seed: 6)
        let bn = BatchNorm(features: n)
        let whole = Tensor(rows: m, columns: n), ghost = Tensor(rows: m, columns: n)
        bn.forwardTrain(x, into: whole, rows: m, ghostSize: m, cache: BatchNorm.Cache(rows: m, features: n), updateRunningStatistics: false)
        bn.forwardTrain(x, into: ghost, rows: m, ghostSize: g, cache: BatchNorm.Cache(rows: m, features: n), updateRunningStatistics: false)
        for group in 0..<(m / g) {
            for j in 0..<n {
                let mean = (0..<g).map { ghost[group * g + $0, j] }.reduce(0, +) / Float(g)
                #expect(abs(mean) < 1e-5)
            }
        }
        #expect(whole.values != ghost.values)
    }

    @Test func runningAveragesFollowPyTorchsMomentumConvention() {
        let x = Tensor(rows: 2, columns: 1, values: [1, 3])  // μ = 2, biased σ² = 1, unbiased 2
        let bn = BatchNorm(features: 1, momentum: 0.1)
        bn.forwardTrain(x, into: Tensor(rows: 2, columns: 1), rows: 2, ghostSize: 2, cache: BatchNorm.Cache(rows: 2, features: 1))
        #expect(abs(bn.runningMean[0, 0] - 0.2) < 1e-6)          // 0.9·0 + 0.1·2
        #expect(abs(bn.runningVariance[0, 0] - 1.1) < 1e-6)      // 0.9·1 + 0.1·2
    }
}
