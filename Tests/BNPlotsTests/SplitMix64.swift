// A seeded generator for property tests (swift-argument-parser's Examples/roll/SplitMix64.swift):
// the same seed gives the same numbers, so a failing case can be replayed.

struct TestRandom: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// An integer in `range`.
    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }

    /// A value that is usually ordinary but sometimes NaN, ±Inf, 0, huge or tiny.
    mutating func nasty() -> Double {
        switch int(0...19) {
        case 0: .nan
        case 1: .infinity
        case 2: -.infinity
        case 3: 1e30
        case 4: -1e30
        case 5: 0
        case 6: 1e-30
        case 7: 42  // constant runs
        default: Double.random(in: -3...3, using: &self)
        }
    }
}
