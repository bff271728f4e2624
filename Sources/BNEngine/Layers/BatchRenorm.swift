// Batch Renormalization (Ioffe 2017, Algorithm 1), forward and backward.
//
// m = batch size (examples), n = features. x and y are m × n, row-major.
// g = ghost batch size: statistics over each group of g consecutive rows (g divides m; g = m is the
//     whole batch). Every formula below is per feature j, over the g examples of a group.
// μ and σ are the running mean and running standard deviation (ε included), before this group's update.
//
// Train mode:                                    Eval mode:
//   μ_B = (1/g) Σᵢ xᵢ                               y = γ·(x − μ)/σ + β
//   σ_B = √((1/g) Σᵢ (xᵢ − μ_B)² + ε)   (biased)
//   r   = clip(σ_B/σ, 1/rmax, rmax)       ┐ constants for the gradient
//   d   = clip((μ_B − μ)/σ, −dmax, dmax)  ┘ (no gradient flows through them)
//   uᵢ  = (xᵢ − μ_B)/σ_B                  BN's x̂
//   x̂ᵢ  = uᵢ·r + d
//   yᵢ  = γ·x̂ᵢ + β
//   μ ← μ + momentum·(μ_B − μ),  σ ← σ + momentum·(σ_B − σ)
//
// r and d correct the batch's statistics towards the running ones, so train mode sees what eval mode
// will see; with rmax = 1 and dmax = 0 (r = 1, d = 0) it is ordinary BN in train mode. The paper starts
// there and relaxes the limits over training: `BatchRenormLimits` ramps them linearly from (1, 0) to
// (rmax, dmax) over a stretch of steps (one ramp for both; the paper uses two of different lengths).
// Gradients overwrite (Layers/Normalization.swift).
// Deliberately left out: an unbiased running variance (the paper and the reference keep σ, ε included).

/// Limits on Batch Renorm's corrections r ∈ [1/rmax, rmax] and d ∈ [−dmax, dmax], optionally ramped.
public struct BatchRenormLimits: Sendable, Equatable {
    public var rmax: Float
    public var dmax: Float
    /// Train steps before the ramp starts (the limits are (1, 0), plain BN, until then).
    public var rampStart: Int
    /// Train steps over which the limits grow linearly to (rmax, dmax); 0 = (rmax, dmax) from the first step.
    public var rampSteps: Int

    public init(rmax: Float = 3, dmax: Float = 5, rampStart: Int = 0, rampSteps: Int = 0) {
        self.rmax = rmax
        self.dmax = dmax
        self.rampStart = rampStart
        self.rampSteps = rampSteps
    }

    /// The limits in force at train step t (0-based: the number of updating forwards before this one).
    public func limits(atStep t: Int) -> (rmax: Float, dmax: Float) {
        guard rampSteps > 0 else { return t >= rampStart ? (rmax, dmax) : (1, 0) }
        let fraction = Float(min(max(t - rampStart, 0), rampSteps)) / Float(rampSteps)
        return (1 + (rmax - 1) * fraction, dmax * fraction)
    }

    /// What is wrong with these limits, or nil.
    public var problem: String? {
        if !(rmax.isFinite && rmax >= 1) { return "rmax must be a number ≥ 1 (got \(rmax))" }
        if !(dmax.isFinite && dmax >= 0) { return "dmax must be a number ≥ 0 (got \(dmax))" }
        if rampStart < 0 || rampSteps < 0 { return "the ramp's start and length must be ≥ 0" }
        return nil
    }
}

/// Batch normalization whose train mode is corrected towards the running statistics by r and d.
public final class BatchRenorm: Normalization {
    public let features: Int
    public var epsilon: Float
    public var momentum: Float
    public var limits: BatchRenormLimits
    /// γ, 1 × n, starts at 1.
    public let gamma: Parameter
    /// β, 1 × n, starts at 0.
    public let beta: Parameter
    /// μ, the running mean, 1 × n, starts at 0.
    public let runningMean: Tensor
    /// σ, the running standard deviation (ε included), 1 × n, starts at 1.
    public let runningStd: Tensor
    /// Forwards that updated the running statistics so far: the step the limits' ramp counts.
    public private(set) var trainSteps = 0

