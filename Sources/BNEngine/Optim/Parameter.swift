// A learnable tensor and its gradient.

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
