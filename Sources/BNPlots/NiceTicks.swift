// Tick values for axes: "nice" steps of 1, 2 or 5 times a power of ten (Heckbert 1990).
//
// Leaves out Talbot's extended Wilkinson search: 1-2-5 steps read well on the small axes here and
// are easy to test. Every tick lies inside the requested range and ticks strictly increase.

import Foundation

/// Nice tick values for linear and logarithmic axes.
public enum NiceTicks {
    /// The nice step (1, 2 or 5 × 10ⁿ) that cuts `span` into at most about `maxCount` pieces.
    public static func step(span: Double, maxCount: Int) -> Double {
        guard span.isFinite, span > 0 else { return 1 }
        let rough = span / Double(max(maxCount, 1))
        guard rough.isFinite, rough > 0 else { return 1 }
        let power = pow(10, (log10(rough)).rounded(.down))
        guard power.isFinite, power > 0 else { return rough }
        let fraction = rough / power
        // NOTE: a little slack, so 5.000001 (pow's rounding) still counts as 5 and not 10.
        let nice: Double = fraction <= 1.000001 ? 1 : fraction <= 2.000001 ? 2 : fraction <= 5.000001 ? 5 : 10
        return nice * power
    }

    /// About `maxCount` nice tick values inside `range`, strictly increasing, at least one.
    /// When no nice multiple falls inside (a short range, a tiny budget) a finer step is tried, and
    /// failing that the range's ends are the ticks. A degenerate range gives its single value;
    /// a reversed or non-finite one gives none.
    public static func ticks(in range: ValueRange, maxCount: Int) -> [Double] {
        let lower = range.lower, upper = range.upper
        guard lower.isFinite, upper.isFinite, lower <= upper, maxCount > 0 else { return [] }
        if lower == upper { return [lower] }
        let wanted = min(2, maxCount)
        for budget in [maxCount, maxCount * 2, maxCount * 4] {
            let ticks = multiples(lower: lower, upper: upper, maxCount: budget)
            if ticks.count >= wanted { return ticks }
        }
        return maxCount == 1 ? [lower] : [lower, upper]
    }

    /// The multiples of the nice step for `maxCount` that lie in `lower...upper`.
    private static func multiples(lower: Double, upper: Double, maxCount: Int) -> [Double] {
        let step = step(span: upper - lower, maxCount: maxCount)
        guard step.isFinite, step > 0 else { return [lower, upper] }
        let tolerance = step * 1e-9
        var k = ((lower - tolerance) / step).rounded(.up)
        var ticks: [Double] = []
        ticks.reserveCapacity(maxCount + 2)
        // NOTE: count with a Double, not Int(k): k can exceed Int's range for 1e300-sized values.
        for _ in 0..<(maxCount * 3 + 3) {
            var t = k * step
            if t > upper + tolerance { break }
            t = min(max(t, lower), upper)
            if abs(t) < tolerance { t = 0 }
            if let last = ticks.last, t <= last { k += 1; continue }
            ticks.append(t)
            k += 1
        }
        return ticks
    }

    /// Tick values for a log axis over positive `range`: powers of ten when it spans a decade or more,
    /// otherwise nice linear ticks. Values are returned as data values (not logarithms).
    public static func logTicks(in range: ValueRange, maxCount: Int) -> [Double] {
        guard range.lower > 0, range.upper >= range.lower, range.upper.isFinite, maxCount > 0 else { return [] }
        let lo = log10(range.lower), hi = log10(range.upper)
        if hi - lo < 1 { return ticks(in: range, maxCount: maxCount) }
        let exponentStep = max(1, step(span: hi - lo, maxCount: maxCount).rounded(.up))
        let powers = ticks(in: ValueRange(lower: lo, upper: hi), maxCount: maxCount * 2)
            .filter { $0 == $0.rounded() && Int64($0) % Int64(exponentStep) == 0 }
            .map { pow(10, $0) }
            .filter { $0 >= range.lower && $0 <= range.upper }
        if !powers.isEmpty { return powers }
        // No power of ten is a multiple of the exponent step (10^7 and 10^9 over 3.6e6...1.4e9 with
        // a step of 5): the first power of ten inside, so the axis still has a tick.
        let first = pow(10, lo.rounded(.up))
        return first.isFinite && first >= range.lower && first <= range.upper ? [first] : ticks(in: range, maxCount: maxCount)
    }
}