    public init(features n: Int, epsilon: Float = 1e-5, momentum: Float = 0.1, limits: BatchRenormLimits = BatchRenormLimits(),
                name: String = "BRN") {
        features = n
        self.epsilon = epsilon
        self.momentum = momentum
        self.limits = limits
        gamma = Parameter(name: "\(name) γ", rows: 1, columns: n, role: .gamma)
        beta = Parameter(name: "\(name) β", rows: 1, columns: n, role: .beta)
        runningMean = Tensor(rows: 1, columns: n)
        runningStd = Tensor(rows: 1, columns: n)
        gamma.value.fill(1)
        runningStd.fill(1)
    }

    /// The forward keeps u = (x − μ_B)/σ_B (m × n, in `xHat`), and per ghost group k (row k) μ_B, σ_B²,
    /// 1/σ_B, r and d: backward needs u, 1/σ_B, r and d; the probes read the rest.
    public func makeCache(rows m: Int) -> NormalizationCache {
        NormalizationCache(rows: m, features: features, keepsCorrection: true)
    }

    // MARK: Train mode

    /// y = γ·(u·r + d) + β with each group's own statistics, corrected towards the running ones.
    /// - Precondition: g ≥ 2 and g divides m (the caller validates user input).
    public func forwardTrain(_ x: Tensor, into y: Tensor, rows m: Int, ghostSize g: Int, cache: NormalizationCache,
                             updateRunningStatistics: Bool = true) {
        precondition(g >= 2 && m % g == 0, "BatchRenorm: ghost size \(g) must be ≥ 2 and divide the batch \(m)")
        cache.ghostSize = g
        let n = features
        let (rmax, dmax) = limits.limits(atStep: trainSteps)
        let gammaV = gamma.value.pointer, betaV = beta.value.pointer
        let runMu = runningMean.pointer, runSigma = runningStd.pointer
        for group in 0..<(m / g) {
            let first = group * g
            let mu = cache.mean.row(group), variance = cache.variance.row(group), invStd = cache.inverseStd.row(group)
            let r = cache.r.row(group), d = cache.d.row(group)
            // μ_B = (1/g) Σᵢ xᵢ;  σ_B² = (1/g) Σᵢ (xᵢ − μ_B)²  (BN's statistics)
            BatchNorm.moments(of: x, rows: first..<(first + g), features: n, mean: mu, variance: variance)
            for j in 0..<n {
                let sigmaB = (variance[j] + epsilon).squareRoot()
                invStd[j] = 1 / sigmaB
                // r = clip(σ_B/σ, 1/rmax, rmax);  d = clip((μ_B − μ)/σ, −dmax, dmax)
                r[j] = min(max(sigmaB / runSigma[j], 1 / rmax), rmax)
                d[j] = min(max((mu[j] - runMu[j]) / runSigma[j], -dmax), dmax)
            }
            // uᵢ = (xᵢ − μ_B)/σ_B;  x̂ᵢ = uᵢ·r + d;  yᵢ = γ·x̂ᵢ + β
            for i in first..<(first + g) {
                let xi = x.row(i), u = cache.xHat.row(i), yi = y.row(i)
                for j in 0..<n {
                    u[j] = (xi[j] - mu[j]) * invStd[j]
                    yi[j] = gammaV[j] * (u[j] * r[j] + d[j]) + betaV[j]
                }
            }
            if updateRunningStatistics {
                // μ ← μ + momentum·(μ_B − μ);  σ ← σ + momentum·(σ_B − σ)
                for j in 0..<n {
                    runMu[j] += momentum * (mu[j] - runMu[j])
                    runSigma[j] += momentum * ((variance[j] + epsilon).squareRoot() - runSigma[j])
                }
            }
        }
        if updateRunningStatistics { trainSteps += 1 }
    }

