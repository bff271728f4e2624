// The counts a histogram shows: pre-binned (as the engine records them) or binned here from raw values.
//
// Bins are equal-width over `lower...upper`; values left of the range count in `below`, right of it in
// `above`, NaN and ±Inf in `nonFinite`. Counts are Doubles because re-binning splits a bin's count.
// Leaves out variable-width bins.

/// Binned counts over a range, with what fell outside it.
public struct HistogramData: Hashable, Sendable {
    /// Counts of equal-width bins from `lower` to `upper`.
    public var bins: [Double]
    public var lower: Double
    public var upper: Double
    /// Counts left of `lower`, right of `upper`, and of NaN or ±Inf values.
    public var below: Double
    public var above: Double
    public var nonFinite: Double
    /// Exact statistics when known (the engine or `init(values:...)` computes them); estimated from bins otherwise.
    public var mean: Double?
    public var std: Double?
    /// The fraction of values in the saturated region of the activation, when known.
    public var saturatedFraction: Double?

    /// Pre-binned counts, as the engine records them.
    public init(
        bins: [Double], lower: Double, upper: Double, below: Double = 0, above: Double = 0, nonFinite: Double = 0,
        mean: Double? = nil, std: Double? = nil, saturatedFraction: Double? = nil
    ) {
        self.bins = bins
        self.lower = lower
        self.upper = upper
        self.below = below
        self.above = above
        self.nonFinite = nonFinite
        self.mean = mean
        self.std = std
        self.saturatedFraction = saturatedFraction
    }

    /// Bins raw `values` into `binCount` bins over `range` (default: the finite values' own range).
    /// Also computes the exact mean and std of the finite values, and the fraction with
    /// `|value| >= saturationThreshold` when a threshold is given.
    public init(values: [Double], binCount: Int, range: ValueRange? = nil, saturationThreshold: Double? = nil) {
        let r = (range ?? ValueRange.enclosing(values) ?? ValueRange(lower: 0, upper: 1)).normalized
        let n = max(binCount, 1)
        var bins = [Double](repeating: 0, count: n)
        var below = 0.0, above = 0.0, nonFinite = 0.0, saturated = 0.0
        var count = 0.0, sum = 0.0
        let scale = Double(n) / r.span
        for v in values {
            guard v.isFinite else { nonFinite += 1; continue }
            count += 1
            sum += v
            if let t = saturationThreshold, abs(v) >= t { saturated += 1 }
            if v < r.lower { below += 1 } else if v > r.upper { above += 1 } else {
                bins[clampedFloor((v - r.lower) * scale, 0, n - 1)] += 1
            }
        }
        var mean: Double?, std: Double?
        if count > 0 {
            let mu = sum / count
            var squares = 0.0
            for v in values where v.isFinite { squares += (v - mu) * (v - mu) }
            mean = mu
            std = (squares / count).squareRoot()
        }
        self.init(
            bins: bins, lower: r.lower, upper: r.upper, below: below, above: above, nonFinite: nonFinite,
            mean: mean, std: std, saturatedFraction: saturationThreshold == nil || count == 0 ? nil : saturated / count)
    }

    /// The range of the bins, repaired if reversed or degenerate.
    public var range: ValueRange { ValueRange(lower: lower, upper: upper).normalized }

    /// The total of the finite in-range counts.
    public var inRangeCount: Double { bins.reduce(0) { $0 + ($1.isFinite && $1 > 0 ? $1 : 0) } }

    /// The mean if known, else estimated from bin centres (ignoring values outside the range).
    public var estimatedMean: Double? {
        if let mean { return mean }
        let (total, sum, _) = moments()
        return total > 0 ? sum / total : nil
    }

    /// The std if known, else estimated from bin centres (ignoring values outside the range).
    public var estimatedStd: Double? {
        if let std { return std }
        let (total, sum, squares) = moments()
        guard total > 0 else { return nil }
        let mu = sum / total
        return max(0, squares / total - mu * mu).squareRoot()
    }

    private func moments() -> (Double, Double, Double) {
        let r = range
        let width = r.span / Double(max(bins.count, 1))
        var total = 0.0, sum = 0.0, squares = 0.0
        for (i, c) in bins.enumerated() where c.isFinite && c > 0 {
            let centre = r.lower + (Double(i) + 0.5) * width
            total += c
            sum += c * centre
            squares += c * centre * centre
        }
        return (total, sum, squares)
    }

    /// The same counts spread over `binCount` bins of `range`, assuming counts are uniform within a bin.
    /// Counts that land outside `range` move to `below` / `above`, so several histograms can share one x-range.
    public func rebinned(to range: ValueRange, binCount: Int) -> HistogramData {
        var out = HistogramData(
            bins: [], lower: 0, upper: 1, below: below.isFinite ? below : 0, above: above.isFinite ? above : 0,
            nonFinite: nonFinite.isFinite ? nonFinite : 0, mean: mean, std: std, saturatedFraction: saturatedFraction)
        let target = range.normalized
        out.lower = target.lower
        out.upper = target.upper
        out.bins = [Double](repeating: 0, count: max(binCount, 1))
        rebin(into: &out.bins, range: target, below: &out.below, above: &out.above, bad: &out.nonFinite)
        return out
    }

    /// Adds these counts, re-binned over `range`, into `bins`. Allocation-free: the renderers' hot path.
    func rebin(into bins: inout [Double], range target: ValueRange, below: inout Double, above: inout Double, bad: inout Double) {
        let n = bins.count
        guard n > 0, !self.bins.isEmpty else { return }
        let source = range
        let isPoint = !(upper > lower) || !lower.isFinite || !upper.isFinite
        let oldWidth = source.span / Double(self.bins.count)
        let newWidth = target.span / Double(n)
        guard newWidth > 0, newWidth.isFinite else { return }
        for (i, c) in self.bins.enumerated() {
            guard c.isFinite else { bad += 1; continue }
            guard c > 0 else { continue }
            // The old bin as an interval [a, b); a degenerate source range is a point mass at its value.
            let a = isPoint ? source.lower + source.span / 2 : source.lower + Double(i) * oldWidth
            let b = isPoint ? a : a + oldWidth
            if b <= target.lower && !(isPoint && a == target.lower) { below += c; continue }
            if a >= target.upper && !(isPoint && a == target.upper) { above += c; continue }
            if b - a <= 0 {
                bins[clampedFloor((a - target.lower) / newWidth, 0, n - 1)] += c
                continue
            }
            let density = c / (b - a)
            if a < target.lower { below += (target.lower - a) * density }
            if b > target.upper { above += (b - target.upper) * density }
            let lo = max(a, target.lower), hi = min(b, target.upper)
            var j = clampedFloor((lo - target.lower) / newWidth, 0, n - 1)
            let jEnd = clampedFloor((hi - target.lower) / newWidth, 0, n - 1)
            while j <= jEnd {
                let binLo = target.lower + Double(j) * newWidth
                let overlap = min(hi, binLo + newWidth) - max(lo, binLo)
                if overlap > 0 { bins[j] += overlap * density }
                j += 1
            }
        }
    }
}
