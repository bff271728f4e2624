// A small, portable, seeded PRNG: SplitMix64 (Steele, Lea & Flood 2014).
//
// Every random number in bnlab flows from one of these, so one seed fixes every result on every
// machine. Deliberately not cryptographic and not Foundation's SystemRandomNumberGenerator.

import Foundation

/// A seeded 64-bit generator; the same seed gives the same sequence everywhere.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// An independent stream derived from this seed and a label, for e.g. "layer 3's weights".
    public static func stream(seed: UInt64, _ label: UInt64) -> SplitMix64 {
        var mixer = SplitMix64(seed: seed ^ (label &* 0xD1B5_4A32_D192_ED03))
        return SplitMix64(seed: mixer.next())
    }

    /// A uniform Float in [0, 1), from the top 24 bits.
    public mutating func nextUnitFloat() -> Float {
        Float(next() >> 40) * (1.0 / 16_777_216.0)
    }

    /// A uniform Double in [0, 1), from the top 53 bits.
    public mutating func nextUnitDouble() -> Double {
        Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// A uniform Float in [lower, upper).
    public mutating func uniform(_ lower: Float, _ upper: Float) -> Float {
        lower + (upper - lower) * nextUnitFloat()
    }

    /// A standard normal sample (Box–Muller; the second value of the pair is discarded to keep the state simple).
    public mutating func standardNormal() -> Double {
        let u1 = 1 - nextUnitDouble()  // in (0, 1], so log never sees 0
        let u2 = nextUnitDouble()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// Two independent standard normal samples by Marsaglia's polar method: a point (u, v) drawn uniformly
    /// in the unit disc (a square's draws outside it, or at its centre, are drawn again: 21% of them), then
    /// (u, v)·√(−2 ln s / s) with s = u² + v². One logarithm per pair and no trigonometry, where Box–Muller
    /// (`standardNormal`) spends a logarithm and a cosine on each sample.
    public mutating func standardNormalPair() -> (Double, Double) {
        while true {
            let u = 2 * nextUnitDouble() - 1, v = 2 * nextUnitDouble() - 1
            let s = u * u + v * v
            if s > 0 && s < 1 {
                let f = (-2 * log(s) / s).squareRoot()
                return (u * f, v * f)
            }
        }
    }

    /// A normal sample with the given mean and standard deviation.
    public mutating func normal(mean: Float = 0, std: Float = 1) -> Float {
        mean + std * Float(standardNormal())
    }

    /// A uniform integer in 0..<bound, without modulo bias.
    public mutating func index(below bound: Int) -> Int {
        precondition(bound > 0)
        return Int(next(upperBound: UInt64(bound)))
    }

    /// Fisher–Yates shuffle driven by this generator (portable, unlike `Array.shuffle(using:)`'s unspecified algorithm).
    public mutating func shuffle<T>(_ array: inout [T]) {
        guard array.count > 1 else { return }
        for i in stride(from: array.count - 1, to: 0, by: -1) {
            array.swapAt(i, index(below: i + 1))
        }
    }
}
