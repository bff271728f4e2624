// Property tests draw from the engine's seeded SplitMix64 (BNEngine/Random): the same seed gives
// the same numbers, so a failing case can be replayed.

import BNEngine

typealias TestRandom = SplitMix64

extension SplitMix64 {
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
