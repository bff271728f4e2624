// Measures the inside of a network on a fixed probe batch: histograms, moments, percentiles,
// saturation per layer and stage, plus per-layer gradient, bias and normalization statistics
// (γ, β, and what each kind measures through `Normalization.measurements`).
//
// The probe batch is the same training examples for every variant of an experiment (it depends only
// on the seed), and runs with batch statistics without touching the running averages, so probing
// never changes training.
//
// Memory: the probe batch is kept as its example indices; its buffers (a Workspace of `rows` rows,
// about 13 MB for 500 MNIST rows through 256-256 with BN) are allocated for each probe and freed
// after it, so the many trainers of a multi-seed experiment don't each hold one between probes.

import Foundation

final class ProbeRunner {
    let network: Network
    let settings: ProbeSettings
    let train: Dataset
    /// The probe batch: these training examples, in this order.
    let batch: [Int]
    let rows: Int
    /// Each layer's bias at step 0, to measure how far it moved.
    let initialBiases: [[Float]?]
    /// Each layer's W just before the last update, for the update:data ratio.
    let previousWeights: [Tensor]
    /// Scratch for sorting one unit's values.
    private var column: [Float]

    /// The optimizer's learning rate η, for the effective learning rate η/‖W‖².
    let learningRate: Float

    init(network: Network, train: Dataset, settings: ProbeSettings, seed: UInt64, learningRate: Float = 0) {
        self.network = network
        self.learningRate = learningRate
        self.settings = settings
        rows = max(2, min(settings.batchSize, train.count))
        self.train = train
        var stream = SplitMix64.stream(seed: seed, 0x9B0BE)
        var order = Array(0..<train.count)
        stream.shuffle(&order)
        batch = Array(order.prefix(rows))
        initialBiases = network.layers.map { $0.dense.bias?.value.values }
        previousWeights = network.layers.map { Tensor(rows: $0.dense.weight.value.rows, columns: $0.dense.weight.value.columns) }
        column = [Float](repeating: 0, count: rows)
    }

    /// Copies every W, so the next `record` can measure the update that follows.
    func rememberWeights() {
        for (layer, copy) in zip(network.layers, previousWeights) { copy.copy(from: layer.dense.weight.value) }
    }

    /// Buffers for the probe batch, loaded with it.
    private func loadedWorkspace() -> Workspace {
        let workspace = Workspace(network: network, capacity: rows)
        workspace.load(train, indices: batch)
        return workspace
    }

    func record(into record: inout RunRecord, step: Int, gradientsAvailable: Bool, lastBatch: Workspace, batchRows: Int) {
        let workspace = loadedWorkspace()
        network.measuring { network.forward(workspace, rows: rows, mode: .batchStatistics(ghostSize: nil)) }
        if settings.evalMode {
            // The layer measurements need the probe batch's own statistics (in the caches of the forward
            // above); the stages are then recorded from a second forward in eval mode.
            for (index, layer) in network.layers.enumerated() {
                recordLayer(layer, l: index + 1, index: index, step: step, gradientsAvailable: gradientsAvailable,
                            probe: workspace.layers[index], lastBatch: lastBatch.layers[index], into: &record)
            }
            network.measuring { network.forward(workspace, rows: rows, mode: .eval) }
            for (index, layer) in network.layers.enumerated() {
                for (stage, tensor) in stages(of: layer, workspace.layers[index]) {
                    recordStage(stage, tensor, layer: layer, l: index + 1, step: step, into: &record)
                }
            }
            return
        }
        for (index, layer) in network.layers.enumerated() {
            let l = index + 1
            let buffers = workspace.layers[index]
            for (stage, tensor) in stages(of: layer, buffers) {
                recordStage(stage, tensor, layer: layer, l: l, step: step, into: &record)
            }
            recordLayer(layer, l: l, index: index, step: step, gradientsAvailable: gradientsAvailable,
                        probe: buffers, lastBatch: lastBatch.layers[index], into: &record)
        }
    }

