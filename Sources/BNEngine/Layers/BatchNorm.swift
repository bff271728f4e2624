// Batch normalization over features (Ioffe & Szegedy 2015, Algorithm 1), forward and backward.
//
// m = batch size (examples), n = features. x and y are m × n, row-major.
// g = ghost batch size: statistics are taken over each group of g consecutive rows (g divides m;
//     g = m is ordinary BN). Every formula below is per feature j, over the m (or g) examples.
//
// Train mode:                          Eval mode:
//   μ  = (1/m) Σᵢ xᵢ                      x̂ = (x − E[x]) / √(Var[x] + ε)
//   σ² = (1/m) Σᵢ (xᵢ − μ)²  (biased)     y = γ·x̂ + β
//   x̂ᵢ = (xᵢ − μ) / √(σ² + ε)           with E, Var the running averages:
//   yᵢ = γ·x̂ᵢ + β                         running = (1 − momentum)·running + momentum·batch
//                                         (the running variance uses the unbiased σ²·m/(m − 1))
// γ and β are per-feature vectors (n values each), not m × n matrices.
// Gradients overwrite (the engine's convention, Layers/Normalization.swift): backward sets dx, dγ, dβ.
// Deliberately left out: convolutional (per-channel) BN and affine-free BN; set γ, β frozen instead.

/// Per-feature batch normalization with learnable scale γ and shift β.
public final class BatchNorm: Normalization {
    public let features: Int
    public var epsilon: Float
    public var momentum: Float
    /// γ, 1 × n, starts at 1.
    public let gamma: Parameter
    /// β, 1 × n, starts at 0.
    public let beta: Parameter
    /// E[x] estimated by an exponential moving average of batch means, 1 × n.
    public let runningMean: Tensor
    /// Var[x] estimated by an exponential moving average of unbiased batch variances, 1 × n.
    public let runningVariance: Tensor

    public init(features n: Int, epsilon: Float = 1e-5, momentum: Float = 0.1, name: String = "BN") {
        features = n
        self.epsilon = epsilon
        self.momentum = momentum
        gamma = Parameter(name: "\(name) γ", rows: 1, columns: n, role: .gamma)
        beta = Parameter(name: "\(name) β", rows: 1, columns: n, role: .beta)
        runningMean = Tensor(rows: 1, columns: n)
        runningVariance = Tensor(rows: 1, columns: n)
        gamma.value.fill(1)
        runningVariance.fill(1)
    }

    /// What the train-mode forward keeps for backward: x̂ (m × n) and 1/√(σ² + ε) per group (row k of
    /// `inverseStd` for ghost group k). The batch means and variances are kept too, for the probes.
    public typealias Cache = NormalizationCache

    public func makeCache(rows m: Int) -> NormalizationCache { NormalizationCache(rows: m, features: features) }

    // MARK: Train mode

    /// y = γ·x̂ + β with each group's own statistics. Updates the running averages unless told not to.
    /// - Precondition: g ≥ 2 and g divides m (the caller validates user input; see `BatchNormError`).
    public func forwardTrain(_ x: Tensor, into y: Tensor, rows m: Int, ghostSize g: Int, cache: Cache,
                             updateRunningStatistics: Bool = true) {
        precondition(g >= 2 && m % g == 0, "BatchNorm: ghost size \(g) must be ≥ 2 and divide the batch \(m)")
        cache.ghostSize = g
        let n = features
        let gammaV = gamma.value.pointer, betaV = beta.value.pointer
        for group in 0..<(m / g) {
            let first = group * g
            let mu = cache.mean.row(group), variance = cache.variance.row(group)
            let invStd = cache.inverseStd.row(group)
            // μ = (1/g) Σᵢ xᵢ;  σ² = (1/g) Σᵢ (xᵢ − μ)²
            Self.moments(of: x, rows: first..<(first + g), features: n, mean: mu, variance: variance)
            for j in 0..<n { invStd[j] = 1 / (variance[j] + epsilon).squareRoot() }
            // x̂ᵢ = (xᵢ − μ)·(1/√(σ² + ε));  yᵢ = γ·x̂ᵢ + β
            for i in first..<(first + g) {
                let xi = x.row(i), xHat = cache.xHat.row(i), yi = y.row(i)
                for j in 0..<n {
                    xHat[j] = (xi[j] - mu[j]) * invStd[j]
                    yi[j] = gammaV[j] * xHat[j] + betaV[j]
                }
            }
            if updateRunningStatistics {
                // running = (1 − momentum)·running + momentum·batch, with the unbiased variance σ²·g/(g − 1)
                let rm = runningMean.pointer, rv = runningVariance.pointer
                let unbias = Float(g) / Float(g - 1)
                for j in 0..<n {
                    rm[j] = (1 - momentum) * rm[j] + momentum * mu[j]
                    rv[j] = (1 - momentum) * rv[j] + momentum * variance[j] * unbias
                }
            }
        }
    }

