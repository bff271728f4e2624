// A fully connected layer: z = x·Wᵀ + b, forward and backward.
//
// m = batch size, i = inputs, o = outputs. x is m × i, z is m × o, b is 1 × o.
// W is o × i in the math (PyTorch's [outputs][inputs]); the layer STORES Wᵀ (i × o), so that
// z = x·Wᵀ is one product that can skip zero inputs (about 80% of MNIST's pixels) and dWᵀ = xᵀ·dz is
// written in place (overwriting: the engine's gradient convention, Optim/Parameter.swift). Wᵀ and dWᵀ
// lie in the kernel's panels (`layout`, Kernels/PanelLayout.swift), the order the forward product reads
// Wᵀ in, so it packs nothing; the padding of the last panel holds zeros. Every optimizer works element
// by element, so none needs to know the layout. `weights()` and `setWeights(_:)` speak [outputs][inputs].
// The bias is optional: before BN it is redundant (BN subtracts the batch mean, which absorbs any
// constant), so BN layers usually go without.

/// Where a dense layer's backward puts dL/dWᵀ.
public enum WeightGradientTarget {
    /// W's own `gradient` (overwritten, the engine's convention).
    case gradient
    /// A scratch of at least `weight.count` floats (dWᵀ in Wᵀ's layout): a trainer's, shared by the
    /// layers, read by its update right after each layer's backward.
    case scratch(Tensor)
    /// Nowhere: plain SGD's step Wᵀ ← Wᵀ − lr·dWᵀ is taken as each block of dWᵀ is computed, the
    /// same bits as `Optimizer.update` from a stored dWᵀ, without writing dWᵀ and reading it back.
    /// Only for batches of at most `Dense.maximumSteppedRows`.
    case sgdStep(learningRate: Float)
}

/// A linear map with an optional bias.
public final class Dense {
    /// The largest batch whose backward can take SGD's step inside the product (`WeightGradientTarget.sgdStep`):
    /// the kernel's depth block, 256 (128 with AVX-512).
    public static let maximumSteppedRows = fusedStepDepth

    public let inputs: Int
    public let outputs: Int
    /// Wᵀ, inputs × outputs, and its gradient dL/dWᵀ, both stored in `layout`.
    public let weight: Parameter
    /// Where Wᵀ's elements lie in `weight` (its last panel padded with zeros).
    public var layout: PanelLayout { PanelLayout(rows: inputs, columns: outputs) }
    /// b, 1 × outputs, or nil for a bias-free layer.
    public let bias: Parameter?

    public init(inputs: Int, outputs: Int, hasBias: Bool, name: String = "layer") {
        self.inputs = inputs
        self.outputs = outputs
        weight = Parameter(name: "\(name) W", layout: PanelLayout(rows: inputs, columns: outputs))
        bias = hasBias ? Parameter(name: "\(name) b", rows: 1, columns: outputs, role: .bias) : nil
    }

    /// W as PyTorch lays it out: outputs × inputs, row-major.
    public func weights() -> [Float] {
        let layout = layout
        return (0..<(outputs * inputs)).map { k in weight.value.pointer[layout.offset(row: k % inputs, column: k / inputs)] }
    }

    /// Sets W from an outputs × inputs row-major array.
    public func setWeights(_ w: [Float]) {
        precondition(w.count == outputs * inputs, "Dense: \(w.count) weights for \(outputs) × \(inputs)")
        var transposed = [Float](repeating: 0, count: w.count)
        for o in 0..<outputs {
            for i in 0..<inputs { transposed[i * outputs + o] = w[o * inputs + i] }
        }
        layout.store(transposed, into: weight.value.pointer)
    }

    /// Wᵀ's memory, for a product to prefetch ahead of this layer.
    public var weightMemory: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: weight.value.pointer, count: weight.count * MemoryLayout<Float>.stride)
    }

    /// z = x·Wᵀ + b for the first m rows of x, prefetching `next` (the next layer's weights) meanwhile.
    public func forward(_ x: Tensor, into z: Tensor, rows m: Int, prefetching next: UnsafeRawBufferPointer? = nil) {
        multiply(x.pointer, weight.value.pointer, bInPanels: true, into: z.pointer, m: m, k: inputs, n: outputs, prefetching: next)
        if let bias {
            let b = bias.value.pointer
            for r in 0..<m {
                let zr = z.row(r)
                for j in 0..<outputs { zr[j] += b[j] }
            }
        }
    }

    /// Given dL/dz, writes dL/dW and dL/db (overwriting) and, if `dx` is given, dL/dx.
    ///   dWᵀ = xᵀ·dz      (i × o; one row of dz per nonzero input)
    ///   db  = Σᵢ dzᵢ     (sum over the m examples)
    ///   dx  = dz·W       (m × i), W's columns read as the stored Wᵀ's rows, no copy of W
    /// dWᵀ goes where `target` says (W's gradient, a trainer's scratch, or straight into SGD's step on
    /// Wᵀ; see Trainer.step). Stored, dWᵀ comes first, and while it is computed Wᵀ (which dx reads
    /// next, last read in the forward, many layers ago) is prefetched. With SGD's step, dx comes first
    /// (it reads W before the step), and the step prefetches `next`: what the caller reads after this
    /// layer (the layer below's W).
    public func backward(_ dz: Tensor, input x: Tensor, into dx: Tensor?, rows m: Int,
                         weightGradient target: WeightGradientTarget = .gradient, prefetching next: UnsafeRawBufferPointer? = nil) {
        func inputGradient() {
            guard let dx else { return }
            multiplyTransposedB(dz.pointer, weight.value.pointer, bInPanels: true, into: dx.pointer, m: m, k: outputs, n: inputs)
        }
        switch target {
        case .gradient, .scratch:
            let dW: UnsafeMutablePointer<Float>
            if case .scratch(let scratch) = target { dW = scratch.pointer } else { dW = weight.gradient.pointer }
            multiplyTransposedA(x.pointer, dz.pointer, into: dW, cInPanels: true, m: inputs, k: m, n: outputs,
                                prefetching: dx == nil ? nil : weightMemory)
            inputGradient()
        case .sgdStep(let learningRate):
            precondition(m <= Self.maximumSteppedRows, "Dense: SGD's step inside the product needs at most \(Self.maximumSteppedRows) rows, got \(m)")
            inputGradient()  // before the step: dx reads the W of this step's forward
            // Wᵀ ← Wᵀ − lr·(xᵀ·dz)
            multiplyTransposedA(x.pointer, dz.pointer, into: weight.value.pointer, cInPanels: true, m: inputs, k: m, n: outputs,
                                prefetching: next, subtractingScaled: learningRate)
        }
        if let bias {
            let db = bias.gradient.pointer
            db.update(repeating: 0, count: outputs)
            for r in 0..<m {
                let dzr = dz.row(r)
                for j in 0..<outputs { db[j] += dzr[j] }
            }
        }
    }
}