    /// The depth profile of the network as it is now (called at step 0, before any update): one
    /// forward in batch-statistics mode (running averages untouched) and one backward on the probe
    /// batch, then per layer ℓ at "step" ℓ: ‖∂L/∂W_ℓ‖, and how much the layer's output varies from
    /// example to example: √(mean over units of the unit's variance over the batch). The output is what
    /// the next layer receives: the block output where a residual block closes, the logits last.
    /// Per unit, so a constant offset (a bias, the same for every example) counts as no signal.
    // NOTE: the backward overwrites every parameter's gradient; the first training step overwrites
    // them again before the optimizer reads them, so training is unchanged.
    func recordInitialProfile(into record: inout RunRecord) {
        let workspace = loadedWorkspace()
        network.measuring { network.forward(workspace, rows: rows, mode: .batchStatistics(ghostSize: nil)) }
        _ = SoftmaxCrossEntropy.evaluate(logits: workspace.logits, labels: workspace.labels, rows: rows,
                                         gradient: workspace.logitsGradient)
        network.backward(workspace, rows: rows)
        for (index, layer) in network.layers.enumerated() {
            record.append(MetricKey(.initialGradientNorm), step: index + 1, norm(layer.dense.weight.gradient, of: layer.dense.weight))
            let output = workspace.layers[index].output, n = layer.outputs
            var varianceSum = 0.0
            for unit in 0..<n {
                var sum = 0.0, sumSquares = 0.0
                for r in 0..<rows {
                    let x = Double(output.pointer[r * n + unit])
                    sum += x
                    sumSquares += x * x
                }
                let mean = sum / Double(rows)
                varianceSum += max(0, sumSquares / Double(rows) - mean * mean)
            }
            record.append(MetricKey(.initialOutputStd), step: index + 1, (varianceSum / Double(n)).squareRoot())
        }
    }

    /// The tensors holding each stage's values for this layer.
    private func stages(of layer: NetworkLayer, _ b: LayerBuffers) -> [(Stage, Tensor)] {
        switch layer.placement {
        case .none:
            return layer.activation == .identity ? [(.linear, b.z), (.preActivation, b.z)]
                : [(.linear, b.z), (.preActivation, b.z), (.activation, b.a)]
        case .before:
            return [(.linear, b.z), (.normalized, b.normalized), (.preActivation, b.normalized), (.activation, b.a)]
        case .after:
            return [(.linear, b.z), (.preActivation, b.z), (.activation, b.h), (.normalized, b.a)]
        }
    }

    private func recordStage(_ stage: Stage, _ t: Tensor, layer: NetworkLayer, l: Int, step: Int, into record: inout RunRecord) {
        let count = rows * layer.outputs
        let values = UnsafeBufferPointer(start: t.pointer, count: count)
        let isActivationOutput = stage == .activation
        let lower: Double, upper: Double
        if isActivationOutput {
            switch layer.activation {
            case .sigmoid: (lower, upper) = (0, 1)
            case .tanh: (lower, upper) = (-1, 1)
            case .relu: (lower, upper) = (0, settings.range.upperBound)
            case .identity: (lower, upper) = (settings.range.lowerBound, settings.range.upperBound)
            }
        } else {
            (lower, upper) = (settings.range.lowerBound, settings.range.upperBound)
        }
        var bins = [Double](repeating: 0, count: max(1, settings.bins))
        var below = 0, above = 0, nonFinite = 0, saturated = 0
        var sum = 0.0, sumSquares = 0.0, finite = 0
        let width = (upper - lower) / Double(bins.count)
        for v in values {
            guard v.isFinite else { nonFinite += 1; continue }
            let x = Double(v)
            sum += x
            sumSquares += x * x
            finite += 1
            if isActivationOutput && layer.activation.isSaturated(v) { saturated += 1 }
            if x < lower { below += 1 } else if x > upper { above += 1 } else {
                // Clamped in Double first: an infinite or NaN width (a range of [-inf, inf]) must not trap.
                let position = ((x - lower) / width).rounded(.down)
                bins[position >= 0 ? Int(min(position, Double(bins.count - 1))) : 0] += 1
            }
        }
        let mean = finite > 0 ? sum / Double(finite) : .nan
        let std = finite > 0 ? max(0, sumSquares / Double(finite) - mean * mean).squareRoot() : .nan
        let saturation = isActivationOutput && count > 0 ? Double(saturated) / Double(count) : 0
        record.histograms[HistogramKey(layer: l, stage: stage), default: []].append(
            HistogramSnapshot(step: step, lower: lower, upper: upper, bins: bins, below: below, above: above,
                              nonFinite: nonFinite, mean: mean, std: std, saturation: saturation))
        record.append(MetricKey(.mean, layer: l, stage: stage), step: step, mean)
        record.append(MetricKey(.std, layer: l, stage: stage), step: step, std)
        if isActivationOutput { record.append(MetricKey(.saturation, layer: l, stage: stage), step: step, saturation) }
        for unit in settings.units where unit < layer.outputs {
            for r in 0..<rows { column[r] = t.pointer[r * layer.outputs + unit] }
            column.sort()
            for (name, q) in MetricName.percentiles {
                record.append(MetricKey(name, layer: l, stage: stage, unit: unit), step: step, Double(quantile(q)))
            }
        }
    }

