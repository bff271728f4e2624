// A multilayer perceptron built from a NetworkSpec: forward and backward through every layer.
//
// m = batch size. Layer l maps its input (m × inputs) to its output (m × outputs) by
//   none:    z = x·Wᵀ + b → a = f(z)              output a
//   before:  z = x·Wᵀ + b → ẑ = N(z) → a = f(ẑ)  output a
//   after:   z = x·Wᵀ + b → h = f(z) → a = N(h)  output a
// where N is the layer's normalization, of any kind (BN, LayerNorm, …), reached only through the
// `Normalization` protocol. A layer that closes a residual block then adds the skip: its output is
// a_{l−span} + α·a (Network/Residual.swift). Backward runs the same chain in reverse; every backward
// overwrites its gradients (Layers/Normalization.swift). All buffers live in a `Workspace` sized for a batch.

/// One dense layer, its optional normalization, and its activation.
public final class NetworkLayer {
    public let dense: Dense
    public let normalization: (any Normalization)?
    public let activation: Activation
    public let placement: BNPlacement
    /// The skip connection this layer closes, and its learnable α if it has one.
    public let residual: Residual?
    public let skipScale: Parameter?

    init(inputs: Int, spec: LayerSpec, epsilon: Float, momentum: Float, index: Int) {
        dense = Dense(inputs: inputs, outputs: spec.outputs, hasBias: spec.hasBias, name: "layer \(index)")
        normalization = spec.normalizationKind?.make(features: spec.outputs, epsilon: epsilon, momentum: momentum,
                                                     name: "layer \(index)")
        activation = spec.activation
        placement = spec.placement
        residual = spec.residual
        if case .learnable(let initial)? = spec.residual?.scale {
            skipScale = Parameter(name: "layer \(index) α", rows: 1, columns: 1, role: .skipScale)
            skipScale?.value.fill(initial)
        } else {
            skipScale = nil
        }
    }

    public var outputs: Int { dense.outputs }