    /// μ = (1/g) Σᵢ xᵢ and σ² = (1/g) Σᵢ (xᵢ − μ)² (biased) per feature, over the g rows `group` of x: the
    /// statistics of one (ghost) batch, which Batch Renorm takes as BN does.
    @inline(__always)
    static func moments(of x: Tensor, rows group: Range<Int>, features n: Int,
                        mean mu: UnsafeMutablePointer<Float>, variance: UnsafeMutablePointer<Float>) {
        let g = Float(group.count)
        mu.update(repeating: 0, count: n)
        for i in group {
            let xi = x.row(i)
            for j in 0..<n { mu[j] += xi[j] }
        }
        for j in 0..<n { mu[j] /= g }
        variance.update(repeating: 0, count: n)
        for i in group {
            let xi = x.row(i)
            for j in 0..<n {
                let d = xi[j] - mu[j]
                variance[j] += d * d
            }
        }
        for j in 0..<n { variance[j] /= g }
    }

    /// Given dL/dy, writes dL/dx, dL/dγ and dL/dβ (overwriting).
    ///
    /// Per feature, over the g examples of a group (x̂ and 1/σ̃ = 1/√(σ² + ε) from the forward):
    ///   dβ  = Σᵢ dyᵢ                 (summed over every group)
    ///   dγ  = Σᵢ dyᵢ·x̂ᵢ
    ///   dx̂ᵢ = γ·dyᵢ
    ///   dxᵢ = (1/g)·(1/σ̃)·( g·dx̂ᵢ           term 1: the direct path through x̂ᵢ
    ///                      − Σₖ dx̂ₖ          term 2: through μ, which every xₖ of the group moves
    ///                      − x̂ᵢ·Σₖ dx̂ₖ·x̂ₖ )  term 3: through σ², likewise
    /// Terms 2 and 3 make Σᵢ dxᵢ = 0, so a bias before BN gets no gradient.
    public func backward(_ dy: Tensor, into dx: Tensor, rows m: Int, ghostSize g: Int, cache: Cache) {
        let n = features
        let gammaV = gamma.value.pointer
        let dGamma = gamma.gradient.pointer, dBeta = beta.gradient.pointer
        dGamma.update(repeating: 0, count: n)
        dBeta.update(repeating: 0, count: n)
        // The two per-feature sums live in a small temporary allocation (on the stack for typical n).
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 2 * n) { sums in
            guard let base = sums.baseAddress else { return }
            let sumDxHat = base, sumDxHatXHat = base + n
            for group in 0..<(m / g) {
                let first = group * g
                let invStd = cache.inverseStd.row(group)
                sumDxHat.update(repeating: 0, count: n)
                sumDxHatXHat.update(repeating: 0, count: n)
                for i in first..<(first + g) {
                    let dyi = dy.row(i), xHat = cache.xHat.row(i)
                    for j in 0..<n {
                        dBeta[j] += dyi[j]
                        dGamma[j] += dyi[j] * xHat[j]
                        let dxHat = gammaV[j] * dyi[j]
                        sumDxHat[j] += dxHat
                        sumDxHatXHat[j] += dxHat * xHat[j]
                    }
                }
                let invG = 1 / Float(g)
                for i in first..<(first + g) {
                    let dyi = dy.row(i), xHat = cache.xHat.row(i), dxi = dx.row(i)
                    for j in 0..<n {
                        let dxHat = gammaV[j] * dyi[j]
                        let direct = Float(g) * dxHat           // term 1
                        let throughMean = sumDxHat[j]            // term 2
                        let throughVariance = xHat[j] * sumDxHatXHat[j]  // term 3
                        dxi[j] = invG * invStd[j] * (direct - throughMean - throughVariance)
                    }
                }
            }
        }
    }

    // MARK: Eval mode

    /// y = γ·(x − E[x])/√(Var[x] + ε) + β with the running averages: one fixed affine map per feature.
    public func forwardEval(_ x: Tensor, into y: Tensor, rows m: Int) {
        let n = features
        let gammaV = gamma.value.pointer, betaV = beta.value.pointer
        let rm = runningMean.pointer, rv = runningVariance.pointer
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 2 * n) { buffer in
            guard let base = buffer.baseAddress else { return }
            // Fold into y = scale·x + shift once, then apply to every row.
            let scale = base, shift = base + n
            for j in 0..<n {
                scale[j] = gammaV[j] / (rv[j] + epsilon).squareRoot()
                shift[j] = betaV[j] - scale[j] * rm[j]
            }
            for i in 0..<m {
                let xi = x.row(i), yi = y.row(i)
                for j in 0..<n { yi[j] = scale[j] * xi[j] + shift[j] }
            }
        }
    }

    /// Sets γ = √(σ² + ε) and β = μ for the given per-feature statistics, which makes train-mode BN
    /// the identity on a batch with exactly those statistics.
    public func setIdentity(mean: [Float], variance: [Float]) {
        precondition(mean.count == features && variance.count == features)
        for j in 0..<features {
            gamma.value.pointer[j] = (variance[j] + epsilon).squareRoot()
            beta.value.pointer[j] = mean[j]
        }
    }

    // MARK: Normalization

    public func forward(_ x: Tensor, into y: Tensor, rows m: Int, mode: NormalizationMode, cache: NormalizationCache) {
        switch mode {
        case let .train(g, update): forwardTrain(x, into: y, rows: m, ghostSize: g, cache: cache, updateRunningStatistics: update)
        case .eval: forwardEval(x, into: y, rows: m)
        }
    }

    public func backward(_ dy: Tensor, into dx: Tensor, rows m: Int, cache: NormalizationCache) {
        backward(dy, into: dx, rows: m, ghostSize: cache.ghostSize, cache: cache)
    }

    /// scale = γ/√(Var[x] + ε), center = E[x], shift = β: eval-mode BN as one affine map per feature.
    public func evalAffineMap() -> NormalizationAffineMap? {
        let scale = (0..<features).map { j in gamma.value.pointer[j] / (runningVariance.pointer[j] + epsilon).squareRoot() }
        return NormalizationAffineMap(scale: scale, center: runningMean.values, shift: beta.value.values)
    }

    /// The running averages, their distance from the probe batch's own statistics (which stand in for
    /// the population's), and the last training batch's statistics (its first ghost group).
    public func measurements(probe: NormalizationCache, lastBatch: NormalizationCache?) -> [(name: MetricName, value: Double)] {
        var meanError = 0.0, varianceError = 0.0
        for j in 0..<features {
            let populationMean = Double(probe.mean.pointer[j]), populationVariance = Double(probe.variance.pointer[j])
            meanError += abs(Double(runningMean.pointer[j]) - populationMean) / (populationVariance + Double(epsilon)).squareRoot()
            varianceError += abs(Double(runningVariance.pointer[j]) - populationVariance) / (populationVariance + Double(epsilon))
        }
        var result: [(name: MetricName, value: Double)] = [
            (.runningMean, runningMean.meanValue()), (.runningVariance, runningVariance.meanValue()),
            (.runningMeanError, meanError / Double(features)), (.runningVarianceError, varianceError / Double(features)),
        ]
        if let lastBatch {
            result.append((.batchMean, lastBatch.mean.meanValue(count: features)))
            result.append((.batchVariance, lastBatch.variance.meanValue(count: features)))
        }
        return result
    }
}
