// Layer normalization (Ba, Kiros & Hinton 2016; PyTorch's nn.LayerNorm(n)), forward and backward.
//
// m = batch size (examples), n = features. x and y are m × n, row-major. Every formula below is per
// example (row) i, over its own n features; γ and β are per feature j (1 × n).
//
//   μᵢ  = (1/n) Σⱼ xᵢⱼ
//   σᵢ² = (1/n) Σⱼ (xᵢⱼ − μᵢ)²   (biased)
//   x̂ᵢⱼ = (xᵢⱼ − μᵢ) / √(σᵢ² + ε)
//   yᵢⱼ = γⱼ·x̂ᵢⱼ + βⱼ
//
// No statistic crosses examples, so train and eval mode compute the same thing, any batch size works
// (even one example), and there are no running averages. Gradients overwrite (Layers/Normalization.swift).
// Deliberately left out: normalizing over a shape other than the whole row (GroupNorm does groups), and
// folding: the eval output depends on each example's own statistics, so it is no fixed affine map.

/// Per-example normalization over the features, with learnable per-feature scale γ and shift β.
public final class LayerNorm: Normalization {
    public let features: Int
    public var epsilon: Float
    public let gamma: Parameter
    public let beta: Parameter

    public init(features n: Int, epsilon: Float = 1e-5, name: String = "LN") {
        features = n
        self.epsilon = epsilon
        gamma = Parameter(name: "\(name) γ", rows: 1, columns: n, role: .gamma)
        beta = Parameter(name: "\(name) β", rows: 1, columns: n, role: .beta)
        gamma.value.fill(1)
    }

    /// The forward keeps x̂ (m × n) for backward, and each row's μᵢ, σᵢ² and 1/√(σᵢ² + ε) at index i of
    /// the cache's `mean`, `variance` and `inverseStd`.
    public func makeCache(rows m: Int) -> NormalizationCache { NormalizationCache(rows: m, features: features) }

    // MARK: Forward (train and eval alike)

    public func forward(_ x: Tensor, into y: Tensor, rows m: Int, mode: NormalizationMode, cache: NormalizationCache) {
        let n = features
        let gammaV = gamma.value.pointer, betaV = beta.value.pointer
        for i in 0..<m {
            let xi = x.row(i), yi = y.row(i), xHat = cache.xHat.row(i)
            // μᵢ = (1/n) Σⱼ xᵢⱼ
            var mu: Float = 0
            for j in 0..<n { mu += xi[j] }
            mu /= Float(n)
            // σᵢ² = (1/n) Σⱼ (xᵢⱼ − μᵢ)²
            var variance: Float = 0
            for j in 0..<n {
                let d = xi[j] - mu
                variance += d * d
            }
            variance /= Float(n)
            let invStd = 1 / (variance + epsilon).squareRoot()
            cache.mean.pointer[i] = mu
            cache.variance.pointer[i] = variance
            cache.inverseStd.pointer[i] = invStd
            // x̂ᵢⱼ = (xᵢⱼ − μᵢ)·(1/√(σᵢ² + ε));  yᵢⱼ = γⱼ·x̂ᵢⱼ + βⱼ
            for j in 0..<n {
                xHat[j] = (xi[j] - mu) * invStd
                yi[j] = gammaV[j] * xHat[j] + betaV[j]
            }
        }
    }

    // MARK: Backward

    /// Given dL/dy, writes dL/dx, dL/dγ and dL/dβ (overwriting).
    ///
    /// γ and β are shared by the examples; μᵢ and σᵢ² by the features of one example:
    ///   dβⱼ  = Σᵢ dyᵢⱼ
    ///   dγⱼ  = Σᵢ dyᵢⱼ·x̂ᵢⱼ
    ///   dx̂ᵢⱼ = γⱼ·dyᵢⱼ
    ///   dxᵢⱼ = (1/n)·(1/σ̃ᵢ)·( n·dx̂ᵢⱼ             term 1: the direct path through x̂ᵢⱼ
    ///                        − Σₖ dx̂ᵢₖ            term 2: through μᵢ, which every feature k of row i moves
    ///                        − x̂ᵢⱼ·Σₖ dx̂ᵢₖ·x̂ᵢₖ )  term 3: through σᵢ², likewise
    /// with σ̃ᵢ = √(σᵢ² + ε). The sums run along the row here, where BN's run down the column.
    public func backward(_ dy: Tensor, into dx: Tensor, rows m: Int, cache: NormalizationCache) {
        let n = features
        let gammaV = gamma.value.pointer
        let dGamma = gamma.gradient.pointer, dBeta = beta.gradient.pointer
        dGamma.update(repeating: 0, count: n)
        dBeta.update(repeating: 0, count: n)
        let invN = 1 / Float(n)
        for i in 0..<m {
            let dyi = dy.row(i), xHat = cache.xHat.row(i), dxi = dx.row(i)
            var sumDxHat: Float = 0, sumDxHatXHat: Float = 0
            for j in 0..<n {
                dBeta[j] += dyi[j]
                dGamma[j] += dyi[j] * xHat[j]
                let dxHat = gammaV[j] * dyi[j]
                sumDxHat += dxHat
                sumDxHatXHat += dxHat * xHat[j]
            }
            let invStd = cache.inverseStd.pointer[i]
            for j in 0..<n {
                let dxHat = gammaV[j] * dyi[j]
                let direct = Float(n) * dxHat                 // term 1
                let throughMean = sumDxHat                    // term 2
                let throughVariance = xHat[j] * sumDxHatXHat  // term 3
                dxi[j] = invN * invStd * (direct - throughMean - throughVariance)
            }
        }
    }

    // MARK: Folding and probes

    /// None: each example is scaled by its own 1/σᵢ.
    public func evalAffineMap() -> NormalizationAffineMap? { nil }

    /// None beyond γ and β: LayerNorm keeps no running statistics.
    public func measurements(probe: NormalizationCache, lastBatch: NormalizationCache?) -> [(name: MetricName, value: Double)] { [] }
}
