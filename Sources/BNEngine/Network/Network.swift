// A multilayer perceptron built from a NetworkSpec: forward and backward through every layer.
//
// m = batch size. Layer l maps its input (m × inputs) to its output (m × outputs) by
//   none:    z = x·Wᵀ + b → a = f(z)            output a
//   before:  z = x·Wᵀ + b → ẑ = BN(z) → a = f(ẑ)  output a
//   after:   z = x·Wᵀ + b → h = f(z) → a = BN(h)  output a
// Backward runs the same chain in reverse. All buffers live in a `Workspace` sized for a batch.

/// One dense layer, its optional BN, and its activation.
public final class NetworkLayer {
    public let dense: Dense
    public let batchNorm: BatchNorm?
    public let activation: Activation
    public let placement: BNPlacement

    init(inputs: Int, spec: LayerSpec, epsilon: Float, momentum: Float, index: Int) {
        dense = Dense(inputs: inputs, outputs: spec.outputs, hasBias: spec.hasBias, name: "layer \(index)")
        batchNorm = spec.batchNorm == .none ? nil
            : BatchNorm(features: spec.outputs, epsilon: epsilon, momentum: momentum, name: "layer \(index)")
        activation = spec.activation
        placement = spec.batchNorm
    }

    public var outputs: Int { dense.outputs }
}

/// How a forward pass normalizes.
public enum ForwardMode: Sendable, Equatable {
    /// Batch statistics (over ghost groups of `ghostSize`, nil = the whole batch); running averages updated.
    case train(ghostSize: Int?)
    /// Batch statistics, running averages left alone: what a probe or train-mode evaluation sees.
    case batchStatistics(ghostSize: Int?)
    /// Running averages: inference.
    case eval
}

/// The network's parameters and layers.
public final class Network {
    public let spec: NetworkSpec
    public let layers: [NetworkLayer]
    /// Every learnable parameter in a fixed order: per layer W, b, γ, β.
    public let parameters: [Parameter]
    /// Drives noisy BN's per-step noise, when the spec asks for it.
    var noiseStream: SplitMix64
    /// The noise for measurements (probes, the landscape), kept apart so measuring never changes training.
    private var measurementNoiseStream: SplitMix64

    /// Builds and initialises the network. Layer k's weights come from their own stream of `seed`,
    /// so two specs that differ only in biases or BN start from the same weights.
    public init(_ spec: NetworkSpec, seed: UInt64) {
        self.spec = spec
        var fanIn = spec.inputs
        var layers = [NetworkLayer]()
        for (index, layerSpec) in spec.layers.enumerated() {
            let layer = NetworkLayer(inputs: fanIn, spec: layerSpec, epsilon: spec.bnEpsilon,
                                     momentum: spec.bnMomentum, index: index + 1)
            var weightStream = SplitMix64.stream(seed: seed, UInt64(2 * index + 1))
            var biasStream = SplitMix64.stream(seed: seed, UInt64(2 * index + 2))
            let weight = Tensor(rows: layerSpec.outputs, columns: fanIn)  // drawn in PyTorch's [outputs][inputs] order
            spec.initialization.initialize(weight: weight, bias: layer.dense.bias?.value,
                                           weightStream: &weightStream, biasStream: &biasStream)
            layer.dense.setWeights(weight.values)
            layers.append(layer)
            fanIn = layerSpec.outputs
        }
        self.layers = layers
        parameters = layers.flatMap { layer in
            [layer.dense.weight] + (layer.dense.bias.map { [$0] } ?? [])
                + (layer.batchNorm.map { [$0.gamma, $0.beta] } ?? [])
        }
        noiseStream = SplitMix64.stream(seed: seed, 0xB0_15E)
        measurementNoiseStream = SplitMix64.stream(seed: seed, 0x3EA5_0BE)
    }

    public var inputs: Int { spec.inputs }
    public var classes: Int { layers.last?.outputs ?? 0 }

    // MARK: Forward

    /// Runs the first m rows of `workspace.input` through every layer; the logits land in `workspace.logits`.
    public func forward(_ workspace: Workspace, rows m: Int, mode: ForwardMode) {
        precondition(m <= workspace.capacity, "Network: \(m) rows exceed the workspace's \(workspace.capacity)")
        var input = workspace.input
        for (l, layer) in layers.enumerated() {
            let buffers = workspace.layers[l]
            layer.dense.forward(input, into: buffers.z, rows: m)
            let count = m * layer.outputs
            switch layer.placement {
            case .none:
                layer.activation.forward(buffers.z.pointer, into: buffers.a.pointer, count: count)
            case .before:
                normalize(layer, buffers.z, into: buffers.normalized, buffers: buffers, rows: m, mode: mode)
                layer.activation.forward(buffers.normalized.pointer, into: buffers.a.pointer, count: count)
            case .after:
                layer.activation.forward(buffers.z.pointer, into: buffers.h.pointer, count: count)
                normalize(layer, buffers.h, into: buffers.a, buffers: buffers, rows: m, mode: mode)
            }
            input = buffers.a
        }
    }

