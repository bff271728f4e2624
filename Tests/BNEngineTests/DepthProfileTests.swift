// The opt-in metrics of the deep-network and γ-only lessons: the depth profile at initialization
// (`init_gradient_norm`, `init_output_std`, one point per layer) and the share of γ near zero.

import Testing
@testable import BNEngine

@Suite struct DepthProfileTests {
    /// Three hidden ReLU layers with BN before the activation, full-batch steps on 120 blobs, probing the
    /// whole training set, so the first step's gradient is the probe batch's gradient in another order.
    static func config(initialGradients: Bool, gammaThreshold: Double? = nil) -> TrainingConfig {
        var probes = ProbeSettings(interval: 1, batchSize: 120, units: [0])
        probes.initialGradients = initialGradients
        probes.gammaThreshold = gammaThreshold
        return TrainingConfig(network: .mlp(inputs: 4, hidden: [16, 16, 16], classes: 3, activation: .relu, batchNorm: .before),
                              optimizer: .sgd(learningRate: 0.1), batchSize: 120, steps: 3, evaluationInterval: 1,
                              probes: probes, seed: 5)
    }

    static let train = TrainingTests.blobs(count: 120, seed: 1)
    static let test = TrainingTests.blobs(count: 60, seed: 2)

    @Test func theProfileIsRecordedOnlyWhenAskedAndLeavesTrainingUnchanged() throws {
        let plain = try Trainer(config: Self.config(initialGradients: false), train: Self.train, test: Self.test)
        plain.run()
        #expect(plain.record.series(.initialGradientNorm) == nil && plain.record.series(.initialOutputStd) == nil)
        #expect(plain.record.series(.gammaNearZero, layer: 1) == nil)
        let profiled = try Trainer(config: Self.config(initialGradients: true), train: Self.train, test: Self.test)
        profiled.run()
        let gradients = try #require(profiled.record.series(.initialGradientNorm))
        #expect(gradients.steps == [1, 2, 3, 4])  // one point per layer, the output layer last
        #expect(gradients.values.allSatisfy { $0.isFinite && $0 > 0 })
        #expect(profiled.record.series(.initialOutputStd)?.steps == [1, 2, 3, 4])
        #expect(profiled.record.series(.batchLoss)?.values == plain.record.series(.batchLoss)?.values)
        #expect(profiled.record.series(.testAccuracy)?.values == plain.record.series(.testAccuracy)?.values)
    }

    /// The profile is the gradient at the initial weights: on the whole training set it equals the first
    /// full-batch step's gradient, which the ordinary probe records at step 1.
    @Test func theProfileIsTheFirstFullBatchGradient() throws {
        let trainer = try Trainer(config: Self.config(initialGradients: true), train: Self.train, test: Self.test)
        trainer.run()
        let profile = try #require(trainer.record.series(.initialGradientNorm))
        for (index, layerNumber) in profile.steps.enumerated() {
            let first = try #require(trainer.record.series(.gradientNorm, layer: layerNumber)?.values.first)
            #expect(abs(profile.values[index] - first) <= 1e-4 * first, "layer \(layerNumber): \(profile.values[index]) vs \(first)")
        }
        // And the output spread is each unit's spread over the probe batch, averaged in square: the
        // probe batch is the whole training set, so a full-batch forward at the initial weights gives it.
        let network = Network(Self.config(initialGradients: true).network, seed: 5)
        let workspace = Workspace(network: network, capacity: Self.train.count)
        workspace.load(Self.train, from: 0, count: Self.train.count)
        network.forward(workspace, rows: Self.train.count, mode: .batchStatistics(ghostSize: nil))
        let spread = try #require(trainer.record.series(.initialOutputStd))
        for (index, layer) in network.layers.enumerated() {
            let n = layer.outputs, m = Self.train.count, a = workspace.layers[index].output
            var total = 0.0
            for unit in 0..<n {
                let column = (0..<m).map { Double(a.pointer[$0 * n + unit]) }
                let mean = column.reduce(0, +) / Double(m)
                total += column.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(m)
            }
            let expected = (total / Double(n)).squareRoot()
            #expect(abs(spread.values[index] - expected) <= 1e-5 * max(1, expected), "layer \(index + 1)")
        }
    }

    @Test func gammaNearZeroCountsTheUnitsBelowTheThreshold() throws {
        // γ starts at 1 everywhere: every unit is below 2, none below 0.5.
        let above = try Trainer(config: Self.config(initialGradients: false, gammaThreshold: 2), train: Self.train, test: Self.test)
        let below = try Trainer(config: Self.config(initialGradients: false, gammaThreshold: 0.5), train: Self.train, test: Self.test)
        #expect(above.record.series(.gammaNearZero, layer: 2)?.values.first == 1)
        #expect(below.record.series(.gammaNearZero, layer: 2)?.values.first == 0)
        #expect(below.record.series(.gammaNearZero, layer: 4) == nil)  // the output layer has no normalization
        // Set a quarter of layer 1's γ to ±0.1 by hand: a threshold of 0.5 counts exactly those.
        let gamma = try #require(below.network.layers[0].normalization?.gamma.value)
        for i in 0..<4 { gamma.pointer[i] = i % 2 == 0 ? 0.1 : -0.1 }
        below.step()
        let share = try #require(below.record.series(.gammaNearZero, layer: 1)?.values.last)
        #expect(abs(share - 0.25) < 1e-12)
    }
}