    /// Given dL/dy, writes dL/dx, dL/dγ and dL/dβ (overwriting).
    ///
    /// Per feature, over the g examples of a group, with r and d held constant:
    ///   dβ  = Σᵢ dyᵢ                   (summed over every group)
    ///   dγ  = Σᵢ dyᵢ·x̂ᵢ,  x̂ᵢ = uᵢ·r + d
    ///   duᵢ = γ·r·dyᵢ                  (x̂ depends on x only through u)
    ///   dxᵢ = (1/g)·(1/σ_B)·( g·duᵢ           term 1: the direct path through uᵢ
    ///                        − Σₖ duₖ          term 2: through μ_B
    ///                        − uᵢ·Σₖ duₖ·uₖ )  term 3: through σ_B
    /// BN's backward with γ scaled by r: that r and d carry no gradient is the algorithm's choice.
    public func backward(_ dy: Tensor, into dx: Tensor, rows m: Int, cache: NormalizationCache) {
        let n = features, g = cache.ghostSize
        let gammaV = gamma.value.pointer
        let dGamma = gamma.gradient.pointer, dBeta = beta.gradient.pointer
        dGamma.update(repeating: 0, count: n)
        dBeta.update(repeating: 0, count: n)
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 2 * n) { sums in
            guard let base = sums.baseAddress else { return }
            let sumDu = base, sumDuU = base + n
            for group in 0..<(m / g) {
                let first = group * g
                let invStd = cache.inverseStd.row(group), r = cache.r.row(group), d = cache.d.row(group)
                sumDu.update(repeating: 0, count: n)
                sumDuU.update(repeating: 0, count: n)
                for i in first..<(first + g) {
                    let dyi = dy.row(i), u = cache.xHat.row(i)
                    for j in 0..<n {
                        dBeta[j] += dyi[j]
                        dGamma[j] += dyi[j] * (u[j] * r[j] + d[j])
                        let du = gammaV[j] * r[j] * dyi[j]
                        sumDu[j] += du
                        sumDuU[j] += du * u[j]
                    }
                }
                let invG = 1 / Float(g)
                for i in first..<(first + g) {
                    let dyi = dy.row(i), u = cache.xHat.row(i), dxi = dx.row(i)
                    for j in 0..<n {
                        let du = gammaV[j] * r[j] * dyi[j]
                        let direct = Float(g) * du              // term 1
                        let throughMean = sumDu[j]               // term 2
                        let throughStd = u[j] * sumDuU[j]        // term 3
                        dxi[j] = invG * invStd[j] * (direct - throughMean - throughStd)
                    }
                }
            }
        }
    }

    // MARK: Eval mode

    /// y = γ·(x − μ)/σ + β with the running statistics.
    public func forwardEval(_ x: Tensor, into y: Tensor, rows m: Int) {
        let n = features
        let gammaV = gamma.value.pointer, betaV = beta.value.pointer
        let runMu = runningMean.pointer, runSigma = runningStd.pointer
        for i in 0..<m {
            let xi = x.row(i), yi = y.row(i)
            for j in 0..<n { yi[j] = gammaV[j] * (xi[j] - runMu[j]) / runSigma[j] + betaV[j] }
        }
    }

    // MARK: Normalization

    public func forward(_ x: Tensor, into y: Tensor, rows m: Int, mode: NormalizationMode, cache: NormalizationCache) {
        switch mode {
        case let .train(g, update): forwardTrain(x, into: y, rows: m, ghostSize: g, cache: cache, updateRunningStatistics: update)
        case .eval: forwardEval(x, into: y, rows: m)
        }
    }

    /// scale = γ/σ, center = μ, shift = β.
    public func evalAffineMap() -> NormalizationAffineMap? {
        let scale = (0..<features).map { j in gamma.value.pointer[j] / runningStd.pointer[j] }
        return NormalizationAffineMap(scale: scale, center: runningMean.values, shift: beta.value.values)
    }

    /// The running statistics (means over the features), and the last training batch's r and d
    /// (means over the features of its first ghost group).
    public func measurements(probe: NormalizationCache, lastBatch: NormalizationCache?) -> [(name: MetricName, value: Double)] {
        var result: [(name: MetricName, value: Double)] = [(.runningMean, runningMean.meanValue()), (.runningStd, runningStd.meanValue())]
        if let lastBatch {
            result.append((.renormR, lastBatch.r.meanValue(count: features)))
            result.append((.renormD, lastBatch.d.meanValue(count: features)))
        }
        return result
    }
}