    private func normalize(_ layer: NetworkLayer, _ x: Tensor, into y: Tensor, buffers: LayerBuffers,
                           rows m: Int, mode: ForwardMode) {
        guard let bn = layer.batchNorm, let cache = buffers.cache else { return }
        switch mode {
        case .train(let ghost), .batchStatistics(let ghost):
            let update = mode == .train(ghostSize: ghost)
            bn.forwardTrain(x, into: y, rows: m, ghostSize: ghost ?? m, cache: cache, updateRunningStatistics: update)
            if let noise = spec.bnNoise { addNoise(noise, to: y, scale: buffers.noiseScale, rows: m) }
        case .eval:
            bn.forwardEval(x, into: y, rows: m)
        }
    }

    /// a ← s·a + c (Santurkar et al. 2018): shifts and scales BN's output by fresh random amounts.
    private func addNoise(_ noise: BNNoise, to y: Tensor, scale: Tensor, rows m: Int) {
        let mu = noiseStream.uniform(-noise.meanRange, noise.meanRange)
        let sigma = noiseStream.uniform(noise.scaleLower, noise.scaleUpper)
        let count = m * y.columns
        for i in 0..<count {
            let s = noiseStream.normal(mean: sigma, std: noise.scaleJitter)
            let c = noiseStream.uniform(mu - noise.meanJitter, mu + noise.meanJitter)
            scale.pointer[i] = s
            y.pointer[i] = s * y.pointer[i] + c
        }
    }

    /// Runs `body` with noisy BN drawing from the measurement stream instead of the training stream.
    func measuring<T>(_ body: () -> T) -> T {
        swap(&noiseStream, &measurementNoiseStream)
        defer { swap(&noiseStream, &measurementNoiseStream) }
        return body()
    }

    // MARK: Backward

    /// Backpropagates dL/dlogits (in `workspace.layers.last.gradient`) through every layer, filling
    /// every parameter's gradient. Call after a forward in `.train` or `.batchStatistics` mode.
    public func backward(_ workspace: Workspace, rows m: Int, ghostSize: Int?) {
        for l in stride(from: layers.count - 1, through: 0, by: -1) {
            let layer = layers[l], buffers = workspace.layers[l]
            let count = m * layer.outputs
            let dOut = buffers.gradient  // dL/da on entry
            let dz = buffers.dz
            switch layer.placement {
            case .none:
                layer.activation.backward(dOut.pointer, input: buffers.z.pointer, output: buffers.a.pointer,
                                          into: dz.pointer, count: count)
            case .before:
                // dL/dẑ = f′(ẑ)·dL/da, then through the noise (if any), then through BN to dL/dz.
                let dNormalized = buffers.scratch
                layer.activation.backward(dOut.pointer, input: buffers.normalized.pointer, output: buffers.a.pointer,
                                          into: dNormalized.pointer, count: count)
                backwardNormalize(layer, dNormalized, into: dz, buffers: buffers, rows: m, ghostSize: ghostSize)
            case .after:
                // dL/dh through the noise and BN, then dL/dz = f′(z)·dL/dh.
                let dh = buffers.scratch
                backwardNormalize(layer, dOut, into: dh, buffers: buffers, rows: m, ghostSize: ghostSize)
                layer.activation.backward(dh.pointer, input: buffers.z.pointer, output: buffers.h.pointer,
                                          into: dz.pointer, count: count)
            }
            let input = l == 0 ? workspace.input : workspace.layers[l - 1].a
            let dInput = l == 0 ? nil : workspace.layers[l - 1].gradient
            layer.dense.backward(dz, input: input, into: dInput, rows: m)
        }
    }

    private func backwardNormalize(_ layer: NetworkLayer, _ dy: Tensor, into dx: Tensor, buffers: LayerBuffers,
                                   rows m: Int, ghostSize: Int?) {
        guard let bn = layer.batchNorm, let cache = buffers.cache else { return }
        if spec.bnNoise != nil {
            // d(s·y + c)/dy = s
            for i in 0..<(m * layer.outputs) { dy.pointer[i] *= buffers.noiseScale.pointer[i] }
        }
        bn.backward(dy, into: dx, rows: m, ghostSize: ghostSize ?? m, cache: cache)
    }

    /// Sets every parameter's gradient to zero (BN's dγ, dβ accumulate; dense gradients overwrite).
    public func zeroGradients() {
        for parameter in parameters { parameter.gradient.fill(0) }
    }
}
