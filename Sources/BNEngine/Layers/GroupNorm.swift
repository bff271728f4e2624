// Group normalization (Wu & He 2018; PyTorch's nn.GroupNorm(G, n) on an m × n batch) and layer
// normalization (Ba, Kiros & Hinton 2016; PyTorch's nn.LayerNorm(n)), which is its G = 1, forward and backward.
//
// m = batch size (examples), n = features, G = groups, s = n/G features per group (G divides n).
// x and y are m × n, row-major. Each example's features split into G contiguous groups
// (features g·s ..< (g + 1)·s); every formula below is per example i and group g, over its s features:
//
//   μᵢg  = (1/s) Σⱼ∈g xᵢⱼ
//   σᵢg² = (1/s) Σⱼ∈g (xᵢⱼ − μᵢg)²   (biased)
//   x̂ᵢⱼ  = (xᵢⱼ − μᵢg) / √(σᵢg² + ε)
//   yᵢⱼ  = γⱼ·x̂ᵢⱼ + βⱼ               (γ and β per feature, not per group)
//
// G = 1 is LayerNorm: each example normalized over its whole row (`GroupNorm.layerNorm`, the network's
// `.layer` kind). G = n normalizes every feature of every example alone (x̂ = 0, so y = β: a group of
// one value has no spread). No statistic crosses examples, so train and eval mode compute the same
// thing, any batch size works (even one example), and there are no running averages. Gradients
// overwrite (Layers/Normalization.swift).
// Deliberately left out: channels with a spatial extent (an MLP's features are the channels here), and
// folding (the eval output depends on each example's own statistics, so it is no fixed affine map).

/// Per-example normalization over contiguous groups of features, with per-feature γ and β.
public final class GroupNorm: Normalization {
    public let features: Int
    public let groups: Int
    public var epsilon: Float
    public let gamma: Parameter
    public let beta: Parameter

    /// - Precondition: groups ≥ 1 divides n (the caller validates user input: `NormalizationKind.problem`).
    public init(features n: Int, groups: Int, epsilon: Float = 1e-5, name: String = "GN") {
        precondition(groups >= 1 && n % groups == 0, "GroupNorm: \(groups) groups must divide \(n) features")
        features = n
        self.groups = groups
        self.epsilon = epsilon
        gamma = Parameter(name: "\(name) γ", rows: 1, columns: n, role: .gamma)
        beta = Parameter(name: "\(name) β", rows: 1, columns: n, role: .beta)
        gamma.value.fill(1)
    }

    /// Layer normalization: one group, the whole row. (It was a type of its own, LayerNorm, with the same
    /// loops for s = n; `NormalizationZooTests` checked the two equal.)
    public static func layerNorm(features n: Int, epsilon: Float = 1e-5, name: String = "LN") -> GroupNorm {
        GroupNorm(features: n, groups: 1, epsilon: epsilon, name: name)
    }

    /// The forward keeps x̂ (m × n) for backward, and group g of row i's μ, σ² and 1/√(σ² + ε) at
    /// index i·G + g of the cache's `mean`, `variance` and `inverseStd`.
    public func makeCache(rows m: Int) -> NormalizationCache { NormalizationCache(rows: m, features: features) }

    // MARK: Forward (train and eval alike)

    public func forward(_ x: Tensor, into y: Tensor, rows m: Int, mode: NormalizationMode, cache: NormalizationCache) {
        let s = features / groups
        let gammaV = gamma.value.pointer, betaV = beta.value.pointer
        for i in 0..<m {
            let xi = x.row(i), yi = y.row(i), xHat = cache.xHat.row(i)
            for g in 0..<groups {
                let first = g * s
                // μᵢg = (1/s) Σⱼ∈g xᵢⱼ
                var mu: Float = 0
                for j in first..<(first + s) { mu += xi[j] }
                mu /= Float(s)
                // σᵢg² = (1/s) Σⱼ∈g (xᵢⱼ − μᵢg)²
                var variance: Float = 0
                for j in first..<(first + s) {
                    let d = xi[j] - mu
                    variance += d * d
                }
                variance /= Float(s)
                let invStd = 1 / (variance + epsilon).squareRoot()
                let slot = i * groups + g
                cache.mean.pointer[slot] = mu
                cache.variance.pointer[slot] = variance
                cache.inverseStd.pointer[slot] = invStd
                // x̂ᵢⱼ = (xᵢⱼ − μᵢg)·(1/√(σᵢg² + ε));  yᵢⱼ = γⱼ·x̂ᵢⱼ + βⱼ
                for j in first..<(first + s) {
                    xHat[j] = (xi[j] - mu) * invStd
                    yi[j] = gammaV[j] * xHat[j] + betaV[j]
                }
            }
        }
    }

    // MARK: Backward

    /// Given dL/dy, writes dL/dx, dL/dγ and dL/dβ (overwriting).
    ///
    /// γ and β are shared by the examples; μᵢg and σᵢg² by the s features of one group of one example:
    ///   dβⱼ  = Σᵢ dyᵢⱼ
    ///   dγⱼ  = Σᵢ dyᵢⱼ·x̂ᵢⱼ
    ///   dx̂ᵢⱼ = γⱼ·dyᵢⱼ
    ///   dxᵢⱼ = (1/s)·(1/σ̃ᵢg)·( s·dx̂ᵢⱼ              term 1: the direct path through x̂ᵢⱼ
    ///                         − Σₖ∈g dx̂ᵢₖ           term 2: through μᵢg, which every feature k of the group moves
    ///                         − x̂ᵢⱼ·Σₖ∈g dx̂ᵢₖ·x̂ᵢₖ )  term 3: through σᵢg², likewise
    /// with σ̃ᵢg = √(σᵢg² + ε). The sums run along the row, where BN's run down the column.
    public func backward(_ dy: Tensor, into dx: Tensor, rows m: Int, cache: NormalizationCache) {
        let n = features, s = features / groups
        let gammaV = gamma.value.pointer
        let dGamma = gamma.gradient.pointer, dBeta = beta.gradient.pointer
        dGamma.update(repeating: 0, count: n)
        dBeta.update(repeating: 0, count: n)
        let invS = 1 / Float(s)
        for i in 0..<m {
            let dyi = dy.row(i), xHat = cache.xHat.row(i), dxi = dx.row(i)
            for g in 0..<groups {
                let first = g * s
                var sumDxHat: Float = 0, sumDxHatXHat: Float = 0
                for j in first..<(first + s) {
                    dBeta[j] += dyi[j]
                    dGamma[j] += dyi[j] * xHat[j]
                    let dxHat = gammaV[j] * dyi[j]
                    sumDxHat += dxHat
                    sumDxHatXHat += dxHat * xHat[j]
                }
                let invStd = cache.inverseStd.pointer[i * groups + g]
                for j in first..<(first + s) {
                    let dxHat = gammaV[j] * dyi[j]
                    let direct = Float(s) * dxHat                 // term 1
                    let throughMean = sumDxHat                    // term 2
                    let throughVariance = xHat[j] * sumDxHatXHat  // term 3
                    dxi[j] = invS * invStd * (direct - throughMean - throughVariance)
                }
            }
        }
    }

    // MARK: Folding and probes

    /// None: each example's groups are scaled by their own 1/σ.
    public func evalAffineMap() -> NormalizationAffineMap? { nil }

    /// None beyond γ and β: GroupNorm keeps no running statistics.
    public func measurements(probe: NormalizationCache, lastBatch: NormalizationCache?) -> [(name: MetricName, value: Double)] { [] }
}
