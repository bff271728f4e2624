import Testing
@testable import BNEngine

/// Trainer.step updates each layer right after its backward on a step no probe reads: with plain SGD
/// (no momentum, no decay on W, no W frozen) and a batch of at most Dense.maximumSteppedRows, W takes
/// its step inside the product that computes dWᵀ; otherwise from one dWᵀ scratch shared by the layers.
/// On a probed step it updates after the whole backward, from every parameter's own gradient. All
/// must leave the same bits: a run probed at every step and a run probed only at its last step end
/// with identical parameters and losses, for every optimizer, with weight decay on every parameter and
/// a frozen parameter, without them (plain SGD's step in the product), and with a batch too deep for
/// that step (the scratch again). The network's widths take every path of the kernel's step: a 200-wide
/// sigmoid layer's xᵀ (more than 8,192 values at batch 60, turned row-major), ReLU outputs (sparse
/// lists), 40 columns (two full panels and a narrow one) and 3.
@Suite struct LayerwiseUpdateTests {
    static let optimizers: [OptimizerSpec] = [
        .sgd(learningRate: 0.1), .sgd(learningRate: 0.05, momentum: 0.9), .adam(learningRate: 0.01),
        .adamax(learningRate: 0.01), .adamw(learningRate: 0.01),
    ]

    /// Parameters' bits and the batch losses after `steps` steps with probes every `probeInterval` steps,
    /// and whether W could take its step inside the product.
    static func run(_ optimizer: OptimizerSpec, probeInterval: Int, seed: UInt64 = 5, decayAndFreeze: Bool = true,
                    batchSize: Int = 20) throws -> (weights: [[UInt32]], losses: [Double], stepsInProduct: Bool) {
        let network = NetworkSpec(inputs: 4, layers: [
            LayerSpec(outputs: 200, activation: .sigmoid, placement: .before, normalization: .batch, hasBias: false),
            LayerSpec(outputs: 40, activation: .relu, placement: .after, normalization: .layer, hasBias: true),
            LayerSpec(outputs: 40, activation: .relu, placement: .none, hasBias: true,
                      residual: Residual(span: 1, scale: .learnable(initial: 0.5))),
            LayerSpec(outputs: 3, activation: .identity, placement: .none, hasBias: true),
        ])
        var config = TrainingConfig(network: network, optimizer: optimizer, batchSize: batchSize, steps: 12, evaluationInterval: 0,
                                    probes: ProbeSettings(interval: probeInterval, batchSize: 50), seed: seed)
        if decayAndFreeze {
            config.weightDecay = WeightDecay(rate: 0.01, scope: .all)
            config.frozen = [.beta]
        }
        let trainer = try Trainer(config: config, train: TrainingTests.blobs(count: 600, seed: 1),
                                  test: TrainingTests.blobs(count: 90, seed: 2))
        trainer.run()
        #expect(trainer.record.failure == nil)
        let inProduct = trainer.optimizer.plainWeightStepRate != nil && batchSize <= Dense.maximumSteppedRows
        return (trainer.network.parameters.map { $0.value.values.map(\.bitPattern) }, trainer.record.series(.batchLoss)?.values ?? [],
                inProduct)
    }

    /// How many parameters differ in any bit.
    static func differing(_ a: [[UInt32]], _ b: [[UInt32]]) -> Int { zip(a, b).filter { $0 != $1 }.count + abs(a.count - b.count) }

    @Test(arguments: optimizers)
    func updatingLayerByLayerChangesNoBit(_ optimizer: OptimizerSpec) throws {
        let probed = try Self.run(optimizer, probeInterval: 1)
        let layerwise = try Self.run(optimizer, probeInterval: 0)
        #expect(probed.losses.count == 12)
        #expect(!layerwise.stepsInProduct)
        #expect(Self.differing(layerwise.weights, probed.weights) == 0, "\(optimizer.name)")
        #expect(layerwise.losses == probed.losses, "\(optimizer.name)")
        // Negative control: the comparison sees a difference where there is one (another seed).
        #expect(Self.differing(try Self.run(optimizer, probeInterval: 0, seed: 6).weights, probed.weights) > 0)
    }

    /// Plain SGD without decay or freezing: W's step inside the product at batches 20 and 60, and the
    /// scratch at 300 (deeper than one depth block of the kernel).
    @Test(arguments: [20, 60, 300])
    func sgdsStepInsideTheProductChangesNoBit(batchSize: Int) throws {
        let sgd = OptimizerSpec.sgd(learningRate: 0.1)
        let probed = try Self.run(sgd, probeInterval: 1, decayAndFreeze: false, batchSize: batchSize)
        let layerwise = try Self.run(sgd, probeInterval: 0, decayAndFreeze: false, batchSize: batchSize)
        #expect(layerwise.stepsInProduct == (batchSize <= Dense.maximumSteppedRows))
        #expect(probed.losses.count == 12)
        #expect(Self.differing(layerwise.weights, probed.weights) == 0, "batch \(batchSize)")
        #expect(layerwise.losses == probed.losses, "batch \(batchSize)")
        #expect(Self.differing(try Self.run(sgd, probeInterval: 0, seed: 6, decayAndFreeze: false, batchSize: batchSize).weights,
                               probed.weights) > 0)
    }
}
