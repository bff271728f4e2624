// Trains one network on one dataset, step by step, recording what the lessons plot and check.
//
// The trainer knows nothing of who watches: a terminal, a JSON report or a test reads `record`
// between steps. The training step's buffers are allocated in `init`; a training step allocates nothing.
// Evaluations and probes (every so many steps) allocate their buffers when they run and free them
// after: a trainer between evaluations holds only what a step needs (a multi-seed experiment holds a
// dozen trainers at once). Evaluations run 1,000-example chunks through buffers of
// `Evaluator.rowsAtOnce` rows (same numbers, bit for bit: Evaluator.swift).

import Foundation

/// One run: a network, its optimizer, the data order, and the record of what happened.
public final class Trainer {
    public let config: TrainingConfig
    public let network: Network
    public let optimizer: Optimizer
    public let train: Dataset
    public let test: Dataset
    public private(set) var record = RunRecord()
    /// Updates done so far.
    public private(set) var stepsDone = 0

    let workspace: Workspace
    /// Plain SGD's learning rate when W's step goes inside the product that computes dWᵀ (`step`):
    /// fixed by the optimizer and the batch size, so decided once.
    let weightStepRate: Float?
    /// Where a step that no probe reads puts each layer's dL/dWᵀ on its way to the update (`step`);
    /// empty when W's step goes inside the product, which stores no dWᵀ.
    let weightGradientScratch: Tensor
    let sampler: BatchSampler
    let probe: ProbeRunner
    let landscape: LandscapeProbe?
    /// Rows of the buffers an evaluation runs through (they live for one evaluation).
    let evaluationRows: Int

    /// Builds the network from the config's seed and checks the settings against the data.
    public init(config: TrainingConfig, train: Dataset, test: Dataset) throws {
        try config.validate(trainCount: train.count, features: train.features, classes: train.classes, testCount: test.count)
        self.config = config
        self.train = train
        self.test = test
        network = Network(config.network, seed: config.seed)
        for layer in network.layers {
            if config.frozen.contains(.gamma) { layer.normalization?.gamma.isFrozen = true }
            if config.frozen.contains(.beta) { layer.normalization?.beta.isFrozen = true }
            if config.frozen.contains(.bias) { layer.dense.bias?.isFrozen = true }
            if config.frozen.contains(.weights) { layer.dense.weight.isFrozen = true }
        }
        optimizer = Optimizer(config.optimizer, parameters: network.parameters, weightDecay: config.weightDecay)
        workspace = Workspace(network: network, capacity: config.batchSize)
        weightStepRate = config.batchSize <= Dense.maximumSteppedRows ? optimizer.plainWeightStepRate : nil
        weightGradientScratch = Tensor(rows: weightStepRate == nil ? network.largestWeightCount : 0, columns: 1)
        sampler = BatchSampler(count: train.count, batchSize: config.batchSize,
                               stream: SplitMix64.stream(seed: config.seed, 0xDA7A), sampling: config.sampling, labels: train.labels)
        probe = ProbeRunner(network: network, train: train, settings: config.probes, seed: config.seed,
                            learningRate: config.optimizer.learningRate)
        landscape = config.probes.landscapeMultipliers.isEmpty ? nil : LandscapeProbe(network: network)
        evaluationRows = max(1, min(Evaluator.rowsAtOnce, max(test.count, config.trainEvaluationSize)))
        // The per-step series gets its room now, so a training step allocates nothing.
        record.series[MetricKey(.batchLoss)] = MetricSeries(reservingCapacity: min(config.steps, 1 << 22))
        if config.probes.initialGradients { probe.recordInitialProfile(into: &record) }
        recordProbes()
        recordEvaluation()
    }

    public var isFinished: Bool { stepsDone >= config.steps || record.failure != nil }

