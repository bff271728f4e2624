import Testing
@testable import BNEngine

/// What a trainer keeps between steps (issue 17's memory target): the buffers of its training batch,
/// not those of its 1,000-row evaluations or its 500-row probe batch, which live only while they run.
/// A multi-seed experiment holds a dozen trainers at once, so held buffers multiply.
@Suite struct TrainerMemoryTests {
    /// Every Workspace reachable from `value` through stored properties (classes visited once).
    static func workspaces(in value: Any, seen: inout Set<ObjectIdentifier>) -> [Workspace] {
        if let workspace = value as? Workspace {
            return seen.insert(ObjectIdentifier(workspace)).inserted ? [workspace] : []
        }
        let mirror = Mirror(reflecting: value)
        if mirror.displayStyle == .class, let object = value as AnyObject? {
            guard seen.insert(ObjectIdentifier(object)).inserted else { return [] }
        }
        // Only the trainer's own parts: the network and the data hold no Workspace.
        guard mirror.displayStyle == .class || mirror.displayStyle == .struct || mirror.displayStyle == .optional else { return [] }
        return mirror.children.flatMap { workspaces(in: $0.value, seen: &seen) }
    }

    @Test func aTrainerHoldsOnlyItsTrainingBatchBetweenSteps() throws {
        let train = TrainingTests.blobs(count: 1500, seed: 1), test = TrainingTests.blobs(count: 1200, seed: 2)
        let config = TrainingConfig(network: .mlp(inputs: 4, hidden: [32, 32], classes: 3, activation: .relu, batchNorm: .before),
                                    optimizer: .sgd(learningRate: 0.1), batchSize: 20, steps: 30, evaluationInterval: 10,
                                    trainEvaluationSize: 1000, probes: ProbeSettings(interval: 10, batchSize: 500), seed: 1)
        let trainer = try Trainer(config: config, train: train, test: test)
        for _ in 0..<15 { trainer.step() }  // past an evaluation and a probe (step 10)
        var seen = Set<ObjectIdentifier>()
        let held = Self.workspaces(in: trainer, seen: &seen)
        #expect(held.count == 1)
        #expect(held.map(\.capacity).reduce(0, +) == config.batchSize)
        // The evaluations and probes still happened, with their full sizes.
        trainer.run()
        #expect(trainer.record.series("test_accuracy")?.steps == [0, 10, 20, 30])
        #expect(trainer.record.histograms.values.first?.map(\.step) == [0, 10, 20, 30])
    }

    /// An evaluation in pieces of a few rows gives the numbers of one pass over each 1,000-example chunk,
    /// bit for bit, for every normalization placement and kind (after training, so BN's running
    /// averages are not their initial values).
    @Test(arguments: [(BNPlacement.none, NormalizationKind.batch), (.before, .batch), (.after, .batch),
                      (.before, .layer), (.before, .group(groups: 3)), (.before, .batchRenorm(BatchRenormLimits()))])
    func anEvaluationInPiecesMatchesOnePass(placement: BNPlacement, kind: NormalizationKind) throws {
        let train = TrainingTests.blobs(count: 1500, seed: 3), test = TrainingTests.blobs(count: 2300, seed: 4)
        let config = TrainingConfig(network: .mlp(inputs: 4, hidden: [12, 12], classes: 3, activation: .tanh,
                                                  batchNorm: placement, normalization: kind),
                                    optimizer: .sgd(learningRate: 0.1), batchSize: 20, steps: 40, trainEvaluationSize: 0,
                                    probes: ProbeSettings(interval: 0, batchSize: 50), seed: 2)
        let trainer = try Trainer(config: config, train: train, test: test)
        trainer.run()
        let network = trainer.network
        let whole = Evaluator.evaluate(network, on: test, workspace: Workspace(network: network, capacity: 1000))
        #expect(whole.count == 2300 && whole.loss.isFinite)
        for rows in [1, 7, 250, 999] {
            let pieces = Evaluator.evaluate(network, on: test, workspace: Workspace(network: network, capacity: rows))
            #expect(pieces == whole, "pieces of \(rows) rows")
        }
        #expect(Evaluator.evaluate(network, on: test) == whole)
    }
}