    /// The q-quantile of the sorted `column`, interpolating linearly between order statistics.
    private func quantile(_ q: Double) -> Float {
        let position = q * Double(rows - 1)
        let i = Int(position)
        let fraction = Float(position - Double(i))
        return i + 1 < rows ? column[i] * (1 - fraction) + column[i + 1] * fraction : column[i]
    }

    private func recordLayer(_ layer: NetworkLayer, l: Int, index: Int, step: Int, gradientsAvailable: Bool,
                             probe: LayerBuffers, lastBatch: LayerBuffers, into record: inout RunRecord) {
        let weight = layer.dense.weight
        if settings.weightNorms {
            let weightNorm = norm(weight.value, of: weight)
            record.append(MetricKey(.weightNorm, layer: l), step: step, weightNorm)
            if layer.placement == .before {
                // BN after W makes the layer invariant to W's scale, so a step of η moves its direction by ~η/‖W‖².
                record.append(MetricKey(.effectiveLearningRate, layer: l), step: step, Double(learningRate) / (weightNorm * weightNorm))
            }
        }
        if gradientsAvailable {
            record.append(MetricKey(.gradientNorm, layer: l), step: step, norm(weight.gradient, of: weight))
            let dataNorm = norm(weight.value, of: weight)
            var updateSquares = 0.0
            var largestUpdate: Float = 0
            weight.forEachOffset { i in
                let d = weight.value.pointer[i] - previousWeights[index].pointer[i]
                updateSquares += Double(d) * Double(d)
                largestUpdate = max(largestUpdate, abs(d))
            }
            record.append(MetricKey(.updateRatio, layer: l), step: step, dataNorm > 0 ? updateSquares.squareRoot() / dataNorm : 0)
            record.append(MetricKey(.maxUpdate, layer: l), step: step, Double(largestUpdate))
            if let bias = layer.dense.bias {
                record.append(MetricKey(.biasGradient, layer: l), step: step, maxAbs(bias.gradient))
            }
        }
        if let bias = layer.dense.bias, let initial = initialBiases[index] {
            var moved: Float = 0
            for i in 0..<bias.count { moved = max(moved, abs(bias.value.pointer[i] - initial[i])) }
            record.append(MetricKey(.biasChange, layer: l), step: step, Double(moved))
            record.append(MetricKey(.bias, layer: l), step: step, meanOf(bias.value))
        }
        if let normalization = layer.normalization, let cache = probe.cache {
            record.append(MetricKey(.gamma, layer: l), step: step, normalization.gamma.value.meanValue())
            record.append(MetricKey(.beta, layer: l), step: step, normalization.beta.value.meanValue())
            if let threshold = settings.gammaThreshold {
                let gamma = normalization.gamma.value
                var off = 0
                for i in 0..<gamma.count where Double(abs(gamma.pointer[i])) < threshold { off += 1 }
                record.append(MetricKey(.gammaNearZero, layer: l), step: step, Double(off) / Double(max(1, gamma.count)))
            }
            for (name, value) in normalization.measurements(probe: cache, lastBatch: gradientsAvailable ? lastBatch.cache : nil) {
                record.append(MetricKey(name, layer: l), step: step, value)
            }
        }
    }

    /// The Euclidean norm of a parameter's value or gradient `t`, summed in row-major order however the
    /// parameter is stored (`Parameter.forEachOffset`).
    private func norm(_ t: Tensor, of parameter: Parameter) -> Double {
        var s = 0.0
        parameter.forEachOffset { i in s += Double(t.pointer[i]) * Double(t.pointer[i]) }
        return s.squareRoot()
    }

    private func maxAbs(_ t: Tensor) -> Double {
        var m: Float = 0
        for i in 0..<t.count { m = max(m, abs(t.pointer[i])) }
        return Double(m)
    }

    private func meanOf(_ t: Tensor) -> Double { t.meanValue() }
}
