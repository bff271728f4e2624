// Every buffer a forward and backward pass needs, allocated once for a maximum batch size.

/// One layer's buffers, each capacity × outputs.
public final class LayerBuffers {
    /// z = x·Wᵀ + b.
    public let z: Tensor
    /// The normalization's output when it comes before the activation.
    public let normalized: Tensor
    /// The activation's output when a normalization comes after it.
    public let h: Tensor
    /// The layer's output.
    public let a: Tensor
    /// dL/da (the layer's output gradient), then reused.
    public let gradient: Tensor
    /// dL/dz. The same memory for every layer of a workspace: a backward needs it only within a layer.
    public let dz: Tensor
    /// An intermediate gradient (dL/dẑ or dL/dh); shared by the layers like `dz`.
    public let scratch: Tensor
    /// Noisy normalization's per-element scale s, kept for backward.
    public let noiseScale: Tensor
    /// What the train-mode normalization keeps for backward; nil without one.
    public let cache: NormalizationCache?
    /// A residual block's output a_{l−span} + α·f and its output gradient kept for the skip (empty otherwise).
    public let blockOutput: Tensor
    let skipGradient: Tensor

    /// The layer's output as the next layer sees it: the block output when it closes a residual block.
    public var output: Tensor { blockOutput.rows > 0 ? blockOutput : a }

    /// `sharedDz` and `sharedScratch` hold at least capacity × outputs values each (see `dz`).
    init(capacity: Int, outputs: Int, normalization: (any Normalization)?, hasNoise: Bool, residual: Bool = false,
         sharedDz: Tensor, sharedScratch: Tensor) {
        let hasNormalization = normalization != nil
        z = Tensor(rows: capacity, columns: outputs)
        normalized = Tensor(rows: hasNormalization ? capacity : 0, columns: outputs)
        h = Tensor(rows: hasNormalization ? capacity : 0, columns: outputs)
        a = Tensor(rows: capacity, columns: outputs)
        gradient = Tensor(rows: capacity, columns: outputs)
        dz = Tensor(sharing: sharedDz, rows: capacity, columns: outputs)
        scratch = Tensor(sharing: sharedScratch, rows: capacity, columns: outputs)
        noiseScale = Tensor(rows: hasNoise ? capacity : 0, columns: outputs)
        cache = normalization?.makeCache(rows: capacity)
        blockOutput = Tensor(rows: residual ? capacity : 0, columns: outputs)
        skipGradient = Tensor(rows: residual ? capacity : 0, columns: outputs)
    }

    /// The values the activation receives: ẑ with a normalization before it, else z.
    public func activationInput(_ placement: BNPlacement) -> Tensor { placement == .before ? normalized : z }
}

/// Buffers for running batches of up to `capacity` rows through a network.
public final class Workspace {
    public let capacity: Int
    /// The batch: capacity × inputs.
    public let input: Tensor
    public let layers: [LayerBuffers]
    /// The label of each input row.
    public let labels: UnsafeMutablePointer<Int32>
    /// Where `load` keeps what its touch pass read, so that the reads are not optimized away.
    private var touchedSink: UInt32 = 0

    public init(network: Network, capacity: Int) {
        self.capacity = capacity
        input = Tensor(rows: capacity, columns: network.inputs)
        // dz and the scratch gradient are needed only within one layer's backward: one buffer each for
        // every layer keeps a deep net's step in fewer cache lines (32 × 256: 3.8 MB fewer).
        let widest = network.layers.map(\.outputs).max() ?? 0
        let sharedDz = Tensor(rows: capacity, columns: widest), sharedScratch = Tensor(rows: capacity, columns: widest)
        layers = network.layers.map {
            LayerBuffers(capacity: capacity, outputs: $0.outputs, normalization: $0.normalization,
                         hasNoise: $0.normalization != nil && network.spec.bnNoise != nil, residual: $0.residual != nil,
                         sharedDz: sharedDz, sharedScratch: sharedScratch)
        }
        labels = .allocate(capacity: max(1, capacity))
        labels.initialize(repeating: 0, count: max(1, capacity))
    }

    deinit { labels.deallocate() }

    /// The network's output: the last layer's `a` (the output layer never closes a residual block).
    public var logits: Tensor { layers[layers.count - 1].a }

    /// Where dL/dlogits goes before `Network.backward`.
    public var logitsGradient: Tensor { layers[layers.count - 1].gradient }

    /// Copies examples `indices` of `data` into the input rows and labels.
    public func load(_ data: Dataset, indices: some Collection<Int>) {
        // The rows are scattered over the whole split (47 MB of MNIST bytes), so a row nobody asked for
        // ahead misses the caches on nearly every line. (A training step asks for the next batch's rows
        // while it computes, `Trainer.step`; an evaluation's rows, and an epoch's first batch, are not
        // asked for.) Reading one value per cache line of every row first lets those misses overlap (no
        // load depends on another); decoding row by row then finds the rows in cache, where it used to
        // wait on each row's misses in turn (8% of a BN step's samples, most of them on the first load
        // of a row).
        var touched: UInt32 = 0
        for index in indices { touched &+= data.touchRow(index) }
        touchedSink = touched
        for (row, index) in indices.enumerated() {
            data.copyRow(index, into: input.row(row))
            labels[row] = data.labels[index]
        }
    }

    /// Copies the `count` examples from `start` of `data` into the input rows and labels.
    public func load(_ data: Dataset, from start: Int, count: Int) {
        load(data, indices: start..<(start + count))
    }
}
