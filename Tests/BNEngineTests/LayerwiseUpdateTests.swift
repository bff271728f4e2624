import Testing
@testable import BNEngine

/// Trainer.step updates each layer right after its backward on a step no probe reads, from one dWᵀ
/// scratch shared by the layers; on a probed step it updates after the whole backward, from every
/// parameter's own gradient. Both must leave the same bits: a run probed at every step and a run
/// probed only at its last step end with identical parameters and losses, for every optimizer, with
/// weight decay on every parameter, a frozen parameter, and a residual block's learnable α.
@Suite struct LayerwiseUpdateTests {
    static let optimizers: [OptimizerSpec] = [
        .sgd(learningRate: 0.1), .sgd(learningRate: 0.05, momentum: 0.9), .adam(learningRate: 0.01),
        .adamax(learningRate: 0.01), .adamw(learningRate: 0.01),
    ]

    /// Parameters' bits and the batch losses after `steps` steps with probes every `probeInterval` steps.
    static func run(_ optimizer: OptimizerSpec, probeInterval: Int, seed: UInt64 = 5) throws -> ([[UInt32]], [Double]) {
        let network = NetworkSpec(inputs: 4, layers: [
            LayerSpec(outputs: 6, activation: .sigmoid, placement: .before, normalization: .batch, hasBias: false),
            LayerSpec(outputs: 6, activation: .relu, placement: .after, normalization: .layer, hasBias: true,
                      residual: Residual(span: 1, scale: .learnable(initial: 0.5))),
            LayerSpec(outputs: 3, activation: .identity, placement: .none, hasBias: true),
        ])
        var config = TrainingConfig(network: network, optimizer: optimizer, batchSize: 20, steps: 12, evaluationInterval: 0,
                                    probes: ProbeSettings(interval: probeInterval, batchSize: 50), seed: seed)
        config.weightDecay = WeightDecay(rate: 0.01, scope: .all)
        config.frozen = [.beta]
        let trainer = try Trainer(config: config, train: TrainingTests.blobs(count: 300, seed: 1),
                                  test: TrainingTests.blobs(count: 90, seed: 2))
        trainer.run()
        #expect(trainer.record.failure == nil)
        return (trainer.network.parameters.map { $0.value.values.map(\.bitPattern) }, trainer.record.series(.batchLoss)?.values ?? [])
    }

    @Test(arguments: optimizers)
    func updatingLayerByLayerChangesNoBit(_ optimizer: OptimizerSpec) throws {
        let (probedWeights, probedLosses) = try Self.run(optimizer, probeInterval: 1)
        let (layerwiseWeights, layerwiseLosses) = try Self.run(optimizer, probeInterval: 0)
        /// How many parameters differ in any bit.
        func differing(_ a: [[UInt32]], _ b: [[UInt32]]) -> Int { zip(a, b).filter { $0 != $1 }.count + abs(a.count - b.count) }
        #expect(probedLosses.count == 12)
        #expect(differing(layerwiseWeights, probedWeights) == 0, "\(optimizer.name)")
        #expect(layerwiseLosses == probedLosses, "\(optimizer.name)")
        // Negative control: the comparison sees a difference where there is one (another seed).
        #expect(differing(try Self.run(optimizer, probeInterval: 0, seed: 6).0, probedWeights) > 0)
    }
}
