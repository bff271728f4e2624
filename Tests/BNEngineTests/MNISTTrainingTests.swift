import BNData
import Testing
@testable import BNEngine

/// The network of Ioffe & Szegedy 2015, Fig. 1, on real MNIST: 784-100-100-100-10, sigmoid,
/// BN before each sigmoid and no biases, batch 60, SGD lr 0.5, W ~ N(0, 1/fan_in).
/// PyTorch with the same setup reaches 92% test accuracy at 1,000 steps.
@Suite struct MNISTTrainingTests {
    @Test func ioffeSzegedyNetworkWithBatchNormPasses90PercentWithin1000Steps() throws {
        let (train, test) = try DataCatalog.load(DataRequest(dataset: "mnist", scaling: .scaled, seed: 1))
        let config = TrainingConfig(
            network: .mlp(inputs: 784, hidden: [100, 100, 100], classes: 10, activation: .sigmoid,
                          batchNorm: .before, initialization: .lecunNormal),
            optimizer: .sgd(learningRate: 0.5), batchSize: 60, steps: 1000, evaluationInterval: 250,
            probes: ProbeSettings(interval: 0), seed: 1)
        let trainer = try Trainer(config: config, train: train, test: test)
        trainer.run()
        let accuracy = try #require(trainer.record.series("test_accuracy"))
        let reached = zip(accuracy.steps, accuracy.values).first { $0.1 >= 0.9 }?.0
        #expect(reached != nil && reached! <= 1000, "test accuracy by step: \(accuracy.values)")
        #expect(trainer.network.layers.allSatisfy { $0.batchNorm == nil || $0.dense.bias == nil })
    }
}
