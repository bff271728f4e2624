// A learnable tensor and its gradient.
//
// The engine's one gradient convention: a backward OVERWRITES. Every layer's backward (Dense,
// every Normalization) writes dL/dx and its parameters' gradients as the gradient of that one call,
// whatever the buffers held before; sums inside one call (over the examples, over ghost groups) start
// from zero there. Nothing accumulates across calls, so no zeroing is needed between steps. Chosen
// over "accumulate with +=" because Dense's kernel writes xᵀ·dz straight into dW (accumulating would
// cost a second pass), and nothing in the engine sums one parameter's gradient over several backwards.
// One exception: on a training step that no probe reads, the trainer sends each W's gradient through
// one scratch shared by the layers, straight into the update, or with plain SGD into W's step inside
// the product that computes it (Trainer.step, Dense.backward); W's `gradient` then still holds the last
// probed step's.

/// What a parameter is to the network: which ones weight decay and freezing select go by it.
public enum ParameterRole: String, Sendable, Equatable, CaseIterable {
    /// A weight matrix W.
    case weight
    /// A linear layer's bias b.
    case bias
    /// A normalization's scale γ.
    case gamma
    /// A normalization's shift β.
    case beta
    /// A residual branch's learnable scale α (SkipInit).
    case skipScale
}

/// A learnable tensor, its gradient, and whether the optimizer may change it.
public final class Parameter {
    /// A readable name for reports, e.g. "layer 2 γ".
    public let name: String
    public let role: ParameterRole
    public let value: Tensor
    public let gradient: Tensor
    /// A frozen parameter keeps its value: the optimizer skips it (lessons freeze γ, β or a bias).
    public var isFrozen = false
    /// Where the elements lie when not row-major: a dense layer's Wᵀ in the kernel's panels (its
    /// padding, zeros, is stored too: `count` floats of value and of gradient).
    public let layout: PanelLayout?

    /// A rows × columns parameter, row-major.
    public init(name: String, rows: Int, columns: Int, role: ParameterRole = .weight) {
        self.name = name
        self.role = role
        layout = nil
        value = Tensor(rows: rows, columns: columns)
        gradient = Tensor(rows: rows, columns: columns)
    }

    /// A parameter stored in panels (`layout.count` floats).
    public init(name: String, layout: PanelLayout, role: ParameterRole = .weight) {
        self.name = name
        self.role = role
        self.layout = layout
        value = Tensor(rows: layout.rows, columns: layout.storedColumns)
        gradient = Tensor(rows: layout.rows, columns: layout.storedColumns)
    }

    /// Floats stored, padding included: what an optimizer steps element by element.
    public var count: Int { value.count }

    /// Calls `body` with the offset of every element in row-major order, padding skipped: a sum over a
    /// parameter (a norm, a probe's change) in this order has the same bits however it is stored.
    @inline(__always)
    public func forEachOffset(_ body: (Int) -> Void) {
        if let layout { layout.forEachOffset(body) } else { for i in 0..<count { body(i) } }
    }
}
