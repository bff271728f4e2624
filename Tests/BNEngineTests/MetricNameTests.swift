// The metric table and the trainer agree: every name a run records is in `MetricName`, and every
// training name in the table is recorded by a run that switches every probe on.

import Testing
@testable import BNEngine

@Suite struct MetricNameTests {
    /// BN before a sigmoid (γ, β, running averages, folding), biases on the output layer, every probe,
    /// the loss landscape and a train-mode evaluation.
    /// Every probe on, BN before the activation in layers 1–2 and Batch Renorm in layer 3, so every
    /// training metric (BN's and Batch Renorm's own included) is recorded.
    static func everythingOn() -> TrainingConfig {
        var network = NetworkSpec.mlp(inputs: 4, hidden: [8, 8, 8], classes: 3, activation: .sigmoid, batchNorm: .before)
        network.layers[2].normalization = .batchRenorm(BatchRenormLimits())
        var probes = ProbeSettings(interval: 3, batchSize: 30, units: [0, 1], landscapeMultipliers: [0.5, 1])
        probes.weightNorms = true
        probes.trainEvalGap = true
        probes.initialGradients = true
        probes.gammaThreshold = 0.5
        return TrainingConfig(network: network, optimizer: .sgd(learningRate: 0.1), batchSize: 20, steps: 6,
                              evaluationInterval: 3, probes: probes, trainModeEvaluationBatchSizes: [10], seed: 3)
    }

    @Test func everyRecordedNameIsInTheTableAndEveryTrainingNameIsRecorded() throws {
        let trainer = try Trainer(config: Self.everythingOn(), train: TrainingTests.blobs(count: 120, seed: 1),
                                  test: TrainingTests.blobs(count: 60, seed: 2))
        trainer.run()
        let recorded = Set(trainer.record.series.keys.map(\.name))
        let table = MetricName.names(of: .training)
        let perConfig: Set<String> = [MetricName.trainModeAccuracy(batchSize: 10)]
        #expect(recorded.subtracting(table).subtracting(perConfig).isEmpty, "recorded but not in MetricName: \(recorded.subtracting(table).subtracting(perConfig))")
        #expect(table.subtracting(recorded).isEmpty, "in MetricName but never recorded: \(table.subtracting(recorded))")
        #expect(recorded.isSuperset(of: perConfig))
    }

    @Test func namesAreUniqueAndSourcesPartitionTheTable() {
        let all = MetricName.allCases.map(\.rawValue)
        #expect(Set(all).count == all.count)
        let union = MetricName.names(of: .training).union(MetricName.names(of: .transform)).union(MetricName.names(of: .batchNoise))
        #expect(union == Set(all))
    }

    @Test func frozenParametersAndOptimizersDecodeByName() {
        #expect(FrozenParameter.allCases.map(\.rawValue) == ["gamma", "beta", "bias", "weights"])
        #expect(OptimizerKind(named: "AdaMax") == .adamax)
        #expect(OptimizerKind(named: "rmsprop") == nil)
        for kind in OptimizerKind.allCases { #expect(kind.spec(learningRate: 0.1).kind == kind) }
    }
}
