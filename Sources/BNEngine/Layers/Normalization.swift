// The seam every normalization layer plugs into: BN, LayerNorm, GroupNorm, Batch Renormalization.
//
// m = batch size (examples), n = features. x and y are m × n, row-major; γ and β are 1 × n.
// Every kind computes y = γ·x̂ + β, where x̂ is x normalized by statistics the kind chooses (over the
// batch, over each example's features, over groups of them). The network places a normalization
// before or after the activation (`BNPlacement`), and only ever speaks to it through `Normalization`:
// forward in a mode, backward, the eval-mode affine map (folding) and the probe measurements.
// So adding a kind touches its own file in Layers/, one case of `NormalizationKind` (NetworkSpec.swift)
// and its tests; the network, probes, folding and the trainer never name a kind.
//
// Gradient convention (the whole engine; see Optim/Parameter.swift): every backward OVERWRITES.
// After `backward(dy, into: dx, …)`, dx and each parameter's `gradient` hold the gradient of that one
// call, whatever they held before; sums inside a call (over examples, over ghost groups) start from 0.
// Deliberately left out: normalizations without γ and β (freeze them instead), and convolutional shapes.

/// How a normalization's forward runs.
public enum NormalizationMode: Sendable, Equatable {
    /// Train-mode statistics (over ghost groups of `ghostSize` rows where the kind uses the batch);
    /// running statistics, where the kind has them, are updated only if `updateRunningStatistics`.
    case train(ghostSize: Int, updateRunningStatistics: Bool)
    /// Inference: the running statistics of kinds that have them; per-example kinds compute as in train.
    case eval
}

/// Eval mode as a fixed per-feature map y = scale·(x − center) + shift, which folding multiplies
/// into the linear layer before it. Only kinds whose eval output does not depend on the example have one.
public struct NormalizationAffineMap: Sendable, Equatable {
    public var scale: [Float]
    public var center: [Float]
    public var shift: [Float]
}

/// What a normalization's train-mode forward keeps for backward and for the probes. One shape serves
/// every kind; each kind's file says which rows it uses. All tensors are capacity × n.
public final class NormalizationCache {
    /// The normalized input before γ and β (m × n). Batch Renorm keeps (x − μ_B)/σ_B here, before r and d.
    public let xHat: Tensor
    /// 1/√(σ² + ε) per statistic group (BN: one row per ghost group; per-example kinds: one value per row or group).
    public let inverseStd: Tensor
    /// The mean of each statistic group, laid out like `inverseStd`.
    public let mean: Tensor
    /// The biased variance of each statistic group, laid out like `inverseStd`.
    public let variance: Tensor
    /// Batch Renorm's r and d per ghost group (empty for other kinds).
    public let r: Tensor
    public let d: Tensor
    /// The ghost size the last train-mode forward used, which its backward needs.
    public internal(set) var ghostSize = 0

    public init(rows m: Int, features n: Int, keepsCorrection: Bool = false) {
        xHat = Tensor(rows: m, columns: n)
        // At most m statistic groups of n values each.
        inverseStd = Tensor(rows: m, columns: n)
        mean = Tensor(rows: m, columns: n)
        variance = Tensor(rows: m, columns: n)
        r = Tensor(rows: keepsCorrection ? m : 0, columns: n)
        d = Tensor(rows: keepsCorrection ? m : 0, columns: n)
    }
}

/// A per-feature normalization layer with learnable scale γ and shift β, as the network uses it.
public protocol Normalization: AnyObject {
    var features: Int { get }
    /// γ, 1 × n, starts at 1.
    var gamma: Parameter { get }
    /// β, 1 × n, starts at 0.
    var beta: Parameter { get }

    /// A cache able to hold a train-mode forward of up to `rows` examples.
    func makeCache(rows m: Int) -> NormalizationCache
    /// y = γ·x̂ + β for the first m rows of x; in train mode fills `cache` for backward.
    func forward(_ x: Tensor, into y: Tensor, rows m: Int, mode: NormalizationMode, cache: NormalizationCache)
    /// Given dL/dy after a train-mode forward that filled `cache`, writes dL/dx, dL/dγ and dL/dβ (overwriting).
    func backward(_ dy: Tensor, into dx: Tensor, rows m: Int, cache: NormalizationCache)
    /// Eval mode as a per-feature affine map, or nil if it depends on the example (LayerNorm, GroupNorm).
    func evalAffineMap() -> NormalizationAffineMap?
    /// What probes record beyond γ and β: running statistics and their distance from the probe batch's
    /// own (`probe`, a whole-batch train-mode forward), and the last training batch's (`lastBatch`, when given).
    func measurements(probe: NormalizationCache, lastBatch: NormalizationCache?) -> [(name: MetricName, value: Double)]
}

extension Tensor {
    /// The mean of the first `count` values (all by default), summed in Double in index order.
    func meanValue(count: Int? = nil) -> Double {
        let n = count ?? self.count
        guard n > 0 else { return 0 }
        var s = 0.0
        for i in 0..<n { s += Double(pointer[i]) }
        return s / Double(n)
    }
}