    /// The normalization if it is BN.
    public var batchNorm: BatchNorm? { normalization as? BatchNorm }
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
    /// Every learnable parameter in a fixed order: per layer W, b, γ, β, α.
    public let parameters: [Parameter]
    /// Layer l's parameters: parameters[layerParameters[l]].
    public let layerParameters: [Range<Int>]
    /// The most floats one layer's Wᵀ takes (inputs × outputs, and its panels' padding): the size of a
    /// weight-gradient scratch.
    public let largestWeightCount: Int
    /// Drives noisy normalization's per-step noise, when the spec asks for it.
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
            if layerSpec.initScale != 1 {
                for i in 0..<weight.count { weight.pointer[i] *= layerSpec.initScale }
            }
            layer.dense.setWeights(weight.values)
            layers.append(layer)
            fanIn = layerSpec.outputs
        }
        self.layers = layers
        let perLayer = layers.map { layer in
            [layer.dense.weight] + (layer.dense.bias.map { [$0] } ?? [])
                + (layer.normalization.map { [$0.gamma, $0.beta] } ?? []) + (layer.skipScale.map { [$0] } ?? [])
        }
        parameters = perLayer.flatMap { $0 }
        var start = 0
        layerParameters = perLayer.map { layer in
            defer { start += layer.count }
            return start..<(start + layer.count)
        }
        largestWeightCount = layers.map { $0.dense.weight.count }.max() ?? 0
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
            layer.dense.forward(input, into: buffers.z, rows: m,
                                prefetching: l + 1 < layers.count ? layers[l + 1].dense.weightMemory : nil)
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
            closeResidualBlock(l, workspace, rows: m)
            input = buffers.output
        }
    }

    private func normalize(_ layer: NetworkLayer, _ x: Tensor, into y: Tensor, buffers: LayerBuffers,
                           rows m: Int, mode: ForwardMode) {
        guard let normalization = layer.normalization, let cache = buffers.cache else { return }
        switch mode {
        case .train(let ghost), .batchStatistics(let ghost):
            let update = mode == .train(ghostSize: ghost)
            normalization.forward(x, into: y, rows: m, mode: .train(ghostSize: ghost ?? m, updateRunningStatistics: update),
                                  cache: cache)
            if let noise = spec.bnNoise { addNoise(noise, to: y, scale: buffers.noiseScale, rows: m) }
        case .eval:
            normalization.forward(x, into: y, rows: m, mode: .eval, cache: cache)
        }
    }

    /// a ← s·a + c (Santurkar et al. 2018): shifts and scales the normalization's output by fresh random amounts.
    /// Per call (a layer's forward): μ ~ U(−meanRange, meanRange), σ ~ U(scaleLower, scaleUpper); per entry: s ~ N(σ, scaleJitter),
    /// c ~ U(μ − meanJitter, μ + meanJitter). The entries' normals come in pairs (polar method), two entries a pair.
    private func addNoise(_ noise: BNNoise, to y: Tensor, scale: Tensor, rows m: Int) {
        var rng = noiseStream  // a local copy in the loop, written back at the end
        defer { noiseStream = rng }
        let mu = rng.uniform(-noise.meanRange, noise.meanRange)
        let sigma = rng.uniform(noise.scaleLower, noise.scaleUpper)
        let count = m * y.columns
        func perturb(_ i: Int, _ z: Double) {
            let s = sigma + noise.scaleJitter * Float(z)
            let c = rng.uniform(mu - noise.meanJitter, mu + noise.meanJitter)
            scale.pointer[i] = s
            y.pointer[i] = s * y.pointer[i] + c
        }
        for i in stride(from: 0, to: count, by: 2) {
            let (z0, z1) = rng.standardNormalPair()
            perturb(i, z0)
            if i + 1 < count { perturb(i + 1, z1) }
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
    /// every parameter's gradient (overwriting). Call after a forward in `.train` or `.batchStatistics`
    /// mode; the normalizations take the ghost size from that forward. `layerDone(l)` runs as soon as
    /// layer l's parameters have their gradients and will not be read again in this backward (a trainer
    /// updates them there, `Optimizer.update`), from the last layer down. `weightGradients` says where
    /// each layer's dL/dWᵀ goes (Dense.backward): to its W's gradient; to one scratch of at least
    /// `largestWeightCount` floats, which holds it only until the next layer's; or into SGD's step on
    /// W, taken inside the product (W is then updated when `layerDone` runs).
    public func backward(_ workspace: Workspace, rows m: Int, weightGradients: WeightGradientTarget = .gradient,
                         layerDone: (Int) -> Void = { _ in }) {
        if case .scratch(let scratch) = weightGradients {
            precondition(scratch.count >= largestWeightCount, "Network: \(scratch.count) floats of weight-gradient scratch, \(largestWeightCount) needed")
        }
        for l in stride(from: layers.count - 1, through: 0, by: -1) {
            let layer = layers[l], buffers = workspace.layers[l]
            let count = m * layer.outputs
            enterResidualBackward(l, workspace, rows: m)
            let dOut = buffers.gradient  // dL/da on entry (the branch's share in a residual block)
            let dz = buffers.dz
            switch layer.placement {
            case .none:
                layer.activation.backward(dOut.pointer, input: buffers.z.pointer, output: buffers.a.pointer,
                                          into: dz.pointer, count: count)
            case .before:
                // dL/dẑ = f′(ẑ)·dL/da, then through the noise (if any), then through N to dL/dz.
                let dNormalized = buffers.scratch
                layer.activation.backward(dOut.pointer, input: buffers.normalized.pointer, output: buffers.a.pointer,
                                          into: dNormalized.pointer, count: count)
                backwardNormalize(layer, dNormalized, into: dz, buffers: buffers, rows: m)
            case .after:
                // dL/dh through the noise and N, then dL/dz = f′(z)·dL/dh.
                let dh = buffers.scratch
                backwardNormalize(layer, dOut, into: dh, buffers: buffers, rows: m)
                layer.activation.backward(dh.pointer, input: buffers.z.pointer, output: buffers.h.pointer,
                                          into: dz.pointer, count: count)
            }
            let input = l == 0 ? workspace.input : workspace.layers[l - 1].output
            let dInput = l == 0 ? nil : workspace.layers[l - 1].gradient
            layer.dense.backward(dz, input: input, into: dInput, rows: m, weightGradient: weightGradients,
                                 prefetching: l == 0 ? nil : layers[l - 1].dense.weightMemory)
            addSkipGradients(into: l, workspace, rows: m)
            layerDone(l)
        }
    }

    private func backwardNormalize(_ layer: NetworkLayer, _ dy: Tensor, into dx: Tensor, buffers: LayerBuffers, rows m: Int) {
        guard let normalization = layer.normalization, let cache = buffers.cache else { return }
        if spec.bnNoise != nil {
            // d(s·y + c)/dy = s
            for i in 0..<(m * layer.outputs) { dy.pointer[i] *= buffers.noiseScale.pointer[i] }
        }
        normalization.backward(dy, into: dx, rows: m, cache: cache)
    }

    /// Sets every parameter's gradient to zero. Not needed before `backward` (it overwrites every
    /// gradient); for callers that read gradients without a backward, e.g. a step-0 report.
    public func zeroGradients() {
        for parameter in parameters { parameter.gradient.fill(0) }
    }
}
