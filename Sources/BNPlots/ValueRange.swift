// A range of values on an axis, safe to build from any two Doubles.
//
// Swift's `ClosedRange` traps when lower > upper; data from training can hold anything, so renderers
// take a `ValueRange` and repair it (`normalized`) instead.

/// The interval `lower...upper` of an axis. May be empty, reversed or non-finite until normalized.
public struct ValueRange: Hashable, Sendable {
    public var lower: Double
    public var upper: Double

    /// A range from `lower` to `upper`, stored as given.
    public init(lower: Double, upper: Double) {
        self.lower = lower
        self.upper = upper
    }

    /// `upper - lower` (may be infinite or NaN before normalizing).
    public var span: Double { upper - lower }

    /// A usable range: ends sorted, non-finite ends replaced, and a zero width widened around its value.
    public var normalized: ValueRange {
        var a = lower.isFinite ? lower : (upper.isFinite ? upper : 0)
        var b = upper.isFinite ? upper : a
        if a > b { swap(&a, &b) }
        if !(b - a).isFinite {  // e.g. -1e308...1e308: halve to keep spans finite
            a /= 2
            b /= 2
        }
        if b - a <= 0 {
            let pad = a == 0 ? 0.5 : abs(a) * 0.1
            return ValueRange(lower: a - pad, upper: b + pad)
        }
        return self.lower == a && self.upper == b ? self : ValueRange(lower: a, upper: b)
    }

    /// Where `value` lies in the range as a fraction: 0 at `lower`, 1 at `upper` (not clamped).
    @inline(__always)
    func fraction(_ value: Double) -> Double {
        let s = upper - lower
        return s > 0 ? (value - lower) / s : 0.5
    }

    /// The smallest range holding every finite value in `values`, or nil when there is none.
    public static func enclosing<S: Sequence>(_ values: S) -> ValueRange? where S.Element == Double {
        var lo = Double.infinity, hi = -Double.infinity
        for v in values where v.isFinite {
            lo = min(lo, v)
            hi = max(hi, v)
        }
        return lo <= hi ? ValueRange(lower: lo, upper: hi) : nil
    }

    /// The smallest range holding both ranges.
    public func union(_ other: ValueRange) -> ValueRange {
        ValueRange(lower: min(lower, other.lower), upper: max(upper, other.upper))
    }
}

/// The integer nearest `value`, clamped to `lower...upper`; NaN gives `lower`. Never traps.
@inline(__always)
func clampedInt(_ value: Double, _ lower: Int, _ upper: Int) -> Int {
    guard upper >= lower else { return lower }
    guard value == value else { return lower }
    if value <= Double(lower) { return lower }
    if value >= Double(upper) { return upper }
    return Int(value.rounded())
}

/// `Int(value)` rounded toward zero but clamped to `lower...upper`; NaN gives `lower`. Never traps.
@inline(__always)
func clampedFloor(_ value: Double, _ lower: Int, _ upper: Int) -> Int {
    guard upper >= lower else { return lower }
    guard value == value else { return lower }
    if value <= Double(lower) { return lower }
    if value >= Double(upper) { return upper }
    return Int(value.rounded(.down))
}
