// A learnable tensor and its gradient.
//
// The engine's one gradient convention: a backward OVERWRITES. Every layer's backward (Dense,
// every Normalization) writes dL/dx and its parameters' gradients as the gradient of that one call,
// whatever the buffers held before; sums inside one call (over the examples, over ghost groups) start
// from zero there. Nothing accumulates across calls, so no zeroing is needed between steps. Chosen
// over "accumulate with +=" because Dense's kernel writes xᵀ·dz straight into dW (accumulating would
// cost a second pass), and nothing in the engine sums one parameter's gradient over several backwards.

/// A learnable tensor, its gradient, and whether the optimizer may change it.
public final class Parameter {
    /// A readable name for reports, e.g. "layer 2 γ".
    public let name: String
    public let value: Tensor
    public let gradient: Tensor
    /// A frozen parameter keeps its value: the optimizer skips it (lessons freeze γ, β or a bias).
    public var isFrozen = false

    public init(name: String, rows: Int, columns: Int) {
        self.name = name
        value = Tensor(rows: rows, columns: columns)
        gradient = Tensor(rows: rows, columns: columns)
    }

    public var count: Int { value.count }
}
