// A tiny seeded generator for BNData's own randomness: subsets and synthetic sets.
//
// Deliberately left out: sharing with the engine. BNEngine will get its own PRNG; until then this one
// is BNData's, named so that a swap is a search for `DataSplitMix64`.

import Foundation

/// SplitMix64 (Steele, Lea & Flood 2014), as in swift-argument-parser's `Examples/roll`.
///
/// The same seed always gives the same integers on every platform; Gaussians go through the
/// platform's `log` and `cos`, so they may differ in the last bits between platforms.
public struct DataSplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A Double uniform in [0, 1), from the top 53 bits.
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A standard normal sample (Box–Muller; the second value is thrown away for simplicity).
    public mutating func nextGaussian() -> Double {
        let u1 = 1 - nextUnit()  // in (0, 1], so log never sees 0
        let u2 = nextUnit()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// An integer uniform in `0..<bound`, without modulo bias (Lemire's method).
    public mutating func next(below bound: Int) -> Int {
        precondition(bound > 0, "next(below:) needs a positive bound")
        let b = UInt64(bound)
        var m = next().multipliedFullWidth(by: b)
        if m.low < b {
            let t = (0 &- b) % b
            while m.low < t { m = next().multipliedFullWidth(by: b) }
        }
        return Int(m.high)
    }
}
