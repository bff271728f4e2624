// Compact number formatting for axis labels, captions and tables: `0.94`, `1.2e-5`, `3k`.
//
// Written without Foundation's `String(format:)` so the output is the same on every platform.
// Leaves out locales: the decimal separator is always `.` and output is always 7-bit ASCII.

/// Formats numbers compactly for small plots.
public enum NumberFormat {
    /// A short form of `value` with about `significant` digits: `0.94`, `12.5`, `3k`, `1.2M`, `1.2e-5`, `1e30`.
    public static func compact(_ value: Double, significant: Int = 3) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : (value > 0 ? "inf" : "-inf") }
        if value == 0 { return "0" }
        let digits = min(max(significant, 1), 15)
        let magnitude = abs(value)
        let sign = value < 0 ? "-" : ""
        if magnitude >= 1e-3 && magnitude < 1e3 {
            let exponent = decimalExponent(magnitude)
            let decimals = max(0, digits - 1 - exponent)
            let text = fixed(magnitude, decimals: decimals)
            return sign + (text == "1000" ? "1k" : text)
        }
        if magnitude >= 1e3 && magnitude < 1e15 {
            let units: [(Double, String)] = [(1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")]
            for (scale, suffix) in units where magnitude >= scale * 0.9995 {
                let scaled = magnitude / scale
                let decimals = max(0, digits - 1 - decimalExponent(scaled))
                var text = fixed(scaled, decimals: decimals)
                if text == "1000", suffix != "T" {  // 999.96k rounds up into the next unit
                    continue
                }
                if text.isEmpty { text = "0" }
                return sign + text + suffix
            }
        }
        return sign + scientific(magnitude, significant: min(digits, 2))
    }

    /// `value` with exactly `decimals` digits after the point, trailing zeros trimmed: `fixed(0.5, decimals: 2)` is `0.5`.
    public static func fixed(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return compact(value) }
        let d = min(max(decimals, 0), 12)
        var scale = 1.0
        for _ in 0..<d { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 9e15 else { return scientific(value, significant: 3) }
        let n = Int64(scaled)
        var digits = String(n)
        if d > 0 {
            if digits.count <= d { digits = String(repeating: "0", count: d - digits.count + 1) + digits }
            let cut = digits.index(digits.endIndex, offsetBy: -d)
            var fraction = digits[cut...]
            while fraction.last == "0" { fraction = fraction.dropLast() }
            digits = String(digits[..<cut]) + (fraction.isEmpty ? "" : "." + fraction)
        }
        return (value < 0 && n != 0 ? "-" : "") + digits
    }

    /// `fraction` as a percentage: `0.031` is `3.1%`.
    public static func percent(_ fraction: Double) -> String {
        guard fraction.isFinite else { return compact(fraction) }
        let p = fraction * 100
        return fixed(p, decimals: abs(p) < 10 ? 1 : 0) + "%"
    }

    /// Labels for evenly spaced tick values: enough decimals to tell neighbours apart, and no more.
    /// Where the usual digits would repeat a label (ticks clamped to a range's ends, a tiny step at a
    /// large magnitude), more significant digits are used; see `distinct(_:_:maxLength:)`.
    public static func tickLabels(_ ticks: [Double]) -> [String] {
        distinct(ticks, usualTickLabels(ticks))
    }

    /// `labels` of `ticks` when no two are equal; otherwise the ticks with the fewest significant
    /// digits that tell them all apart, as long as every label stays within `maxLength` characters;
    /// failing that, `labels` unchanged (an axis then drops the ticks whose label repeats).
    public static func distinct(_ ticks: [Double], _ labels: [String], maxLength: Int = 10) -> [String] {
        guard Set(labels).count < labels.count, labels.count == ticks.count else { return labels }
        for significant in 2...15 {
            let more = ticks.map { precise($0, significant: significant) }
            if more.contains(where: { $0.count > maxLength }) { break }
            if Set(more).count == more.count { return more }
        }
        return labels
    }

    /// `value` with `significant` digits: `compact`, but in scientific form too (which `compact`
    /// keeps to two digits).
    static func precise(_ value: Double, significant: Int) -> String {
        let magnitude = abs(value)
        guard value.isFinite, value != 0, magnitude < 1e-3 || magnitude >= 1e15 else { return compact(value, significant: significant) }
        return scientific(value, significant: min(max(significant, 1), 15))
    }

    /// The first choice of tick labels: decimals from the step, or significant digits for large
    /// or tiny values.
    static func usualTickLabels(_ ticks: [Double]) -> [String] {
        guard ticks.count > 1 else { return ticks.map { compact($0) } }
        var step = Double.infinity
        var largest = 0.0
        for i in 1..<ticks.count where ticks[i] - ticks[i - 1] > 0 { step = min(step, ticks[i] - ticks[i - 1]) }
        for t in ticks where t.isFinite { largest = max(largest, abs(t)) }
        guard step.isFinite, step > 0 else { return ticks.map { compact($0) } }
        if largest >= 1e4 || step < 1e-3 {
            // Significant digits enough to resolve the step at the largest magnitude.
            let needed = decimalExponent(largest) - decimalExponent(step) + 1
            return ticks.map { compact($0, significant: max(2, min(needed + 1, 4))) }
        }
        let decimals = max(0, min(6, decimalsNeeded(step)))
        return ticks.map { fixed($0, decimals: decimals) }
    }

    /// `⌊log10(magnitude)⌋` for a positive finite value, computed without floating logarithms.
    static func decimalExponent(_ magnitude: Double) -> Int {
        guard magnitude.isFinite, magnitude > 0 else { return 0 }
        var e = 0
        var m = magnitude
        while m >= 10 && e < 400 { m /= 10; e += 1 }
        while m < 1 && e > -400 { m *= 10; e -= 1 }
        return e
    }

    /// How many decimals `step` needs to print exactly (up to 6): 0.25 needs 2, 5 needs 0.
    static func decimalsNeeded(_ step: Double) -> Int {
        var s = step
        for d in 0...6 {
            if abs(s - s.rounded()) < 1e-6 * max(1, abs(s)) { return d }
            s *= 10
        }
        return 6
    }

    /// `1.2e-5` style, mantissa with up to `significant` digits.
    static func scientific(_ value: Double, significant: Int) -> String {
        guard value.isFinite, value != 0 else { return compact(value) }
        let sign = value < 0 ? "-" : ""
        var e = decimalExponent(abs(value))
        var mantissa = abs(value)
        var scale = 1.0
        for _ in 0..<abs(e) { scale *= 10 }
        mantissa = e >= 0 ? mantissa / scale : mantissa * scale
        var text = fixed(mantissa, decimals: max(0, significant - 1))
        if text == "10" { text = "1"; e += 1 }
        return sign + text + "e" + String(e)
    }
}
