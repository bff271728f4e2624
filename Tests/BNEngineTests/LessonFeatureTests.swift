import Testing
@testable import BNEngine

/// Engine features the later lessons stand on: folding, batch-mean noise, the landscape probe,
/// train-mode evaluation.
@Suite struct LessonFeatureTests {
    static let data = TrainingTests.blobs(count: 600, seed: 1)
    static let test = TrainingTests.blobs(count: 300, seed: 2)

    @Test func foldingBatchNormIntoTheLinearLayerKeepsEvalOutputs() throws {
        let trainer = try Trainer(config: TrainingTests.config(batchNorm: .before, lr: 0.5, steps: 100), train: Self.data, test: Self.test)
        trainer.run()
        let network = trainer.network
        let folded = try #require(network.foldedForInference())
        #expect(folded.layers.allSatisfy { $0.batchNorm == nil })
        let m = 50
        let (a, b) = (Workspace(network: network, capacity: m), Workspace(network: folded, capacity: m))
        a.load(Self.test, from: 0, count: m)
        b.load(Self.test, from: 0, count: m)
        network.forward(a, rows: m, mode: .eval)
        folded.forward(b, rows: m, mode: .eval)
        let worst = zip(a.logits.values, b.logits.values).map { abs($0 - $1) / max(1, abs($0)) }.max() ?? 1
        #expect(worst < 1e-4)
    }

    @Test func foldingRefusesBatchNormAfterTheActivation() throws {
        let network = Network(.mlp(inputs: 4, hidden: [5], classes: 3, activation: .relu, batchNorm: .after), seed: 1)
        #expect(network.foldedForInference() == nil)
    }

    @Test func theSpreadOfBatchMeansFallsAsOneOverRootM() {
        let network = Network(.mlp(inputs: 4, hidden: [8], classes: 3, activation: .sigmoid), seed: 1)
        let sizes = [4, 16, 64, 256]
        let spread = BatchMeanSpread.measure(network: network, data: Self.data, layer: 1, batchSizes: sizes, batches: 300, seed: 3)
        #expect(spread == spread.sorted(by: >))
        let slope = BatchMeanSpread.logLogSlope(x: sizes.map(Double.init), y: spread)
        // Without replacement from 600 examples the finite-population factor steepens the slope a little.
        #expect(slope < -0.45 && slope > -0.7, "slope \(slope)")
    }

    @Test func logLogSlopeOfAPowerLawIsItsExponent() {
        let x: [Double] = [1, 2, 4, 8]
        #expect(abs(BatchMeanSpread.logLogSlope(x: x, y: x.map { 3 / $0.squareRoot() }) + 0.5) < 1e-12)
    }

    @Test func theLandscapeProbeRecordsAndLeavesTrainingUnchanged() throws {
        var config = TrainingTests.config(batchNorm: .before, lr: 0.5, steps: 40)
        let plain = try Trainer(config: config, train: Self.data, test: Self.test)
        config.probes.landscapeMultipliers = [0.5, 1, 2, 4]
        let probed = try Trainer(config: config, train: Self.data, test: Self.test)
        plain.run()
        probed.run()
        #expect(plain.record.series("batch_loss") == probed.record.series("batch_loss"))
        let variation = try #require(probed.record.series("loss_variation"))
        #expect(variation.steps == [20, 40])
        #expect(variation.values.allSatisfy { $0 > 0 && $0.isFinite })
        #expect(probed.record.series("gradient_change")?.values.allSatisfy { $0 > 0 } == true)
    }

    @Test func measuringANoisyBNNetworkNeverChangesItsTraining() throws {
        var config = TrainingTests.config(batchNorm: .before, lr: 0.5, steps: 40)
        config.network.bnNoise = BNNoise()
        config.probes.interval = 0
        let quiet = try Trainer(config: config, train: Self.data, test: Self.test)
        config.probes.interval = 5
        config.probes.landscapeMultipliers = [0.5, 1, 2, 4]
        config.evaluationInterval = 3
        config.trainModeEvaluationBatchSizes = [2]
        let probed = try Trainer(config: config, train: Self.data, test: Self.test)
        quiet.run()
        probed.run()
        let losses = quiet.record.series("batch_loss")?.values ?? []
        #expect(losses.count == 40)
        #expect(probed.record.series("batch_loss")?.values == losses)
    }

    @Test func trainModeEvaluationWithTinyBatchesIsRecorded() throws {
        var config = TrainingTests.config(batchNorm: .before, lr: 0.5, steps: 100)
        config.trainModeEvaluationBatchSizes = [2, 60]
        let trainer = try Trainer(config: config, train: Self.data, test: Self.test)
        trainer.run()
        let tiny = try #require(trainer.record.series("train_mode_accuracy_b2")?.last)
        let large = try #require(trainer.record.series("train_mode_accuracy_b60")?.last)
        #expect(tiny < large)
        config.trainModeEvaluationBatchSizes = [1]
        #expect(throws: ConfigurationError.self) { try Trainer(config: config, train: Self.data, test: Self.test) }
    }
}
