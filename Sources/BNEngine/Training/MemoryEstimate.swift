// What a training run will allocate, estimated from its configuration before anything is built, so
// a lesson or a command line asking for `hidden: [100000000]` gets a message instead of a 300 GB
// allocation and an abort. Checked by `TrainingConfig.validate`, which the lesson parser, the
// experiment runner, `bnlab train` and `Trainer.init` all call.
//
// The estimate is an upper-end sum in bytes (Float = 4 bytes; a recorded point = 16 bytes):
//   parameters   P · 4 · (value, gradient, 2 optimizer slots, the probe's copy, the trainer's
//                weight-gradient scratch, 2 landscape copies)
//   activations  rows · (inputs + 10 · Σ layer widths) · 4, where rows = batch + evaluation chunk
//                (≤ 1,000) + probe batch + the largest train-mode evaluation batch; 10 per-row
//                buffers per layer cover z, a, the gradients, the scratch and BN's cache
//   record       steps (the per-step loss) and, per probe, every layer's histograms and unit
//                percentiles in 3 stages; per evaluation, the accuracy and loss series
//   data         the training set (and test set, when known): features + 1 label per example
//   scratch      the matrix kernel's per-thread scratch (KernelShape.scratchBytesPerThread, 1.5 MB):
//                a run trains on one thread at a time
// Every product saturates at Int.max, so absurd sizes cannot overflow the estimate itself.

/// Bytes a training run needs, by part.
public struct MemoryEstimate: Sendable, Equatable, CustomStringConvertible {
    public var parameters: Int
    public var activations: Int
    public var record: Int
    public var data: Int
    public var scratch: Int

    /// The most one training run may need: 4 GiB. Larger configurations are refused before
    /// anything is allocated (README, "Limits").
    public static let budget = 4 << 30

    public var total: Int { [parameters, activations, record, data, scratch].reduce(0, Self.add) }

    public init(_ config: TrainingConfig, trainCount: Int, testCount: Int = 0, features: Int) {
        let network = config.network
        // The parameter count, saturating (NetworkSpec.parameterCount would overflow on absurd widths);
        // an upper bound, with the most padding Wᵀ's panels can have.
        var p = 0, fanIn = max(0, network.inputs)
        for layer in network.layers {
            let outputs = max(0, layer.outputs)
            // Wᵀ in the kernel's panels (at most panelColumns − 1 columns of padding), bias, γ, β
            p = Self.add(p, Self.add(Self.mul(fanIn, Self.add(outputs, KernelShape.panelColumns - 1)), Self.mul(3, outputs)))
            fanIn = outputs
        }
        parameters = Self.mul(p, 4 * (config.probes.landscapeMultipliers.isEmpty ? 6 : 8))
        let widths = network.layers.reduce(0) { Self.add($0, max(0, $1.outputs)) }
        var rows = Self.add(max(0, config.batchSize), min(1000, max(0, max(testCount, config.trainEvaluationSize))))
        rows = Self.add(rows, max(0, config.probes.batchSize))
        rows = Self.add(rows, max(0, config.trainModeEvaluationBatchSizes.max() ?? 0))
        activations = Self.mul(Self.mul(rows, Self.add(max(0, network.inputs), Self.mul(10, widths))), 4)
        let steps = max(0, config.steps)
        let probes = Self.add(2, config.probes.interval > 0 ? steps / config.probes.interval : 0)
        let perLayerProbe = Self.add(Self.add(Self.mul(max(0, config.probes.bins), 8), 128), Self.mul(config.probes.units.count, 3 * 16))
        let perProbe = Self.mul(Self.mul(network.layers.count, 3), perLayerProbe)
        let evaluations = Self.add(2, config.evaluationInterval > 0 ? steps / config.evaluationInterval : 0)
        record = Self.add(Self.add(Self.mul(steps, 16), Self.mul(probes, perProbe)), Self.mul(evaluations, 8 * 16))
        data = Self.mul(Self.add(max(0, trainCount), max(0, testCount)), Self.mul(Self.add(max(0, features), 1), 4))
        scratch = KernelShape.scratchBytesPerThread
    }

    /// Throws when the run would need more than ``budget``, with the estimate in the message.
    public func check() throws {
        guard total > Self.budget else { return }
        throw ConfigurationError(field: "network", "this run would need about \(Self.format(total)) (\(self)), more than bnlab's limit of \(Self.format(Self.budget)) per run; use fewer or narrower layers, a smaller batch, or fewer steps")
    }

    public var description: String {
        "parameters \(Self.format(parameters)), activations \(Self.format(activations)), record \(Self.format(record)), data \(Self.format(data)), kernel scratch \(Self.format(scratch))"
    }

    /// Bytes as "312.5 GB", "18 MB", "640 KB".
    public static func format(_ bytes: Int) -> String {
        if bytes == Int.max { return "more than 9 EB" }
        let units = ["bytes", "KB", "MB", "GB", "TB", "PB", "EB"]
        var value = Double(bytes), unit = 0
        while value >= 1000 && unit < units.count - 1 { value /= 1000; unit += 1 }
        if unit == 0 { return "\(bytes) bytes" }
        let digits = value < 10 ? 1 : 0
        let scale = digits == 1 ? 10.0 : 1.0
        let rounded = (value * scale).rounded() / scale
        return digits == 1 ? "\(rounded) \(units[unit])" : "\(Int(rounded)) \(units[unit])"
    }

    /// The bytes of a loaded train and test set.
    public static func dataBytes(train: Dataset, test: Dataset) -> Int {
        mul(add(train.count, test.count), mul(add(train.features, 1), 4))
    }

    public static func add(_ a: Int, _ b: Int) -> Int {
        let (r, overflow) = a.addingReportingOverflow(b)
        return overflow ? Int.max : r
    }

    public static func mul(_ a: Int, _ b: Int) -> Int {
        let (r, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? Int.max : r
    }
}