    /// One update on the next mini-batch. Returns the batch's loss, measured before the update.
    @discardableResult
    public func step() -> Double {
        guard !isFinished else { return record.series(.batchLoss)?.last ?? .nan }
        let m = config.batchSize
        workspace.load(train, indices: sampler.nextBatch())
        network.forward(workspace, rows: m, mode: .train(ghostSize: config.ghostBatchSize))
        // The next batch's rows are scattered over the training set; asked for now, they arrive while
        // this step's backward computes.
        if let upcoming = sampler.upcomingBatch() { for i in upcoming { train.prefetchRow(i) } }
        // No zeroing of gradients: the backward overwrites every one (Optim/Parameter.swift).
        let (loss, _) = SoftmaxCrossEntropy.evaluate(logits: workspace.logits, labels: workspace.labels, rows: m,
                                                     gradient: workspace.logitsGradient)
        let probing = isDue(stepsDone + 1, every: config.probes.interval)
        // A step whose gradients something reads: the probes, or the record of a loss that ends the run.
        let inspected = probing || !loss.isFinite
        if !inspected {
            // Each layer is updated right after its backward, while W is still in cache. The same bits as
            // `optimizer.step()` after a full backward (Optimizer.startStep), but the weights' gradients
            // are not kept. With plain SGD, W takes its step inside the product that computes dWᵀ, which
            // is then never stored; otherwise dWᵀ goes to one scratch shared by the layers.
            optimizer.startStep()
            let scratch = weightGradientScratch
            let rate = weightStepRate
            network.backward(workspace, rows: m, weightGradients: rate.map { .sgdStep(learningRate: $0) } ?? .scratch(scratch)) { l in
                let layer = network.layerParameters[l]
                // A layer's parameters start with its W (Network.parameters), already stepped with a rate.
                if rate != nil { optimizer.update(layer.dropFirst()) } else { optimizer.update(layer, weightGradient: scratch.pointer) }
            }
        } else {
            // The probes read the gradients against the weights before the update.
            network.backward(workspace, rows: m)
            if probing { probe.rememberWeights() }
        }
        if probing, let landscape, loss.isFinite {
            let (variation, change) = network.measuring { landscape.measure(workspace: workspace, rows: m, ghostSize: config.ghostBatchSize,
                                                        learningRate: config.optimizer.learningRate,
                                                        multipliers: config.probes.landscapeMultipliers) }
            record.append(MetricKey(.lossVariation), step: stepsDone + 1, variation)
            record.append(MetricKey(.gradientChange), step: stepsDone + 1, change)
        }
        if inspected { optimizer.step() }
        stepsDone += 1
        record.steps = stepsDone
        record.append(MetricKey(.batchLoss), step: stepsDone, loss)
        if !loss.isFinite {
            record.failure = TrainingFailure(step: stepsDone, message: "the loss became \(loss); try a smaller learning rate")
        }
        if probing || isFinished { recordProbes(gradientsAvailable: true) }
        if isDue(stepsDone, every: config.evaluationInterval) || isFinished { recordEvaluation() }
        return loss
    }

    /// Steps until done, or until `shouldContinue` says stop (checked between steps).
    public func run(shouldContinue: () -> Bool = { true }) {
        while !isFinished && shouldContinue() { step() }
    }

    /// The largest gap between the eval-mode logits and those of the network with its normalizations
    /// folded into its linear layers, relative to max(1, |logit|), over up to 1,000 test examples; nil
    /// without a normalization before an activation, or where one cannot be folded.
    private func foldingError() -> Double? {
        guard network.layers.contains(where: { $0.placement == .before }),
              let folded = network.foldedForInference(), test.count > 0 else { return nil }
        // In pieces of `evaluationRows`: eval-mode logits of a row don't depend on the other rows.
        let m = min(1000, test.count), piece = min(m, evaluationRows)
        let a = Workspace(network: network, capacity: piece), b = Workspace(network: folded, capacity: piece)
        var worst = 0.0
        for start in stride(from: 0, to: m, by: piece) {
            let rows = min(piece, m - start)
            a.load(test, from: start, count: rows)
            b.load(test, from: start, count: rows)
            network.forward(a, rows: rows, mode: .eval)
            folded.forward(b, rows: rows, mode: .eval)
            for i in 0..<(rows * network.classes) {
                let x = Double(a.logits.pointer[i]), y = Double(b.logits.pointer[i])
                worst = max(worst, abs(x - y) / max(1, abs(x)))
            }
        }
        return worst
    }

    private func isDue(_ step: Int, every interval: Int) -> Bool {
        step == config.steps || (interval > 0 && step % interval == 0)
    }

    private func recordProbes(gradientsAvailable: Bool = false) {
        probe.record(into: &record, step: stepsDone, gradientsAvailable: gradientsAvailable,
                     lastBatch: workspace, batchRows: config.batchSize)
    }

    private func recordEvaluation() {
        let trainSubset = min(config.trainEvaluationSize, train.count)
        let (testResult, trainResult) = {
            let workspace = Workspace(network: network, capacity: evaluationRows)
            return (Evaluator.evaluate(network, on: test, workspace: workspace),
                    trainSubset > 0 ? Evaluator.evaluate(network, on: train, count: trainSubset, workspace: workspace) : nil)
        }()
        record.append(MetricKey(.testAccuracy), step: stepsDone, testResult.accuracy)
        record.append(MetricKey(.testLoss), step: stepsDone, testResult.loss)
        if let trainResult {
            record.append(MetricKey(.trainAccuracy), step: stepsDone, trainResult.accuracy)
            record.append(MetricKey(.trainLoss), step: stepsDone, trainResult.loss)
            if config.probes.trainEvalGap && config.batchSize <= trainSubset && config.batchSize >= 2 {
                let trainMode = Evaluator.evaluate(network, on: train, count: trainSubset,
                                                   mode: .batchStatistics(ghostSize: config.ghostBatchSize), batchSize: config.batchSize)
                record.append(MetricKey(.trainModeTrainAccuracy), step: stepsDone, trainMode.accuracy)
                record.append(MetricKey(.trainEvalGap), step: stepsDone, trainMode.accuracy - trainResult.accuracy)
            }
        }
        if isFinished {
            if let error = foldingError() { record.append(MetricKey(.foldError), step: stepsDone, error) }
            for size in config.trainModeEvaluationBatchSizes where size <= test.count {
                let result = Evaluator.evaluate(network, on: test, mode: .batchStatistics(ghostSize: nil), batchSize: size)
                record.append(MetricKey(MetricName.trainModeAccuracy(batchSize: size)), step: stepsDone, result.accuracy)
            }
        }
    }
}
